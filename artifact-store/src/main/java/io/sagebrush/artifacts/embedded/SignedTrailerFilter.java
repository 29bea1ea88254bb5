package io.sagebrush.artifacts.embedded;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * Accepts {@code x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER}, which the AWS
 * SDK for Java v2 (2.30+) sends by default for uploads over plain http and S3Proxy 3.1 rejects.
 *
 * <p>Steps, for such a request only (everything else passes through untouched):
 *
 * <ol>
 *   <li>Verify the request's SigV4 signature with the server's credentials; a request that does not
 *       verify is answered here with 403 InvalidAccessKeyId or SignatureDoesNotMatch.
 *   <li>Decode the aws-chunked body into a temporary file, verifying every chunk signature, the
 *       trailer signature and the trailing checksum (CRC32, CRC32C, SHA-1 or SHA-256).
 *   <li>Hand S3Proxy an equivalent plain request: the decoded body, {@code UNSIGNED-PAYLOAD}, the
 *       decoded length, without the aws-chunked and trailer headers, re-signed with the same
 *       credentials, date and scope.
 * </ol>
 */
final class SignedTrailerFilter implements Filter {
  static final String SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
  private static final Set<String> DROPPED =
      Set.of(
          "content-encoding",
          "x-amz-decoded-content-length",
          "x-amz-trailer",
          "x-amz-sdk-checksum-algorithm");
  private static final int MAX_LINE = 4096;

  private final String accessKey;
  private final String secretKey;

  SignedTrailerFilter(String accessKey, String secretKey) {
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    if (!SIGNED_TRAILER.equals(request.getHeader("x-amz-content-sha256"))) {
      chain.doFilter(req, res);
      return;
    }
    HttpServletResponse response = (HttpServletResponse) res;
    SigV4.Authorization auth = SigV4.parse(request.getHeader("Authorization"));
    String amzDate = request.getHeader("x-amz-date");
    if (auth == null || amzDate == null) {
      sendError(response, 403, "AccessDenied", "A signed streaming upload needs SigV4 headers.");
      return;
    }
    if (!accessKey.equals(auth.accessKey())) {
      sendError(
          response,
          403,
          "InvalidAccessKeyId",
          "The AWS Access Key Id you provided does not exist in our records.");
      return;
    }
    String expected =
        SigV4.sign(
            request, name -> values(request, name), auth, amzDate, SIGNED_TRAILER, secretKey);
    if (!SigV4.constantTimeEquals(auth.signature(), expected)) {
      sendError(
          response,
          403,
          "SignatureDoesNotMatch",
          "The request signature we calculated does not match the signature you provided.");
      return;
    }
    Path body = Files.createTempFile("sagebrush-s3-upload", ".bin");
    try {
      long length;
      try {
        length = decode(request, auth, amzDate, body);
      } catch (MalformedUpload e) {
        sendError(response, 400, "InvalidRequest", e.getMessage());
        return;
      }
      chain.doFilter(new DecodedRequest(request, auth, amzDate, body, length), res);
    } finally {
      Files.deleteIfExists(body);
    }
  }

  /** An S3-shaped XML error, as S3Proxy itself answers. */
  private static void sendError(
      HttpServletResponse response, int status, String code, String message) throws IOException {
    byte[] body =
        ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
                + code
                + "</Code><Message>"
                + message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                + "</Message></Error>")
            .getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType("application/xml");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private static List<String> values(HttpServletRequest request, String name) {
    return Collections.list(request.getHeaders(name));
  }

  /** Decodes the signed aws-chunked body into {@code target}; returns the decoded length. */
  private long decode(
      HttpServletRequest request, SigV4.Authorization auth, String amzDate, Path target)
      throws IOException, MalformedUpload {
    String previous = auth.signature();
    long total = 0;
    String trailerName = request.getHeader("x-amz-trailer");
    try (InputStream in = new BufferedInputStream(request.getInputStream(), 64 * 1024);
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 64 * 1024)) {
      Checksum checksum = checksumFor(trailerName);
      MessageDigest digest = digestFor(trailerName);
      while (true) {
        String header = readLine(in);
        int semicolon = header.indexOf(";chunk-signature=");
        if (semicolon < 0) {
          throw new MalformedUpload("aws-chunked chunk header without a signature");
        }
        int size;
        try {
          size = Integer.parseInt(header.substring(0, semicolon), 16);
        } catch (NumberFormatException e) {
          throw new MalformedUpload("aws-chunked chunk size is not hexadecimal");
        }
        String signature = header.substring(semicolon + ";chunk-signature=".length());
        byte[] chunk = in.readNBytes(size);
        if (chunk.length != size) {
          throw new MalformedUpload("aws-chunked body ends inside a chunk");
        }
        String expected = SigV4.chunkSignature(secretKey, auth, amzDate, previous, chunk);
        if (!SigV4.constantTimeEquals(expected, signature)) {
          throw new MalformedUpload("aws-chunked chunk signature does not match");
        }
        previous = signature;
        if (size == 0) {
          break;
        }
        if (!readLine(in).isEmpty()) {
          throw new MalformedUpload("aws-chunked chunk is not followed by CRLF");
        }
        out.write(chunk);
        total += size;
        if (checksum != null) {
          checksum.update(chunk, 0, chunk.length);
        }
        if (digest != null) {
          digest.update(chunk);
        }
      }
      verifyTrailer(in, auth, amzDate, previous, trailerName, checksum, digest);
    }
    return total;
  }

  private void verifyTrailer(
      InputStream in,
      SigV4.Authorization auth,
      String amzDate,
      String previous,
      String trailerName,
      Checksum checksum,
      MessageDigest digest)
      throws IOException, MalformedUpload {
    Map<String, String> trailers = new LinkedHashMap<>();
    ByteArrayOutputStream signed = new ByteArrayOutputStream();
    String signature = null;
    String line;
    while (!(line = readLine(in)).isEmpty()) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        throw new MalformedUpload("aws-chunked trailer line without ':'");
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      if (name.equals("x-amz-trailer-signature")) {
        signature = value;
      } else {
        trailers.put(name, value);
        signed.writeBytes((name + ":" + value + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    if (signature == null
        || !SigV4.constantTimeEquals(
            SigV4.trailerSignature(secretKey, auth, amzDate, previous, signed.toByteArray()),
            signature)) {
      throw new MalformedUpload("aws-chunked trailer signature does not match");
    }
    if (trailerName == null) {
      return;
    }
    String sent = trailers.get(trailerName.trim().toLowerCase(Locale.ROOT));
    if (sent == null) {
      throw new MalformedUpload("the trailer " + trailerName + " is missing");
    }
    byte[] actual = null;
    if (checksum != null) {
      long v = checksum.getValue();
      actual = new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    } else if (digest != null) {
      actual = digest.digest();
    }
    if (actual != null && !Base64.getEncoder().encodeToString(actual).equals(sent)) {
      throw new MalformedUpload("the " + trailerName + " checksum does not match the body");
    }
  }

  private static Checksum checksumFor(String trailer) {
    if (trailer == null) {
      return null;
    }
    return switch (trailer.trim().toLowerCase(Locale.ROOT)) {
      case "x-amz-checksum-crc32" -> new CRC32();
      case "x-amz-checksum-crc32c" -> new CRC32C();
      default -> null;
    };
  }

  private static MessageDigest digestFor(String trailer) {
    if (trailer == null) {
      return null;
    }
    try {
      return switch (trailer.trim().toLowerCase(Locale.ROOT)) {
        case "x-amz-checksum-sha1" -> MessageDigest.getInstance("SHA-1");
        case "x-amz-checksum-sha256" -> MessageDigest.getInstance("SHA-256");
        default -> null;
      };
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads one CRLF-terminated line (without the CRLF). */
  private static String readLine(InputStream in) throws IOException, MalformedUpload {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\r') {
        if (in.read() != '\n') {
          throw new MalformedUpload("aws-chunked line without CRLF");
        }
        return line.toString(StandardCharsets.UTF_8);
      }
      line.write(b);
      if (line.size() > MAX_LINE) {
        throw new MalformedUpload("aws-chunked line too long");
      }
    }
    if (line.size() == 0) {
      return "";
    }
    throw new MalformedUpload("aws-chunked body ends inside a line");
  }

  /** A body that is not a well-formed, correctly signed aws-chunked payload. */
  private static final class MalformedUpload extends Exception {
    MalformedUpload(String message) {
      super(message);
    }
  }

  /** The same request with the decoded body, as an {@code UNSIGNED-PAYLOAD} upload. */
  private final class DecodedRequest extends HttpServletRequestWrapper {
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private final Path body;
    private final long length;

    DecodedRequest(
        HttpServletRequest request,
        SigV4.Authorization auth,
        String amzDate,
        Path body,
        long length) {
      super(request);
      this.body = body;
      this.length = length;
      for (String name : Collections.list(request.getHeaderNames())) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (!DROPPED.contains(lower)) {
          headers.put(lower, Collections.list(request.getHeaders(name)));
        }
      }
      String encoding = request.getHeader("Content-Encoding");
      if (encoding != null) {
        List<String> rest = new ArrayList<>();
        for (String e : encoding.split(",")) {
          if (!e.trim().equalsIgnoreCase("aws-chunked") && !e.isBlank()) {
            rest.add(e.trim());
          }
        }
        if (!rest.isEmpty()) {
          headers.put("content-encoding", List.of(String.join(",", rest)));
        }
      }
      headers.put("content-length", List.of(Long.toString(length)));
      headers.put("x-amz-content-sha256", List.of("UNSIGNED-PAYLOAD"));
      List<String> signedHeaders = new ArrayList<>();
      for (String name : auth.signedHeaders()) {
        if (headers.containsKey(name)) {
          signedHeaders.add(name);
        }
      }
      SigV4.Authorization unsigned =
          new SigV4.Authorization(
              auth.accessKey(), auth.date(), auth.region(), auth.service(), signedHeaders, "");
      String signature =
          SigV4.sign(
              this,
              n -> headers.getOrDefault(n, List.of()),
              unsigned,
              amzDate,
              "UNSIGNED-PAYLOAD",
              secretKey);
      headers.put(
          "authorization",
          List.of(
              new SigV4.Authorization(
                      auth.accessKey(),
                      auth.date(),
                      auth.region(),
                      auth.service(),
                      signedHeaders,
                      signature)
                  .header()));
    }

    @Override
    public String getHeader(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return Collections.enumeration(
          headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()));
    }

    @Override
    public Enumeration<String> getHeaderNames() {
      return Collections.enumeration(headers.keySet());
    }

    @Override
    public int getContentLength() {
      return length > Integer.MAX_VALUE ? -1 : (int) length;
    }

    @Override
    public long getContentLengthLong() {
      return length;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      InputStream in = new BufferedInputStream(Files.newInputStream(body), 64 * 1024);
      return new ServletInputStream() {
        private boolean finished;

        @Override
        public int read() throws IOException {
          int b = in.read();
          finished = b < 0;
          return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int len) throws IOException {
          int n = in.read(buffer, offset, len);
          finished = n < 0;
          return n;
        }

        @Override
        public boolean isFinished() {
          return finished;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("blocking reads only");
        }

        @Override
        public void close() throws IOException {
          in.close();
        }
      };
    }
  }
}
