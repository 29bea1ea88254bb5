package io.sagebrush.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagebrush.common.error.ErrorCode;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.common.sigv4.SigV4Request;
import io.sagebrush.common.sigv4.SigV4Verifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

class SigV4VerifierTest {
  static final String ACCESS = "SBTESTACCESSKEY00001";
  static final String SECRET = "secret/with+chars0123456789abcdefghijklmn";
  static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  final SigV4Verifier verifier =
      new SigV4Verifier(ACCESS, SECRET, Duration.ofMinutes(15), Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void acceptsAJsonRequestSignedByTheAwsSdkSigner() {
    byte[] body = "{\"TrainingJobName\":\"job-1\"}".getBytes(StandardCharsets.UTF_8);
    SigV4Request request =
        sign(
            SdkHttpMethod.POST,
            "http://localhost:8080/",
            Map.of(
                "Content-Type", "application/x-amz-json-1.1",
                "X-Amz-Target", "SageMaker.DescribeTrainingJob"),
            body,
            "sagemaker",
            SECRET,
            NOW);

    SigV4Verifier.Scope scope = verifier.verify(request);

    assertThat(scope.region()).isEqualTo("eu-west-1");
    assertThat(scope.service()).isEqualTo("sagemaker");
    assertThat(scope.accessKey()).isEqualTo(ACCESS);
  }

  @Test
  void acceptsASignedGetWithAQueryStringAndAPathParameter() {
    SigV4Request request =
        sign(
            SdkHttpMethod.GET,
            "http://localhost:8080/api/v1/training-jobs/job-1?sortOrder=Descending&nameContains=a%20b&maxResults=5",
            Map.of(),
            new byte[0],
            "sagemaker",
            SECRET,
            NOW);

    assertThat(verifier.verify(request).service()).isEqualTo("sagemaker");
  }

  @Test
  void acceptsTheLogsServiceName() {
    SigV4Request request =
        sign(
            SdkHttpMethod.POST,
            "http://127.0.0.1:9/",
            Map.of("X-Amz-Target", "Logs_20140328.GetLogEvents"),
            "{}".getBytes(StandardCharsets.UTF_8),
            "logs",
            SECRET,
            NOW);

    assertThat(verifier.verify(request).service()).isEqualTo("logs");
  }

  @Test
  void aWrongSecretIsAnInvalidSignature() {
    SigV4Request request =
        sign(
            SdkHttpMethod.POST,
            "http://localhost:8080/",
            Map.of(),
            "{}".getBytes(StandardCharsets.UTF_8),
            "sagemaker",
            "not-the-secret",
            NOW);

    assertThatThrownBy(() -> verifier.verify(request))
        .isInstanceOf(SagebrushException.class)
        .satisfies(
            e -> assertThat(((SagebrushException) e).code()).isEqualTo(ErrorCode.INVALID_SIGNATURE))
        .hasMessageContaining("signature we calculated does not match");
  }

  @Test
  void aTamperedBodyIsAnInvalidSignature() {
    SigV4Request signed =
        sign(
            SdkHttpMethod.POST,
            "http://localhost:8080/",
            Map.of(),
            "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
            "sagemaker",
            SECRET,
            NOW);
    SigV4Request tampered =
        new SigV4Request(
            signed.method(),
            signed.rawPath(),
            signed.rawQuery(),
            signed.headers(),
            "{\"a\":2}".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> verifier.verify(tampered))
        .satisfies(
            e ->
                assertThat(((SagebrushException) e).code()).isEqualTo(ErrorCode.INVALID_SIGNATURE));
  }

  @Test
  void anUnknownAccessKeyIsAnUnrecognizedClient() {
    SigV4Request request =
        sign(
            SdkHttpMethod.POST,
            "http://localhost:8080/",
            Map.of(),
            new byte[0],
            "sagemaker",
            SECRET,
            NOW,
            "SOMEONEELSE000000000");

    assertThatThrownBy(() -> verifier.verify(request))
        .satisfies(
            e ->
                assertThat(((SagebrushException) e).code())
                    .isEqualTo(ErrorCode.UNRECOGNIZED_CLIENT));
  }

  @Test
  void aMissingAuthorizationHeaderIsAMissingToken() {
    SigV4Request request = new SigV4Request("POST", "/", null, name -> List.of(), new byte[0]);

    assertThatThrownBy(() -> verifier.verify(request))
        .satisfies(
            e ->
                assertThat(((SagebrushException) e).code())
                    .isEqualTo(ErrorCode.MISSING_AUTHENTICATION_TOKEN));
  }

  @Test
  void aRequestSignedTwentyMinutesAgoHasExpired() {
    SigV4Request request =
        sign(
            SdkHttpMethod.POST,
            "http://localhost:8080/",
            Map.of(),
            new byte[0],
            "sagemaker",
            SECRET,
            NOW.minus(Duration.ofMinutes(20)));

    assertThatThrownBy(() -> verifier.verify(request))
        .satisfies(
            e -> assertThat(((SagebrushException) e).code()).isEqualTo(ErrorCode.INVALID_SIGNATURE))
        .hasMessageContaining("Signature expired");
  }

  @Test
  void aRequestSignedTenMinutesAheadIsWithinTheSkew() {
    SigV4Request request =
        sign(
            SdkHttpMethod.POST,
            "http://localhost:8080/",
            Map.of(),
            new byte[0],
            "sagemaker",
            SECRET,
            NOW.plus(Duration.ofMinutes(10)));

    assertThat(verifier.verify(request).accessKey()).isEqualTo(ACCESS);
  }

  @Test
  void aMalformedAuthorizationHeaderIsAnInvalidSignature() {
    SigV4Request request =
        new SigV4Request(
            "POST",
            "/",
            null,
            name ->
                name.equalsIgnoreCase("Authorization")
                    ? List.of("AWS4-HMAC-SHA256 garbage")
                    : List.of(),
            new byte[0]);

    assertThatThrownBy(() -> verifier.verify(request))
        .satisfies(
            e ->
                assertThat(((SagebrushException) e).code()).isEqualTo(ErrorCode.INVALID_SIGNATURE));
  }

  @Test
  void oneThreadVerifiesRequestsOfOtherScopesHeadersAndDatesInTurn() {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    SigV4Request a =
        sign(
            SdkHttpMethod.POST, "http://localhost:8080/", Map.of(), body, "sagemaker", SECRET, NOW);
    SigV4Request b =
        sign(
            SdkHttpMethod.POST,
            "http://localhost:8080/p%20q/r",
            Map.of("X-Amz-Target", "Logs.GetLogEvents"),
            body,
            "logs",
            SECRET,
            NOW.minusSeconds(61));
    SigV4Request c =
        sign(
            SdkHttpMethod.POST,
            "http://localhost:8080/",
            Map.of(),
            body,
            "sagemaker",
            SECRET,
            NOW.plusSeconds(1));

    assertThat(verifier.verify(a).service()).isEqualTo("sagemaker");
    assertThat(verifier.verify(b).service()).isEqualTo("logs");
    assertThat(verifier.verify(c).service()).isEqualTo("sagemaker");
    assertThat(verifier.verify(a).service()).isEqualTo("sagemaker");
    assertThat(verifier.verify(b).service()).isEqualTo("logs");
  }

  @Test
  void aHeaderWhosePrefixHasTheSameLengthAsTheLastOneIsParsedAfresh() {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    SigV4Request a =
        sign(
            SdkHttpMethod.POST,
            "http://localhost:8080/",
            Map.of("X-Amz-Aaaa", "1"),
            body,
            "sagemaker",
            SECRET,
            NOW);
    SigV4Request b =
        sign(
            SdkHttpMethod.POST,
            "http://localhost:8080/",
            Map.of("X-Amz-Bbbb", "1"),
            body,
            "sagemaker",
            SECRET,
            NOW);
    String prefixA =
        a.header("Authorization").substring(0, a.header("Authorization").indexOf("Signature="));
    String prefixB =
        b.header("Authorization").substring(0, b.header("Authorization").indexOf("Signature="));
    assertThat(prefixA).hasSameSizeAs(prefixB).isNotEqualTo(prefixB);

    verifier.verify(a);
    verifier.verify(b);
    verifier.verify(a);
  }

  @Test
  void aTamperedHeaderOrSignatureFailsRightAfterTheSameClientsValidRequest() {
    SigV4Request valid =
        sign(
            SdkHttpMethod.POST,
            "http://localhost:8080/",
            Map.of("X-Amz-Target", "SageMaker.ListModels"),
            "{}".getBytes(StandardCharsets.UTF_8),
            "sagemaker",
            SECRET,
            NOW);
    verifier.verify(valid);

    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String name : List.of("Authorization", "X-Amz-Date", "Host", "Content-Length")) {
      headers.put(name, valid.headers().apply(name));
    }
    headers.put("X-Amz-Target", List.of("SageMaker.DeleteModel"));
    SigV4Request otherTarget =
        new SigV4Request("POST", "/", null, n -> headers.getOrDefault(n, List.of()), valid.body());
    assertThatThrownBy(() -> verifier.verify(otherTarget))
        .hasMessageContaining("signature we calculated does not match");

    String auth = valid.header("Authorization");
    char last = auth.charAt(auth.length() - 1);
    String flipped = auth.substring(0, auth.length() - 1) + (last == '0' ? '1' : '0');
    Map<String, List<String>> flippedHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String name : List.of("X-Amz-Date", "Host", "Content-Length", "X-Amz-Target")) {
      flippedHeaders.put(name, valid.headers().apply(name));
    }
    flippedHeaders.put("Authorization", List.of(flipped));
    SigV4Request badSignature =
        new SigV4Request(
            "POST", "/", null, n -> flippedHeaders.getOrDefault(n, List.of()), valid.body());
    assertThatThrownBy(() -> verifier.verify(badSignature))
        .hasMessageContaining("signature we calculated does not match");
    flippedHeaders.put("Authorization", List.of(auth.substring(0, auth.length() - 1) + "g"));
    assertThatThrownBy(() -> verifier.verify(badSignature)).hasMessageContaining("Malformed");
    verifier.verify(valid);
  }

  @Test
  void headerValuesWithRunsOfBlanksAndNonAsciiTextAreCanonicalizedAsTheSdkDoes() {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    SigV4Request request =
        sign(
            SdkHttpMethod.POST,
            "http://localhost:8080/",
            Map.of(
                "Content-Type", "application/x-amz-json-1.1",
                "X-Amz-Meta-Note", "  two   spaces  and caf\u00e9 \u2615 \ud83d\ude00 end ",
                "X-Amz-Target", "SageMaker.ListModels"),
            body,
            "sagemaker",
            SECRET,
            NOW);

    assertThat(verifier.verify(request).service()).isEqualTo("sagemaker");
    assertThat(request.header("Authorization")).contains("x-amz-meta-note");
  }

  @Test
  void headersGivenAsBytesAreVerifiedFromTheBytes() {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    SigV4Request signed =
        sign(
            SdkHttpMethod.POST,
            "http://localhost:8080/",
            Map.of(
                "Content-Type", "application/x-amz-json-1.1",
                "X-Amz-Meta-Note", "  two \t  blanks and caf\u00e9 ",
                "X-Amz-Target", "SageMaker.ListModels"),
            body,
            "sagemaker",
            SECRET,
            NOW);
    List<String[]> fields = new ArrayList<>();
    fields.add(new String[] {"x-amz-meta-NOTE", "  two \t  blanks and caf\u00e9 "});
    String authorization = signed.header("Authorization");
    fields.add(new String[] {"Authorization", authorization});
    String signedHeaders = authorization.replaceAll(".*SignedHeaders=([^,]*),.*", "$1");
    for (String name : signedHeaders.split(";")) {
      if (!name.equals("x-amz-meta-note")) {
        fields.add(new String[] {name, signed.header(name)});
      }
    }
    Latin1Headers raw = new Latin1Headers(fields);
    // the strings disagree with the bytes: only a verification from the bytes passes
    SigV4Request fromBytes =
        new SigV4Request(
            "POST",
            "/",
            null,
            name -> name.equalsIgnoreCase("x-amz-meta-note") ? List.of("other") : raw.all(name),
            body,
            raw);

    assertThat(verifier.verify(fromBytes).service()).isEqualTo("sagemaker");

    raw.bytes[raw.valueEnd(0) - 2] = 'E'; // "cafE" instead of "caf\u00e9"
    assertThatThrownBy(() -> verifier.verify(fromBytes))
        .isInstanceOf(SagebrushException.class)
        .hasMessageContaining("does not match");
  }

  @Test
  void canonicalHeadersFromBytesEqualThoseFromStringsForEveryLatin1Character() {
    for (int c = 0; c < 256; c++) {
      String value = (char) c + "a" + (char) c + (char) c + "b c" + (char) c;
      List<String[]> fields = new ArrayList<>();
      fields.add(new String[] {"X-Note", value});
      fields.add(new String[] {"X-Note", " second\t" + (char) c});
      Latin1Headers raw = new Latin1Headers(fields);
      SigV4Request fromStrings = new SigV4Request("POST", "/", null, raw::all, new byte[0]);
      SigV4Request fromBytes = new SigV4Request("POST", "/", null, raw::all, new byte[0], raw);

      assertThat(SigV4Verifier.canonicalRequest(fromBytes, List.of("x-note")))
          .as("character %d", c)
          .isEqualTo(SigV4Verifier.canonicalRequest(fromStrings, List.of("x-note")));
    }
  }

  /** Headers laid out in one ISO-8859-1 byte array, as a server's request decoder holds them. */
  static final class Latin1Headers implements SigV4Request.RawHeaders {
    final byte[] bytes;
    final int[] offsets;
    final List<String[]> fields;

    Latin1Headers(List<String[]> fields) {
      this.fields = fields;
      StringBuilder text = new StringBuilder();
      offsets = new int[4 * fields.size()];
      for (int i = 0; i < fields.size(); i++) {
        offsets[4 * i] = text.length();
        text.append(fields.get(i)[0]);
        offsets[4 * i + 1] = text.length();
        text.append(": ");
        offsets[4 * i + 2] = text.length();
        text.append(fields.get(i)[1]);
        offsets[4 * i + 3] = text.length();
        text.append("\r\n");
      }
      bytes = text.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    List<String> all(String name) {
      List<String> values = new ArrayList<>();
      for (int i = 0; i < fields.size(); i++) {
        if (nameIs(i, name)) {
          values.add(
              new String(
                  bytes, valueStart(i), valueEnd(i) - valueStart(i), StandardCharsets.ISO_8859_1));
        }
      }
      return values;
    }

    @Override
    public int headerCount() {
      return fields.size();
    }

    @Override
    public boolean nameIs(int i, CharSequence name) {
      return fields.get(i)[0].equalsIgnoreCase(name.toString());
    }

    @Override
    public byte[] headBytes() {
      return bytes;
    }

    @Override
    public int valueStart(int i) {
      return offsets[4 * i + 2];
    }

    @Override
    public int valueEnd(int i) {
      return offsets[4 * i + 3];
    }
  }

  @Test
  void theCanonicalQueryIsSortedAndEncoded() {
    assertThat(SigV4Verifier.canonicalQuery("b=2&a=x%20y&a=1&c")).isEqualTo("a=1&a=x%20y&b=2&c=");
  }

  static SigV4Request sign(
      SdkHttpMethod method,
      String url,
      Map<String, String> headers,
      byte[] body,
      String service,
      String secret,
      Instant at) {
    return sign(method, url, headers, body, service, secret, at, ACCESS);
  }

  static SigV4Request sign(
      SdkHttpMethod method,
      String url,
      Map<String, String> headers,
      byte[] body,
      String service,
      String secret,
      Instant at,
      String accessKey) {
    SdkHttpRequest.Builder builder = SdkHttpRequest.builder().method(method).uri(URI.create(url));
    headers.forEach(builder::putHeader);
    builder.putHeader("Content-Length", String.valueOf(body.length));
    SdkHttpRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(AwsCredentialsIdentity.create(accessKey, secret))
                        .request(builder.build())
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)))
            .request();
    Map<String, List<String>> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    signed.headers().forEach((k, v) -> all.put(k, new ArrayList<>(v)));
    // the servlet container sees the Host header the HTTP client sends
    all.putIfAbsent(
        "Host", List.of(signed.host() + (signed.port() == 80 ? "" : ":" + signed.port())));
    String rawQuery = signed.encodedQueryParameters().orElse(null);
    return new SigV4Request(
        signed.method().name(),
        signed.encodedPath().isEmpty() ? "/" : signed.encodedPath(),
        rawQuery,
        name -> all.getOrDefault(name, List.of()),
        body);
  }
}
