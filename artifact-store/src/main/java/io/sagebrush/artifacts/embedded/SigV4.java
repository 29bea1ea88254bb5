package io.sagebrush.artifacts.embedded;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for S3 header-signed requests: parses the Authorization header, computes
 * the request signature and the streaming chunk and trailer signatures.
 */
final class SigV4 {
  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final Pattern AUTHORIZATION =
      Pattern.compile(
          "AWS4-HMAC-SHA256\\s+Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request"
              + "\\s*,\\s*SignedHeaders=([^,\\s]+)\\s*,\\s*Signature=([0-9a-f]{64})\\s*");
  private static final HexFormat HEX = HexFormat.of();
  private static final String EMPTY_SHA256 = hex(sha256(new byte[0]));

  /** The parts of an {@code Authorization: AWS4-HMAC-SHA256 ...} header. */
  record Authorization(
      String accessKey,
      String date,
      String region,
      String service,
      List<String> signedHeaders,
      String signature) {
    String scope() {
      return date + "/" + region + "/" + service + "/aws4_request";
    }

    String header() {
      return ALGORITHM
          + " Credential="
          + accessKey
          + "/"
          + scope()
          + ", SignedHeaders="
          + String.join(";", signedHeaders)
          + ", Signature="
          + signature;
    }
  }

  private SigV4() {}

  static Authorization parse(String header) {
    if (header == null) {
      return null;
    }
    Matcher m = AUTHORIZATION.matcher(header.trim());
    if (!m.matches()) {
      return null;
    }
    return new Authorization(
        m.group(1), m.group(2), m.group(3), m.group(4), List.of(m.group(5).split(";")), m.group(6));
  }

  /**
   * The signature of a request whose headers are read through {@code headers} (name lower-case to
   * values), with the given signed headers and payload hash.
   */
  static String sign(
      HttpServletRequest request,
      Function<String, List<String>> headers,
      Authorization auth,
      String amzDate,
      String payloadHash,
      String secretKey) {
    StringBuilder canonical = new StringBuilder();
    canonical.append(request.getMethod()).append('\n');
    canonical.append(request.getRequestURI()).append('\n');
    canonical.append(canonicalQuery(request.getQueryString())).append('\n');
    for (String name : auth.signedHeaders()) {
      List<String> values = new ArrayList<>();
      for (String v : headers.apply(name)) {
        values.add(v.trim().replaceAll("\\s+", " "));
      }
      canonical.append(name).append(':').append(String.join(",", values)).append('\n');
    }
    canonical.append('\n');
    canonical.append(String.join(";", auth.signedHeaders())).append('\n');
    canonical.append(payloadHash);
    String stringToSign =
        ALGORITHM
            + "\n"
            + amzDate
            + "\n"
            + auth.scope()
            + "\n"
            + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    return hex(hmac(signingKey(secretKey, auth), stringToSign));
  }

  /** The signature of one {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD} chunk. */
  static String chunkSignature(
      String secretKey, Authorization auth, String amzDate, String previous, byte[] chunk) {
    String stringToSign =
        "AWS4-HMAC-SHA256-PAYLOAD\n"
            + amzDate
            + "\n"
            + auth.scope()
            + "\n"
            + previous
            + "\n"
            + EMPTY_SHA256
            + "\n"
            + hex(sha256(chunk));
    return hex(hmac(signingKey(secretKey, auth), stringToSign));
  }

  /** The signature of the trailing headers of a signed streaming upload. */
  static String trailerSignature(
      String secretKey, Authorization auth, String amzDate, String previous, byte[] trailer) {
    String stringToSign =
        "AWS4-HMAC-SHA256-TRAILER\n"
            + amzDate
            + "\n"
            + auth.scope()
            + "\n"
            + previous
            + "\n"
            + hex(sha256(trailer));
    return hex(hmac(signingKey(secretKey, auth), stringToSign));
  }

  static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }

  private static String canonicalQuery(String query) {
    if (query == null || query.isEmpty()) {
      return "";
    }
    List<Map.Entry<String, String>> params = new ArrayList<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.add(Map.entry(encode(decode(name)), encode(decode(value))));
    }
    Collections.sort(
        params,
        Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()));
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, String> p : params) {
      parts.add(p.getKey() + "=" + p.getValue());
    }
    return String.join("&", parts);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** RFC 3986 encoding: unreserved characters stay, everything else is %XX (upper-case hex). */
  private static String encode(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  private static byte[] signingKey(String secretKey, Authorization auth) {
    byte[] k = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), auth.date());
    k = hmac(k, auth.region());
    k = hmac(k, auth.service());
    return hmac(k, "aws4_request");
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }
}
