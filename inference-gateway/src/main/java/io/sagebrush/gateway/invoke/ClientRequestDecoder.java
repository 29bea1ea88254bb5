package io.sagebrush.gateway.invoke;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Reads HTTP/1.x requests from a client connection (RFC 9112) and passes each on whole, as one
 * {@link ClientRequest} with its body, or in its place:
 *
 * <ul>
 *   <li>{@link OversizedRequest} for a body over the limit, announced or found while reading
 *       chunks. Its body is read and dropped, and the next request on the connection is read as
 *       usual; a client waiting for {@code 100 Continue} does not get it, and the connection then
 *       ends with the answer;
 *   <li>{@link UnmetExpectation} for an HTTP/1.1 request that expects anything but {@code
 *       100-continue}; nothing more is read (the client may or may not send the body);
 *   <li>{@link MalformedRequest} for anything that breaks the syntax or framing rules, including a
 *       head over the size limits, a bad chunk, conflicting lengths, or a {@code Transfer-Encoding}
 *       on HTTP/1.0; nothing more is read.
 * </ul>
 *
 * A request that expects {@code 100-continue} and fits gets the interim answer, unless an earlier
 * request of the connection is still being answered: the 100 would land inside that answer, and the
 * client then sends its body after its own wait, as RFC 9110 10.1.1 lets it.
 *
 * <p>The head is copied once into an array and the headers are recorded as positions in it, with no
 * header map: the gateway reads only a few of them, most only to compare their names. A body that
 * arrived whole with its head is passed on as a slice of the read buffer, without a copy.
 */
final class ClientRequestDecoder extends ByteToMessageDecoder {
  /** Passed on in place of a request whose {@code Expect} header cannot be met. */
  enum UnmetExpectation {
    INSTANCE
  }

  /** The longest request line accepted. */
  static final int MAX_REQUEST_LINE = 4096;

  /** The most bytes of header lines (and, separately, of trailer lines) accepted. */
  static final int MAX_HEADER_BYTES = 16384;

  private static final int MAX_CHUNK_LINE = 1024;
  private static final int FIRST_BODY_BUFFER = 64 * 1024;
  private static final byte[] CONTINUE =
      "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /** RFC 9110 tchar: the characters of methods and header names. */
  private static final boolean[] TOKEN = new boolean[256];

  static {
    for (char c = '0'; c <= '9'; c++) {
      TOKEN[c] = true;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      TOKEN[c] = true;
      TOKEN[c - 'a' + 'A'] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TOKEN[c] = true;
    }
  }

  /** Control characters, which a header value must not hold (all but HTAB, and DEL). */
  private static final boolean[] CONTROL = new boolean[256];

  static {
    for (int c = 0; c < ' '; c++) {
      CONTROL[c] = c != '\t';
    }
    CONTROL[0x7f] = true;
  }

  private enum State {
    HEAD,
    FIXED_BODY,
    CHUNK_SIZE,
    CHUNK_DATA,
    CHUNK_END,
    TRAILERS,
    DONE
  }

  private final int maxBodyBytes;
  private State state = State.HEAD;

  /** The request whose body is being read, or null while its body is dropped. */
  private Head head;

  private ByteBuf body;
  private long remaining;
  private int trailerBytes;

  /**
   * How far past the reader index the incomplete head has been looked at: the start of its last
   * (incomplete) line, and how much of that line has been scanned for its end.
   */
  private int scanLine;

  private int scanned;

  ClientRequestDecoder(int maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  /** A parsed head waiting for its body. */
  private record Head(
      String method,
      String uri,
      boolean http10,
      boolean keepAlive,
      byte[] bytes,
      int[] fields,
      int headerCount) {

    ClientRequest with(ByteBuf content) {
      return new ClientRequest(method, uri, http10, keepAlive, bytes, fields, headerCount, content);
    }
  }

  /** A rule of the protocol was broken; the message names which. */
  private static final class Malformed extends Exception {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    try {
      // one message at a time: it reaches the handler before the next head is read, so the
      // 100 Continue check below sees whether that handler is still busy
      while (in.isReadable() && out.isEmpty()) {
        boolean progress =
            switch (state) {
              case HEAD -> readHead(ctx, in, out);
              case FIXED_BODY -> readFixedBody(in, out);
              case CHUNK_SIZE -> readChunkSize(ctx, in, out);
              case CHUNK_DATA -> readChunkData(in);
              case CHUNK_END -> readChunkEnd(in);
              case TRAILERS -> readTrailers(in, out);
              case DONE -> {
                in.skipBytes(in.readableBytes());
                yield false;
              }
            };
        if (!progress) {
          return;
        }
      }
    } catch (Malformed e) {
      // a request already answered (as oversized) gets no second answer: the connection just ends
      boolean answered = droppingBody();
      dropBody();
      head = null;
      scanLine = scanned = 0;
      state = State.DONE;
      in.skipBytes(in.readableBytes());
      out.add(answered ? MalformedRequest.AFTER_ANSWER : new MalformedRequest(e.getMessage()));
    }
  }

  // ---------------------------------------------------------------- head

  private boolean readHead(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
      throws Malformed {
    int start = in.readerIndex();
    int limit = in.writerIndex();
    // empty lines before a request line are ignored (RFC 9112 2.2)
    while (start < limit && (in.getByte(start) == '\r' || in.getByte(start) == '\n')) {
      start++;
    }
    if (start != in.readerIndex()) {
      in.readerIndex(start);
      scanLine = scanned = 0;
    }
    if (start == limit) {
      return false;
    }
    int end = headEnd(in, start, limit);
    if (end < 0) {
      return false;
    }
    byte[] bytes = new byte[end - start];
    in.getBytes(start, bytes);
    in.readerIndex(end);
    parseHead(ctx, in, out, bytes);
    return true;
  }

  /**
   * The index after the empty line that ends the head, or -1 while it is incomplete. What was
   * looked at is not scanned again when more bytes arrive ({@link #scanLine}, {@link #scanned}).
   * Every line must end with CR LF: a bare LF is read differently by different parsers.
   */
  private int headEnd(ByteBuf in, int start, int limit) throws Malformed {
    int lineStart = start + scanLine;
    int from = start + scanned;
    while (true) {
      int nl = in.indexOf(from, limit, (byte) '\n');
      if (nl < 0) {
        // limits without the line ends: CR LF after the request line, each header and the head
        if (lineStart == start && limit - start > MAX_REQUEST_LINE + 1) {
          throw new Malformed("the request line is longer than " + MAX_REQUEST_LINE + " bytes");
        }
        if (limit - start > MAX_REQUEST_LINE + 2 + MAX_HEADER_BYTES + 2) {
          throw new Malformed("the request headers are larger than " + MAX_HEADER_BYTES + " bytes");
        }
        scanLine = lineStart - start;
        scanned = limit - start;
        return -1;
      }
      if (nl == lineStart || in.getByte(nl - 1) != '\r') {
        throw new Malformed("a line ends with a bare LF instead of CR LF");
      }
      if (nl - 1 == lineStart && lineStart != start) {
        scanLine = scanned = 0;
        return nl + 1;
      }
      lineStart = from = nl + 1;
    }
  }

  private void parseHead(ChannelHandlerContext ctx, ByteBuf in, List<Object> out, byte[] b)
      throws Malformed {
    // request line: method SP request-target SP HTTP-version
    int lineEnd = indexOf(b, 0, b.length, (byte) '\n') - 1; // every line ends with CR LF
    if (lineEnd > MAX_REQUEST_LINE) {
      throw new Malformed("the request line is longer than " + MAX_REQUEST_LINE + " bytes");
    }
    int sp1 = indexOf(b, 0, lineEnd, (byte) ' ');
    int sp2 = sp1 < 0 ? -1 : indexOf(b, sp1 + 1, lineEnd, (byte) ' ');
    if (sp1 <= 0 || sp2 <= sp1 + 1 || indexOf(b, sp2 + 1, lineEnd, (byte) ' ') >= 0) {
      throw new Malformed("the request line is not <method> <target> <version>");
    }
    for (int i = 0; i < sp1; i++) {
      if (!isTokenChar(b[i])) {
        throw new Malformed("the method contains a character that is not allowed");
      }
    }
    for (int i = sp1 + 1; i < sp2; i++) {
      if ((b[i] & 0xff) <= ' ' || b[i] == 0x7f) {
        throw new Malformed("the request target contains a character that is not allowed");
      }
    }
    boolean http10;
    if (regionIs(b, sp2 + 1, lineEnd, "HTTP/1.1")) {
      http10 = false;
    } else if (regionIs(b, sp2 + 1, lineEnd, "HTTP/1.0")) {
      http10 = true;
    } else {
      throw new Malformed("only HTTP/1.1 and HTTP/1.0 are served");
    }
    String method = method(b, sp1);
    String uri = new String(b, sp1 + 1, sp2 - sp1 - 1, StandardCharsets.ISO_8859_1);

    // header lines
    int[] fields = new int[4 * 12];
    int count = 0;
    long contentLength = -1;
    boolean chunked = false;
    boolean transferEncoding = false;
    boolean close = false;
    boolean keepAliveAsked = false;
    int expectAt = -1;
    int firstHeader = lineEnd + 2;
    if (b.length - firstHeader > MAX_HEADER_BYTES + 2) {
      throw new Malformed("the request headers are larger than " + MAX_HEADER_BYTES + " bytes");
    }
    int pos = firstHeader;
    while (true) {
      // one pass per line: the name up to the colon, blanks, the value up to the line's end (the
      // head ends with an empty line, so every line before it ends with LF inside the array)
      byte first = b[pos];
      if (first == '\r' && b[pos + 1] == '\n') {
        break; // the empty line
      }
      if (first == ' ' || first == '\t') {
        throw new Malformed("a header line is folded (obsolete line folding is not accepted)");
      }
      int colon = pos;
      while (isTokenChar(b[colon])) {
        colon++;
      }
      if (b[colon] != ':' || colon == pos) {
        throw new Malformed(
            colon == pos || b[colon] == '\r'
                ? "a header line has no name or no colon"
                : "a header name contains a character that is not allowed");
      }
      int valueStart = colon + 1;
      while (b[valueStart] == ' ' || b[valueStart] == '\t') {
        valueStart++;
      }
      int i = valueStart;
      while (!CONTROL[b[i] & 0xff]) {
        i++;
      }
      if (b[i] != '\r' || b[i + 1] != '\n') {
        throw new Malformed("a header value contains a control character");
      }
      int valueEnd = i++;
      while (valueEnd > valueStart && (b[valueEnd - 1] == ' ' || b[valueEnd - 1] == '\t')) {
        valueEnd--;
      }
      if (4 * count + 4 > fields.length) {
        fields = Arrays.copyOf(fields, fields.length * 2);
      }
      fields[4 * count] = pos;
      fields[4 * count + 1] = colon;
      fields[4 * count + 2] = valueStart;
      fields[4 * count + 3] = valueEnd;
      count++;
      int lineStart = pos;
      pos = i + 1;

      int nameLength = colon - lineStart;
      if (nameLength == 14 && nameIs(b, lineStart, "content-length")) {
        long length = contentLength(b, valueStart, valueEnd);
        if (contentLength >= 0 && contentLength != length) {
          throw new Malformed("the request has two different Content-Length headers");
        }
        contentLength = length;
      } else if (nameLength == 17 && nameIs(b, lineStart, "transfer-encoding")) {
        transferEncoding = true;
        chunked = lastCodingIsChunked(b, valueStart, valueEnd);
      } else if (nameLength == 10 && nameIs(b, lineStart, "connection")) {
        close |= hasToken(b, valueStart, valueEnd, "close");
        keepAliveAsked |= hasToken(b, valueStart, valueEnd, "keep-alive");
      } else if (nameLength == 6 && nameIs(b, lineStart, "expect")) {
        expectAt = count - 1;
      }
    }

    if (transferEncoding) {
      if (http10) {
        throw new Malformed("HTTP/1.0 requests cannot use Transfer-Encoding");
      }
      if (!chunked) {
        throw new Malformed("the last transfer coding must be chunked");
      }
      if (contentLength >= 0) {
        throw new Malformed("the request has both Content-Length and Transfer-Encoding");
      }
    }
    boolean keepAlive = http10 ? keepAliveAsked && !close : !close;
    Head parsed = new Head(method, uri, http10, keepAlive, b, fields, count);

    if (expectAt >= 0 && !http10) { // HTTP/1.0 has no expectations
      int at = fields[4 * expectAt + 2];
      int length = fields[4 * expectAt + 3] - at;
      if (length != 12 || !nameIs(b, at, "100-continue")) {
        // answered in turn with 417, and the connection ends: the client may or may not send the
        // body now, so nothing after it can be read reliably
        state = State.DONE;
        out.add(UnmetExpectation.INSTANCE);
        return;
      }
      if (contentLength > maxBodyBytes) {
        // no 100 Continue: the client never sends the body, so the connection must end
        state = State.DONE;
        out.add(new OversizedRequest(false));
        return;
      }
      GatewayHandler handler = ctx.pipeline().get(GatewayHandler.class);
      if (handler == null || !handler.busy()) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(CONTINUE), ctx.voidPromise());
      }
    }

    if (chunked) {
      head = parsed;
      state = State.CHUNK_SIZE;
      return;
    }
    if (contentLength > maxBodyBytes) {
      out.add(new OversizedRequest(keepAlive));
      head = null; // the body is dropped as it arrives
      remaining = contentLength;
      state = State.FIXED_BODY;
      return;
    }
    if (contentLength <= 0) {
      out.add(parsed.with(Unpooled.EMPTY_BUFFER));
      return;
    }
    if (in.readableBytes() >= contentLength) {
      // the usual case: the body came with its head
      out.add(parsed.with(in.readRetainedSlice((int) contentLength)));
      return;
    }
    head = parsed;
    // grown as the body arrives: a declared length reserves nothing
    body = ctx.alloc().buffer((int) Math.min(contentLength, FIRST_BODY_BUFFER));
    remaining = contentLength;
    state = State.FIXED_BODY;
  }

  private static String method(byte[] b, int length) {
    if (regionIs(b, 0, length, "POST")) {
      return "POST";
    }
    if (regionIs(b, 0, length, "GET")) {
      return "GET";
    }
    if (regionIs(b, 0, length, "HEAD")) {
      return "HEAD";
    }
    return new String(b, 0, length, StandardCharsets.ISO_8859_1);
  }

  private static long contentLength(byte[] b, int start, int end) throws Malformed {
    if (start == end || end - start > 18) {
      throw new Malformed("the Content-Length header is not a number of bytes");
    }
    long value = 0;
    for (int i = start; i < end; i++) {
      if (b[i] < '0' || b[i] > '9') {
        throw new Malformed("the Content-Length header is not a number of bytes");
      }
      value = value * 10 + (b[i] - '0');
    }
    return value;
  }

  private static boolean lastCodingIsChunked(byte[] b, int start, int end) {
    int comma = end;
    while (comma > start && b[comma - 1] != ',') {
      comma--;
    }
    int s = comma;
    int e = end;
    while (s < e && (b[s] == ' ' || b[s] == '\t')) {
      s++;
    }
    return e - s == 7 && nameIs(b, s, "chunked");
  }

  /** Whether a comma-separated list contains {@code token}, ignoring case and blanks. */
  private static boolean hasToken(byte[] b, int start, int end, String token) {
    int s = start;
    while (s < end) {
      int e = s;
      while (e < end && b[e] != ',') {
        e++;
      }
      int ts = s;
      int te = e;
      while (ts < te && (b[ts] == ' ' || b[ts] == '\t')) {
        ts++;
      }
      while (te > ts && (b[te - 1] == ' ' || b[te - 1] == '\t')) {
        te--;
      }
      if (te - ts == token.length() && nameIs(b, ts, token)) {
        return true;
      }
      s = e + 1;
    }
    return false;
  }

  // ---------------------------------------------------------------- bodies

  /**
   * Takes up to {@link #remaining} body bytes into the body (or drops them while it is dropped).
   *
   * @return whether none remain
   */
  private boolean takeBodyBytes(ByteBuf in) {
    int n = (int) Math.min(remaining, in.readableBytes());
    if (body != null) {
      body.writeBytes(in, n);
    } else {
      in.skipBytes(n);
    }
    remaining -= n;
    return remaining == 0;
  }

  private boolean readFixedBody(ByteBuf in, List<Object> out) {
    if (!takeBodyBytes(in)) {
      return false;
    }
    finishBody(out);
    return true;
  }

  private boolean readChunkSize(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
      throws Malformed {
    int start = in.readerIndex();
    int nl = in.indexOf(start, in.writerIndex(), (byte) '\n');
    if (nl < 0) {
      if (in.readableBytes() > MAX_CHUNK_LINE) {
        throw new Malformed("a chunk size line is longer than " + MAX_CHUNK_LINE + " bytes");
      }
      return false;
    }
    int end = nl - 1; // before the CR
    if (end < start || in.getByte(end) != '\r') {
      throw new Malformed("a chunk size line ends with a bare LF instead of CR LF");
    }
    if (in.indexOf(start, end, (byte) '\r') >= 0) {
      throw new Malformed("a chunk size line contains a bare CR");
    }
    long size = 0;
    int digits = 0;
    int i = start;
    for (; i < end; i++) {
      int d = Character.digit(in.getByte(i), 16);
      if (d < 0) {
        break;
      }
      if (++digits > 15) {
        throw new Malformed("a chunk size is too large");
      }
      size = size * 16 + d;
    }
    int rest = i;
    while (rest < end && (in.getByte(rest) == ' ' || in.getByte(rest) == '\t')) {
      rest++;
    }
    if (digits == 0 || (rest < end && in.getByte(rest) != ';')) {
      throw new Malformed("a chunk size is not a hexadecimal number");
    }
    in.readerIndex(nl + 1);
    if (size == 0) {
      trailerBytes = 0;
      state = State.TRAILERS;
      return true;
    }
    if (head != null) {
      long sofar = body == null ? 0 : body.readableBytes();
      if (sofar + size > maxBodyBytes) {
        // the body is dropped from here on; the request is answered once it has been read
        dropBody();
        boolean keepAlive = head.keepAlive();
        head = null;
        out.add(new OversizedRequest(keepAlive));
      } else if (body == null) {
        body = ctx.alloc().buffer((int) Math.min(size, FIRST_BODY_BUFFER));
      }
    }
    remaining = size;
    state = State.CHUNK_DATA;
    return true;
  }

  private boolean readChunkData(ByteBuf in) {
    if (!takeBodyBytes(in)) {
      return false;
    }
    state = State.CHUNK_END;
    return true;
  }

  private boolean readChunkEnd(ByteBuf in) throws Malformed {
    int at = in.readerIndex();
    if (in.getByte(at) != '\r') {
      throw new Malformed("a chunk is longer than its size says");
    }
    if (in.readableBytes() < 2) {
      return false;
    }
    if (in.getByte(at + 1) != '\n') {
      throw new Malformed("a chunk does not end with CR LF");
    }
    in.skipBytes(2);
    state = State.CHUNK_SIZE;
    return true;
  }

  /** Reads and drops the trailer lines up to the empty line that ends the request. */
  private boolean readTrailers(ByteBuf in, List<Object> out) throws Malformed {
    while (true) {
      int start = in.readerIndex();
      int nl = in.indexOf(start, in.writerIndex(), (byte) '\n');
      if (nl < 0) {
        if (trailerBytes + in.readableBytes() > MAX_HEADER_BYTES) {
          throw new Malformed("the trailers are larger than " + MAX_HEADER_BYTES + " bytes");
        }
        return false;
      }
      if (nl == start || in.getByte(nl - 1) != '\r') {
        throw new Malformed("a trailer line ends with a bare LF instead of CR LF");
      }
      in.readerIndex(nl + 1);
      if (nl - 1 == start) {
        finishBody(out);
        return true;
      }
      trailerBytes += nl + 1 - start;
      if (trailerBytes > MAX_HEADER_BYTES) {
        throw new Malformed("the trailers are larger than " + MAX_HEADER_BYTES + " bytes");
      }
      byte c = in.getByte(start);
      if (c == ' ' || c == '\t' || in.indexOf(start, nl, (byte) ':') <= start) {
        throw new Malformed("a trailer line is not <name>: <value>");
      }
    }
  }

  /** The body is complete: passes the request on (unless it was dropped) and reads the next. */
  private void finishBody(List<Object> out) {
    if (head != null) {
      ByteBuf content = body != null ? body : Unpooled.EMPTY_BUFFER;
      body = null;
      out.add(head.with(content));
      head = null;
    }
    state = State.HEAD;
  }

  /** Whether a body is being read for no request: one answered as oversized, and dropped. */
  private boolean droppingBody() {
    return head == null && state != State.HEAD && state != State.DONE;
  }

  private void dropBody() {
    if (body != null) {
      body.release();
      body = null;
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    dropBody();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    try {
      super.channelInactive(ctx);
    } finally {
      dropBody();
    }
  }

  // ---------------------------------------------------------------- bytes

  private static int indexOf(byte[] b, int from, int to, byte value) {
    for (int i = from; i < to; i++) {
      if (b[i] == value) {
        return i;
      }
    }
    return -1;
  }

  private static boolean regionIs(byte[] b, int from, int to, String text) {
    if (to - from != text.length()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (b[from + i] != text.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Whether the bytes at {@code from} are {@code lower}, ignoring ASCII case. */
  private static boolean nameIs(byte[] b, int from, String lower) {
    for (int i = 0; i < lower.length(); i++) {
      int c = b[from + i];
      if (c >= 'A' && c <= 'Z') {
        c += 'a' - 'A';
      }
      if (c != lower.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isTokenChar(byte c) {
    return TOKEN[c & 0xff];
  }
}
