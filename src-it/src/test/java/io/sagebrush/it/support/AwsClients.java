package io.sagebrush.it.support;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

/**
 * AWS SDK v2 clients aimed at one server with {@code endpointOverride}, static credentials and
 * region {@code us-east-1}, plus a raw SigV4-signed JSON 1.1 call for what the SDK cannot send (an
 * unknown operation).
 */
public final class AwsClients implements AutoCloseable {
  private final SageMakerClient sageMaker;
  private final CloudWatchLogsClient logs;
  private final S3Client s3;
  private final URI api;
  private final AwsBasicCredentials credentials;
  private final SagebrushServerProcess server;
  private SageMakerRuntimeClient runtime;

  private AwsClients(
      SagebrushServerProcess server, URI api, URI s3Endpoint, String accessKey, String secretKey) {
    this.server = server;
    this.api = api;
    this.credentials = AwsBasicCredentials.create(accessKey, secretKey);
    StaticCredentialsProvider provider = StaticCredentialsProvider.create(credentials);
    ClientOverrideConfiguration override =
        ClientOverrideConfiguration.builder().apiCallTimeout(Duration.ofSeconds(60)).build();
    this.sageMaker =
        SageMakerClient.builder()
            .endpointOverride(api)
            .region(Region.US_EAST_1)
            .credentialsProvider(provider)
            .overrideConfiguration(override)
            .build();
    this.logs =
        CloudWatchLogsClient.builder()
            .endpointOverride(api)
            .region(Region.US_EAST_1)
            .credentialsProvider(provider)
            .overrideConfiguration(override)
            .build();
    this.s3 =
        S3Client.builder()
            .endpointOverride(s3Endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(provider)
            .overrideConfiguration(override)
            .serviceConfiguration(
                S3Configuration.builder()
                    .pathStyleAccessEnabled(true)
                    .chunkedEncodingEnabled(false)
                    .build())
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .build();
  }

  static AwsClients forServer(SagebrushServerProcess server, String accessKey, String secretKey) {
    return new AwsClients(server, server.apiEndpoint(), server.s3Endpoint(), accessKey, secretKey);
  }

  /** Clients for {@code server} that sign with other (wrong) credentials. */
  public static AwsClients withCredentials(
      SagebrushServerProcess server, String accessKey, String secretKey) {
    return forServer(server, accessKey, secretKey);
  }

  public SageMakerClient sageMaker() {
    return sageMaker;
  }

  public CloudWatchLogsClient logs() {
    return logs;
  }

  public S3Client s3() {
    return s3;
  }

  /**
   * The SageMaker runtime client of the server's inference gateway (made on first use): HTTPS to
   * {@code https://localhost:<gateway port>} trusting the server's self-signed certificate, and no
   * retries, so every failed invocation surfaces.
   */
  public synchronized SageMakerRuntimeClient runtime() {
    if (runtime == null) {
      runtime =
          GatewayClients.runtime(
              server.gatewayEndpoint(), server.gatewayCertificate(), credentials);
    }
    return runtime;
  }

  /** A raw answer: status, the {@code __type} (or x-amzn-ErrorType), and the body. */
  public record RawResponse(int status, String errorType, String body) {}

  /**
   * Sends {@code body} to {@code POST /} with {@code X-Amz-Target: target}, SigV4-signed for the
   * {@code sagemaker} service with this client's credentials.
   */
  public RawResponse postJson(String target, String body) {
    byte[] payload = body.getBytes(StandardCharsets.UTF_8);
    SdkHttpFullRequest unsigned =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(api.resolve("/"))
            .putHeader("Content-Type", "application/x-amz-json-1.1")
            .putHeader("X-Amz-Target", target)
            .build();
    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(credentials)
                        .request(unsigned)
                        .payload(() -> new ByteArrayInputStream(payload))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sagemaker")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(api.resolve("/"))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
    signed
        .request()
        .headers()
        .forEach(
            (name, values) -> {
              if (!name.equalsIgnoreCase("host")) {
                values.forEach(v -> request.header(name, v));
              }
            });
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
      String type = response.headers().firstValue("x-amzn-ErrorType").orElse(null);
      if (type == null) {
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile("\"__type\"\\s*:\\s*\"([^\"]*)\"")
                .matcher(response.body());
        type = m.find() ? m.group(1) : null;
      }
      if (type != null && type.contains(":")) {
        type = type.substring(0, type.indexOf(':'));
      }
      return new RawResponse(response.statusCode(), type, response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    sageMaker.close();
    logs.close();
    s3.close();
    synchronized (this) {
      if (runtime != null) {
        runtime.close();
      }
    }
  }
}
