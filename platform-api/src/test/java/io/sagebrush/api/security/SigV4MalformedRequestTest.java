package io.sagebrush.api.security;

import static io.sagebrush.api.security.SigV4VerifierTest.ACCESS;
import static io.sagebrush.api.security.SigV4VerifierTest.NOW;
import static io.sagebrush.api.security.SigV4VerifierTest.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagebrush.api.awsjson.AwsErrors;
import io.sagebrush.api.awsjson.AwsJsonMapper;
import io.sagebrush.api.embedded.ServerCredentials;
import io.sagebrush.common.error.ErrorCode;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.common.sigv4.SigV4Request;
import io.sagebrush.common.sigv4.SigV4Verifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** Requests the verifier cannot read, and the payload hashes it accepts. */
class SigV4MalformedRequestTest {
  final SigV4Verifier lenient =
      new SigV4Verifier(ACCESS, SECRET, Duration.ofMinutes(15), Clock.fixed(NOW, ZoneOffset.UTC));
  final SigV4Verifier strict =
      new SigV4Verifier(
          ACCESS, SECRET, Duration.ofMinutes(15), Clock.fixed(NOW, ZoneOffset.UTC), false);

  static String authorization() {
    return "AWS4-HMAC-SHA256 Credential="
        + ACCESS
        + "/20261126/eu-west-1/sagemaker/aws4_request, SignedHeaders=host;x-amz-date,"
        + " Signature=00";
  }

  @Test
  void aMalformedEscapeInTheQueryIsAnInvalidSignatureNotACrash() {
    Map<String, List<String>> headers =
        Map.of(
            "authorization", List.of(authorization()),
            "x-amz-date", List.of("20261126T120000Z"),
            "host", List.of("localhost"));
    Function<String, List<String>> lookup =
        name -> headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of());
    SigV4Request request = new SigV4Request("POST", "/", "a=%zz", lookup, new byte[0]);

    assertThatThrownBy(() -> lenient.verify(request))
        .isInstanceOfSatisfying(
            SagebrushException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SIGNATURE));
  }

  @Test
  void theAuthenticationFilterAnswersAMalformedQueryWithA4xxInTheAwsShape() throws Exception {
    AuthenticationFilter filter =
        new AuthenticationFilter(
            new SigV4Verifier(ACCESS, SECRET, Duration.ofMinutes(15), Clock.systemUTC()),
            new ServerCredentials(ACCESS, SECRET, "agent-token", Path.of("credentials")),
            new AwsErrors(new AwsJsonMapper()),
            1024 * 1024);
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/training-jobs");
    request.setQueryString("a=%zz");
    request.addHeader("Authorization", authorization().replace("20261126", today()));
    request.addHeader(
        "X-Amz-Date",
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .format(java.time.ZonedDateTime.now(ZoneOffset.UTC)));
    MockHttpServletResponse response = new MockHttpServletResponse();
    MockFilterChain chain = new MockFilterChain();

    filter.doFilter(request, response, chain);

    assertThat(response.getStatus()).isBetween(400, 499);
    assertThat(response.getContentAsString()).contains("InvalidSignatureException");
    assertThat(chain.getRequest()).isNull();
  }

  private static String today() {
    return DateTimeFormatter.BASIC_ISO_DATE.format(java.time.LocalDate.now(ZoneOffset.UTC));
  }

  @Test
  void aDeclaredPayloadHashMustBeTheBodysOrUnsigned() {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    String other = SigV4Verifier.hex(SigV4Verifier.sha256("other".getBytes()));
    for (SigV4Verifier verifier : List.of(lenient, strict)) {
      SigV4Request mismatch = declared(other, body);
      assertThatThrownBy(() -> verifier.verify(mismatch))
          .isInstanceOf(SagebrushException.class)
          .hasMessageContaining("x-amz-content-sha256");
      SigV4Request garbage = declared("anything-at-all", body);
      assertThatThrownBy(() -> verifier.verify(garbage))
          .isInstanceOf(SagebrushException.class)
          .hasMessageContaining("x-amz-content-sha256");
      SigV4Request matching = declared(SigV4Verifier.hex(SigV4Verifier.sha256(body)), body);
      assertThat(verifier.verify(matching).service()).isEqualTo("sagemaker");
      SigV4Request unsigned = declared("UNSIGNED-PAYLOAD", body);
      assertThat(verifier.verify(unsigned).service()).isEqualTo("sagemaker");
    }
  }

  @Test
  void streamingPayloadHashesAreKeptForTheControlPlaneButRefusedByAStrictVerifier() {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    SigV4Request streaming = declared("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", body);
    assertThat(lenient.verify(streaming).service()).isEqualTo("sagemaker");
    assertThatThrownBy(() -> strict.verify(streaming))
        .isInstanceOfSatisfying(
            SagebrushException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SIGNATURE));
  }

  /** A POST signed over the declared payload hash (as a client that sends the header does). */
  static SigV4Request declared(String payloadHash, byte[] body) {
    try {
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      headers.put("host", List.of("localhost:8080"));
      headers.put("x-amz-date", List.of("20261126T120000Z"));
      headers.put("x-amz-content-sha256", List.of(payloadHash));
      List<String> signed = List.of("host", "x-amz-content-sha256", "x-amz-date");
      SigV4Request unsigned =
          new SigV4Request("POST", "/", null, n -> headers.getOrDefault(n, List.of()), body);
      String canonical = SigV4Verifier.canonicalRequest(unsigned, signed);
      String scope = "20261126/eu-west-1/sagemaker/aws4_request";
      String toSign =
          "AWS4-HMAC-SHA256\n20261126T120000Z\n"
              + scope
              + "\n"
              + SigV4Verifier.hex(SigV4Verifier.sha256(canonical.getBytes(StandardCharsets.UTF_8)));
      byte[] key = hmac(("AWS4" + SECRET).getBytes(StandardCharsets.UTF_8), "20261126");
      key = hmac(key, "eu-west-1");
      key = hmac(key, "sagemaker");
      key = hmac(key, "aws4_request");
      String signature = SigV4Verifier.hex(hmac(key, toSign));
      headers.put(
          "authorization",
          List.of(
              "AWS4-HMAC-SHA256 Credential="
                  + ACCESS
                  + "/"
                  + scope
                  + ", SignedHeaders="
                  + String.join(";", signed)
                  + ", Signature="
                  + signature));
      return new SigV4Request("POST", "/", null, n -> headers.getOrDefault(n, List.of()), body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }
}
