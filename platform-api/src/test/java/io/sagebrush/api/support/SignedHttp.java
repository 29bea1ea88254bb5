package io.sagebrush.api.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Raw HTTP against the server, signed with the AWS SDK's own SigV4 signer (or not at all). */
public final class SignedHttp {
  private static final List<String> RESTRICTED = List.of("host", "content-length", "connection");
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String accessKey;
  private final String secretKey;

  public SignedHttp(String base, String accessKey, String secretKey) {
    this.base = base;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  /** POST / with X-Amz-Target, signed for {@code service}. */
  public HttpResponse<String> awsJson(String service, String target, String body) {
    return send(
        "POST",
        "/",
        Map.of("X-Amz-Target", target, "Content-Type", "application/x-amz-json-1.1"),
        body,
        service,
        secretKey);
  }

  /** A request with a binary body (e.g. CBOR) and a binary answer, signed for {@code service}. */
  public HttpResponse<byte[]> sendBytes(
      String method, String path, Map<String, String> headers, byte[] bytes, String service) {
    return execute(
        signed(method, path, headers, bytes, service, secretKey),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Any request, signed with the given secret for {@code service}. */
  public HttpResponse<String> send(
      String method,
      String path,
      Map<String, String> headers,
      String body,
      String service,
      String secret) {
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    return execute(
        signed(method, path, headers, bytes, service, secret),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The request signed with the SDK's SigV4 signer, less the headers HttpClient sets itself. */
  private HttpRequest signed(
      String method,
      String path,
      Map<String, String> headers,
      byte[] bytes,
      String service,
      String secret) {
    SdkHttpRequest.Builder b =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.fromValue(method))
            .uri(URI.create(base + path));
    headers.forEach(b::putHeader);
    SdkHttpRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(AwsCredentialsIdentity.create(accessKey, secret))
                        .request(b.build())
                        .payload(ContentStreamProvider.fromByteArray(bytes))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"))
            .request();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(signed.getUri()).timeout(Duration.ofSeconds(30));
    signed
        .headers()
        .forEach(
            (k, values) -> {
              if (!RESTRICTED.contains(k.toLowerCase())) {
                values.forEach(v -> request.header(k, v));
              }
            });
    request.method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
    return request.build();
  }

  /** A request with no Authorization at all, or with HTTP Basic when {@code basic} is true. */
  public HttpResponse<String> plain(
      String method, String path, Map<String, String> headers, String body, boolean basic) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    headers.forEach(request::header);
    if (basic) {
      request.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((accessKey + ":" + secretKey).getBytes(StandardCharsets.UTF_8)));
    }
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return execute(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private <T> HttpResponse<T> execute(HttpRequest request, HttpResponse.BodyHandler<T> answer) {
    try {
      return client.send(request, answer);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
