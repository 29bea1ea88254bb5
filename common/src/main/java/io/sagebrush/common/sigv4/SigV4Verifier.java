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
  private final ThreadLocal<Work> work = ThreadLocal.withInitial(Work::new);

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
    if (authorization == null || (authorization = authorization.strip()).isEmpty()) {
      throw new SagebrushException(
          ErrorCode.MISSING_AUTHENTICATION_TOKEN, "Missing Authentication Token");
    }
    Work work = this.work.get();
    Authorization auth = work.parse(authorization);
    if (!accessKey.equals(auth.scope.accessKey())) {
      throw new SagebrushException(
          ErrorCode.UNRECOGNIZED_CLIENT, "The security token included in the request is invalid.");
    }
    String amzDate = request.header("X-Amz-Date");
    if (amzDate == null) {
      throw invalid(
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    }
    amzDate = amzDate.strip();
    long signedAtMillis = work.amzDateMillis(amzDate);
    long nowMillis = clock.millis();
    if (Math.abs(nowMillis - signedAtMillis) > clockSkew.toMillis()) {
      throw invalid(
          "Signature expired: "
              + amzDate
              + " is now earlier or later than "
              + AMZ_DATE.format(Instant.ofEpochMilli(nowMillis).atOffset(ZoneOffset.UTC))
              + " by more than the allowed clock skew.");
    }
    if (!amzDate.startsWith(auth.date)) {
      throw invalid("Credential should be scoped to a valid date: " + auth.date);
    }
    Utf8Text canonical = work.text();
    appendCanonicalRequest(
        canonical, request, auth.signedHeaders, payloadHash(request, bodySha256Hex));
    byte[] canonicalHash = work.sha256(canonical);
    Utf8Text stringToSign = work.text();
    stringToSign.append(ALGORITHM).append('\n').append(amzDate).append('\n');
    stringToSign.append(auth.credentialScope).append('\n');
    stringToSign.appendHex(canonicalHash);
    byte[] expected = work.sign(signingKey(auth), stringToSign);
    if (!signatureMatches(expected, auth.signature)) {
      throw invalid(
          "The request signature we calculated does not match the signature you provided. Check"
              + " your AWS Secret Access Key and signing method. Consult the service documentation"
              + " for details.");
    }
    return auth.scope;
  }

  /**
   * Compares the computed signature with the given hex text in time that does not depend on where
   * they differ.
   *
   * @throws SagebrushException when the given signature is not 64 hex digits
   */
  private static boolean signatureMatches(byte[] expected, String given) {
    if (given.length() != expected.length * 2) {
      throw invalid("Malformed signature.");
    }
    int diff = 0;
    for (int i = 0; i < expected.length; i++) {
      int hi = hexValue(given.charAt(2 * i));
      int lo = hexValue(given.charAt(2 * i + 1));
      if (hi < 0 || lo < 0) {
        throw invalid("Malformed signature.");
      }
      diff |= ((hi << 4) | lo) ^ (expected[i] & 0xff);
    }
    return diff == 0;
  }

  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
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
  private byte[] signingKey(Authorization auth) {
    String cacheKey = auth.credentialScope;
    byte[] key = signingKeys.get(cacheKey);
    if (key == null) {
      key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), auth.date);
      key = hmac(key, auth.scope.region());
      key = hmac(key, auth.scope.service());
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
    Utf8Text text = new Utf8Text(256);
    appendCanonicalRequest(text, request, signedHeaders, payloadHash);
    return text.toString();
  }

  private static void appendCanonicalRequest(
      Utf8Text sb, SigV4Request request, List<String> signedHeaders, String payloadHash) {
    appendUpperCase(sb, request.method()).append('\n');
    appendCanonicalUri(sb, request.rawPath());
    sb.append('\n');
    String query = request.rawQuery();
    if (query != null && !query.isEmpty()) {
      sb.append(canonicalQuery(query));
    }
    sb.append('\n');
    SigV4Request.RawHeaders raw = request.rawHeaders();
    for (String name : signedHeaders) {
      sb.append(name).append(':');
      if (raw != null) {
        appendValues(sb, raw, name);
        sb.append('\n');
        continue;
      }
      List<String> values = request.headers().apply(name);
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
    for (int i = 0; i < signedHeaders.size(); i++) {
      if (i > 0) {
        sb.append(';');
      }
      sb.append(signedHeaders.get(i));
    }
    sb.append('\n');
    sb.append(payloadHash);
  }

  private static Utf8Text appendUpperCase(Utf8Text sb, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      sb.append(c >= 'a' && c <= 'z' ? (char) (c - ('a' - 'A')) : c);
    }
    return sb;
  }

  /**
   * Appends every value of header {@code name} from the bytes it arrived in, comma-separated, as
   * {@link #appendTrimmed} appends their ISO-8859-1 strings.
   */
  private static void appendValues(Utf8Text sb, SigV4Request.RawHeaders raw, String name) {
    byte[] head = raw.headBytes();
    boolean first = true;
    for (int h = 0, n = raw.headerCount(); h < n; h++) {
      if (!raw.nameIs(h, name)) {
        continue;
      }
      if (!first) {
        sb.append(',');
      }
      first = false;
      int start = raw.valueStart(h);
      int end = raw.valueEnd(h);
      while (start < end && isWhitespace(head[start])) {
        start++;
      }
      while (end > start && isWhitespace(head[end - 1])) {
        end--;
      }
      int run = start;
      for (int i = start; i < end; i++) {
        if (isWhitespace(head[i])) {
          if (run < i) {
            sb.appendLatin1(head, run, i).append(' ');
          }
          run = i + 1;
        }
      }
      sb.appendLatin1(head, run, end);
    }
  }

  /** {@link Character#isWhitespace} of the ISO-8859-1 character {@code b}. */
  private static boolean isWhitespace(byte b) {
    return b == ' ' || (b >= 0x09 && b <= 0x0d) || (b >= 0x1c && b <= 0x1f);
  }

  /** Appends a header value trimmed, with each run of whitespace collapsed to one space. */
  private static void appendTrimmed(Utf8Text sb, String value) {
    int start = 0;
    int end = value.length();
    while (start < end && Character.isWhitespace(value.charAt(start))) {
      start++;
    }
    while (end > start && Character.isWhitespace(value.charAt(end - 1))) {
      end--;
    }
    int run = start; // start of the current run of non-whitespace
    for (int i = start; i < end; i++) {
      if (Character.isWhitespace(value.charAt(i))) {
        if (run < i) {
          sb.append(value, run, i).append(' ');
        }
        run = i + 1;
      }
    }
    sb.append(value, run, end);
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
    Utf8Text text = new Utf8Text(rawPath == null ? 1 : rawPath.length() + 8);
    appendCanonicalUri(text, rawPath);
    return text.toString();
  }

  private static void appendCanonicalUri(Utf8Text sb, String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      sb.append('/');
      return;
    }
    boolean plain = true;
    for (int i = 0; i < rawPath.length() && plain; i++) {
      char c = rawPath.charAt(i);
      plain = c == '/' || isUnreserved(c);
    }
    if (plain) {
      sb.append(rawPath); // nothing to encode: the usual case
      return;
    }
    String[] segments = rawPath.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      if (i > 0) {
        sb.append('/');
      }
      appendEncoded(sb, segments[i]);
    }
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
    Utf8Text text = new Utf8Text(s.length() * 3);
    appendEncoded(text, s);
    return text.toString();
  }

  private static void appendEncoded(Utf8Text sb, String s) {
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

  /**
   * The parts of an Authorization header that stay the same from one request to the next of a
   * client (all but the signature), parsed once per distinct header prefix and thread.
   *
   * @param prefix the header up to (not including) the signature value
   * @param credentialScope {@code <date>/<region>/<service>/aws4_request}
   */
  private record Authorization(
      String prefix,
      Scope scope,
      String date,
      String credentialScope,
      List<String> signedHeaders,
      String signature) {

    Authorization withSignature(String signature) {
      return new Authorization(prefix, scope, date, credentialScope, signedHeaders, signature);
    }
  }

  private static Authorization parse(String authorization, int signatureAt, String signature) {
    if (!authorization.startsWith(ALGORITHM + " ")) {
      throw invalid("Unsupported authorization scheme; expected " + ALGORITHM + ".");
    }
    String credential = null;
    String signedHeaders = null;
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
    return new Authorization(
        signatureAt < 0 ? null : authorization.substring(0, signatureAt),
        new Scope(scope[0], scope[2], scope[3]),
        scope[1],
        scope[1] + "/" + scope[2] + "/" + scope[3] + "/aws4_request",
        List.copyOf(headers),
        signature);
  }

  /**
   * What one thread reuses from one verification to the next: text buffers, the digest and MAC, and
   * the last Authorization prefix and X-Amz-Date it parsed (a client sends the same ones again and
   * again, only the signature and, every second, the date change).
   */
  private static final class Work {
    private final Utf8Text text = new Utf8Text(512);
    private final MessageDigest sha256 = newInstance(() -> MessageDigest.getInstance("SHA-256"));
    private final Mac mac = newInstance(() -> Mac.getInstance("HmacSHA256"));
    private byte[] macKey;
    private Authorization lastAuthorization;
    private String lastAmzDate;
    private long lastAmzMillis;

    Utf8Text text() {
      text.clear();
      return text;
    }

    /** Parses the header, reusing the last parse when all but the signature is unchanged. */
    Authorization parse(String authorization) {
      Authorization last = lastAuthorization;
      if (last != null) {
        // the usual case, checked first: the same prefix, then a signature and nothing after it
        int at = last.prefix.length();
        if (authorization.startsWith(last.prefix)
            && authorization.indexOf(',', at) < 0
            && authorization.indexOf("Signature=", at) < 0) {
          return last.withSignature(authorization.substring(at).strip());
        }
      }
      int marker = authorization.lastIndexOf("Signature=");
      if (marker <= 0) {
        return SigV4Verifier.parse(authorization, -1, null);
      }
      char before = authorization.charAt(marker - 1);
      if (before != ',' && before != ' ') {
        // not a parameter of its own (e.g. inside another parameter's value)
        return SigV4Verifier.parse(authorization, -1, null);
      }
      int valueAt = marker + "Signature=".length();
      int valueEnd = authorization.indexOf(',', valueAt);
      if (valueEnd >= 0) {
        // something follows the signature: parse the general way
        return SigV4Verifier.parse(
            authorization, -1, authorization.substring(valueAt, valueEnd).strip());
      }
      String signature = authorization.substring(valueAt).strip();
      Authorization parsed = SigV4Verifier.parse(authorization, valueAt, signature);
      lastAuthorization = parsed;
      return parsed;
    }

    long amzDateMillis(String amzDate) {
      if (!amzDate.equals(lastAmzDate)) {
        lastAmzMillis = parseAmzDate(amzDate).toEpochMilli();
        lastAmzDate = amzDate;
      }
      return lastAmzMillis;
    }

    /** SHA-256 of the text's bytes. */
    byte[] sha256(Utf8Text text) {
      sha256.reset();
      sha256.update(text.bytes(), 0, text.length());
      return sha256.digest();
    }

    /** HMAC-SHA256 of the text's bytes with {@code key} (the MAC is set up once per key). */
    byte[] sign(byte[] key, Utf8Text text) {
      if (key != macKey) {
        try {
          mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException(e);
        }
        macKey = key;
      }
      mac.update(text.bytes(), 0, text.length());
      return mac.doFinal();
    }
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
