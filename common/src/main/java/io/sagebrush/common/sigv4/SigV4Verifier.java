package io.sagebrush.common.sigv4;

import io.sagebrush.common.error.ErrorCode;
import io.sagebrush.common.error.SagebrushException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 4 header authentication against one access key and secret.
 *
 * <p>Steps: 1. parse {@code Authorization} (credential scope, signed headers, signature); 2. check
 * the access key and that {@code X-Amz-Date} is within the allowed skew; 3. build the canonical
 * request (method, canonical URI, canonical query, signed headers, payload hash from {@code
 * x-amz-content-sha256} or the body's SHA-256); 4. build the string to sign; 5. derive the signing
 * key from the scope (cached per date, region and service) and compare signatures in constant time.
 *
 * <p>Thread-safe; one instance serves every request.
 */
public final class SigV4Verifier {
  public static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);
  private static final HexFormat HEX = HexFormat.of();
  private static final int MAX_CACHED_KEYS = 64;
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(() -> newInstance(() -> MessageDigest.getInstance("SHA-256")));
  private static final ThreadLocal<Mac> HMAC =
      ThreadLocal.withInitial(() -> newInstance(() -> Mac.getInstance("HmacSHA256")));

  private final String accessKey;
  private final String secretKey;
  private final Duration clockSkew;
  private final Clock clock;
  private final boolean allowStreamingPayload;
  private final ConcurrentHashMap<String, byte[]> signingKeys = new ConcurrentHashMap<>();

  /**
   * A verifier that also accepts {@code STREAMING-*} payload hashes (the control plane's API, which
   * has always accepted them).
   */
  public SigV4Verifier(String accessKey, String secretKey, Duration clockSkew, Clock clock) {
    this(accessKey, secretKey, clockSkew, clock, true);
  }

  /**
   * @param allowStreamingPayload whether an {@code x-amz-content-sha256} of {@code STREAMING-*} is
   *     accepted as declared (the body is then not checked against it); false for an edge that
   *     holds the whole body, such as the inference gateway
   */
  public SigV4Verifier(
      String accessKey,
      String secretKey,
      Duration clockSkew,
      Clock clock,
      boolean allowStreamingPayload) {
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.clockSkew = clockSkew;
    this.clock = clock;
    this.allowStreamingPayload = allowStreamingPayload;
  }

  /**
   * The scope of a verified request.
   *
   * @param accessKey the access key id
   * @param region the region the client signed for
   * @param service the service name the client signed for
   */
  public record Scope(String accessKey, String region, String service) {}

  /**
   * Verifies a request, hashing its body for the payload hash.
   *
   * @throws SagebrushException MISSING_AUTHENTICATION_TOKEN without an Authorization header;
   *     UNRECOGNIZED_CLIENT for an unknown access key; INVALID_SIGNATURE for anything malformed,
   *     stale or not matching
   */
  public Scope verify(SigV4Request request) {
    return verify(request, null);
  }

  /**
   * Verifies a request whose body the caller has already hashed (an edge that holds the body in
   * off-heap buffers hashes them in place instead of copying them into an array).
   *
   * @param bodySha256Hex lower-case hex SHA-256 of the body, or null to hash {@link
   *     SigV4Request#body()}
   * @throws SagebrushException as {@link #verify(SigV4Request)}
   */
  public Scope verify(SigV4Request request, String bodySha256Hex) {
    String authorization = request.header("Authorization");
    if (authorization == null || authorization.isBlank()) {
      throw new SagebrushException(
          ErrorCode.MISSING_AUTHENTICATION_TOKEN, "Missing Authentication Token");
    }
    Parsed auth = parse(authorization.trim());
    if (!accessKey.equals(auth.accessKey)) {
      throw new SagebrushException(
          ErrorCode.UNRECOGNIZED_CLIENT, "The security token included in the request is invalid.");
    }
    String amzDate = request.header("X-Amz-Date");
    if (amzDate == null) {
      throw invalid(
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    }
    amzDate = amzDate.trim();
    Instant signedAt = parseAmzDate(amzDate);
    Instant now = clock.instant();
    if (Duration.between(signedAt, now).abs().compareTo(clockSkew) > 0) {
      throw invalid(
          "Signature expired: "
              + amzDate
              + " is now earlier or later than "
              + AMZ_DATE.format(now.atOffset(ZoneOffset.UTC))
              + " by more than the allowed clock skew.");
    }
    if (!amzDate.startsWith(auth.date)) {
      throw invalid("Credential should be scoped to a valid date: " + auth.date);
    }
    String canonical =
        canonicalRequest(request, auth.signedHeaders, payloadHash(request, bodySha256Hex));
    String scope = auth.date + "/" + auth.region + "/" + auth.service + "/aws4_request";
    String stringToSign =
        ALGORITHM
            + "\n"
            + amzDate
            + "\n"
            + scope
            + "\n"
            + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
    byte[] expected = hmac(signingKey(auth), stringToSign);
    byte[] given;
    try {
      given = HEX.parseHex(auth.signature);
    } catch (IllegalArgumentException e) {
      throw invalid("Malformed signature.");
    }
    if (!MessageDigest.isEqual(expected, given)) {
      throw invalid(
          "The request signature we calculated does not match the signature you provided. Check"
              + " your AWS Secret Access Key and signing method. Consult the service documentation"
              + " for details.");
    }
    return new Scope(auth.accessKey, auth.region, auth.service);
  }

  /** Parses {@code yyyyMMdd'T'HHmmss'Z'} (by hand: this runs on every request). */
  static Instant parseAmzDate(String amzDate) {
    if (amzDate.length() == 16 && amzDate.charAt(8) == 'T' && amzDate.charAt(15) == 'Z') {
      int year = digits(amzDate, 0, 4);
      int month = digits(amzDate, 4, 6);
      int day = digits(amzDate, 6, 8);
      int hour = digits(amzDate, 9, 11);
      int minute = digits(amzDate, 11, 13);
      int second = digits(amzDate, 13, 15);
      if (year >= 0 && month >= 1 && day >= 1 && hour >= 0 && minute >= 0 && second >= 0) {
        try {
          return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
        } catch (java.time.DateTimeException e) {
          // falls through to the error below
        }
      }
    }
    try {
      return LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw invalid("Invalid X-Amz-Date: " + amzDate);
    }
  }

  private static int digits(String s, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** The derived key changes once a day per region and service, so it is computed once. */
  private byte[] signingKey(Parsed auth) {
    String cacheKey = auth.date + '/' + auth.region + '/' + auth.service;
    byte[] key = signingKeys.get(cacheKey);
    if (key == null) {
      key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), auth.date);
      key = hmac(key, auth.region);
      key = hmac(key, auth.service);
      key = hmac(key, "aws4_request");
      if (signingKeys.size() >= MAX_CACHED_KEYS) {
        signingKeys.clear();
      }
      signingKeys.put(cacheKey, key);
    }
    return key;
  }

  /** The canonical request of SigV4 (visible for tests). */
  public static String canonicalRequest(SigV4Request request, List<String> signedHeaders) {
    String declared = request.header("x-amz-content-sha256");
    return canonicalRequest(
        request,
        signedHeaders,
        declared != null && !declared.isBlank()
            ? declared.trim()
            : hex(sha256(request.body() == null ? new byte[0] : request.body())));
  }

  private static String canonicalRequest(
      SigV4Request request, List<String> signedHeaders, String payloadHash) {
    StringBuilder sb = new StringBuilder(256);
    sb.append(request.method().toUpperCase(Locale.ROOT)).append('\n');
    sb.append(canonicalUri(request.rawPath())).append('\n');
    sb.append(canonicalQuery(request.rawQuery())).append('\n');
    for (String name : signedHeaders) {
      List<String> values = request.headers().apply(name);
      sb.append(name).append(':');
      if (values != null) {
        for (int i = 0; i < values.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          appendTrimmed(sb, values.get(i));
        }
      }
      sb.append('\n');
    }
    sb.append('\n');
    sb.append(String.join(";", signedHeaders)).append('\n');
    sb.append(payloadHash);
    return sb.toString();
  }

  /** Appends a header value trimmed, with each run of whitespace collapsed to one space. */
  private static void appendTrimmed(StringBuilder sb, String value) {
    int start = 0;
    int end = value.length();
    while (start < end && Character.isWhitespace(value.charAt(start))) {
      start++;
    }
    while (end > start && Character.isWhitespace(value.charAt(end - 1))) {
      end--;
    }
    boolean inSpace = false;
    for (int i = start; i < end; i++) {
      char c = value.charAt(i);
      if (Character.isWhitespace(c)) {
        if (!inSpace) {
          sb.append(' ');
          inSpace = true;
        }
      } else {
        sb.append(c);
        inSpace = false;
      }
    }
  }

  /**
   * The payload hash of the canonical request: the body's SHA-256 when {@code x-amz-content-sha256}
   * is absent; else the header's value, which must be 64 hex digits equal to the body's SHA-256,
   * {@code UNSIGNED-PAYLOAD}, or (only where allowed) a {@code STREAMING-*} value. Anything else is
   * refused, so a client cannot sign an arbitrary string in place of the body's hash.
   */
  private String payloadHash(SigV4Request request, String bodySha256Hex) {
    String declared = request.header("x-amz-content-sha256");
    if (declared == null || declared.isBlank()) {
      return bodyHash(request, bodySha256Hex);
    }
    declared = declared.trim();
    if (declared.length() == 64 && isHex(declared)) {
      if (!declared.equalsIgnoreCase(bodyHash(request, bodySha256Hex))) {
        throw invalid(
            "The provided 'x-amz-content-sha256' header does not match what was computed.");
      }
      return declared;
    }
    if (declared.equals("UNSIGNED-PAYLOAD")
        || (allowStreamingPayload && declared.startsWith("STREAMING-"))) {
      return declared;
    }
    throw invalid("The 'x-amz-content-sha256' header has an unsupported value: " + declared);
  }

  private static String bodyHash(SigV4Request request, String bodySha256Hex) {
    return bodySha256Hex != null
        ? bodySha256Hex
        : hex(sha256(request.body() == null ? new byte[0] : request.body()));
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }

  /** Non-S3 services encode each path segment once more on top of the request's encoding. */
  public static String canonicalUri(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    String[] segments = rawPath.split("/", -1);
    StringBuilder sb = new StringBuilder(rawPath.length() + 8);
    for (int i = 0; i < segments.length; i++) {
      if (i > 0) {
        sb.append('/');
      }
      sb.append(encode(segments[i]));
    }
    return sb.toString();
  }

  /** The canonical query string: pairs decoded, re-encoded and sorted (visible for tests). */
  public static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String[]> pairs = new ArrayList<>();
    for (String part : rawQuery.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String name = eq < 0 ? part : part.substring(0, eq);
      String value = eq < 0 ? "" : part.substring(eq + 1);
      pairs.add(new String[] {encode(decode(name)), encode(decode(value))});
    }
    pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    List<String> joined = new ArrayList<>();
    for (String[] p : pairs) {
      joined.add(p[0] + "=" + p[1]);
    }
    return String.join("&", joined);
  }

  /** Decodes a query name or value; a malformed escape ({@code %zz}) is an invalid signature. */
  private static String decode(String s) {
    try {
      return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid("The query string is malformed: " + e.getMessage());
    }
  }

  /** RFC 3986 encoding: everything but unreserved characters. */
  public static String encode(String s) {
    if (isUnreserved(s)) {
      return s;
    }
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (isUnreserved(c)) {
        sb.append(c);
      } else {
        sb.append('%')
            .append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  private static boolean isUnreserved(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!isUnreserved(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isUnreserved(char c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_'
        || c == '.'
        || c == '~';
  }

  private record Parsed(
      String accessKey,
      String date,
      String region,
      String service,
      List<String> signedHeaders,
      String signature) {}

  private static Parsed parse(String authorization) {
    if (!authorization.startsWith(ALGORITHM + " ")) {
      throw invalid("Unsupported authorization scheme; expected " + ALGORITHM + ".");
    }
    String credential = null;
    String signedHeaders = null;
    String signature = null;
    for (String part : authorization.substring(ALGORITHM.length()).split(",")) {
      String p = part.trim();
      int eq = p.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String name = p.substring(0, eq).trim();
      String value = p.substring(eq + 1).trim();
      switch (name) {
        case "Credential" -> credential = value;
        case "SignedHeaders" -> signedHeaders = value;
        case "Signature" -> signature = value;
        default -> {}
      }
    }
    if (credential == null || signedHeaders == null || signature == null) {
      throw invalid(
          "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.");
    }
    String[] scope = credential.split("/");
    if (scope.length != 5 || !"aws4_request".equals(scope[4])) {
      throw invalid("Credential must be <access key>/<date>/<region>/<service>/aws4_request.");
    }
    List<String> headers = new ArrayList<>();
    for (String h : signedHeaders.split(";")) {
      if (!h.isBlank()) {
        headers.add(h.trim().toLowerCase(Locale.ROOT));
      }
    }
    return new Parsed(scope[0], scope[1], scope[2], scope[3], headers, signature);
  }

  private static SagebrushException invalid(String message) {
    return new SagebrushException(ErrorCode.INVALID_SIGNATURE, message);
  }

  /** SHA-256 of the bytes. */
  public static byte[] sha256(byte[] data) {
    MessageDigest digest = SHA256.get();
    digest.reset();
    return digest.digest(data);
  }

  private static byte[] hmac(byte[] key, String data) {
    Mac mac = HMAC.get();
    try {
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  /** Lower-case hex. */
  public static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  private interface Factory<T> {
    T create() throws GeneralSecurityException;
  }

  private static <T> T newInstance(Factory<T> factory) {
    try {
      return factory.create();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
