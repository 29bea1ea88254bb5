package io.sagebrush.gateway.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads a container's HTTP/1.x answers into {@link ReplicaResponse}s, keeping only what the gateway
 * passes on (status, {@code Content-Type}, {@code X-Amzn-SageMaker-Custom-Attributes}) and what
 * framing needs ({@code Content-Length}, {@code Transfer-Encoding}, {@code Connection}). The
 * gateway sends one request at a time on a connection and only {@code POST}, so this is all of
 * HTTP/1.1 a replica connection needs, without building header maps for every answer.
 *
 * <p>Bodies are framed by {@code Content-Length}, by chunked transfer coding (extensions and
 * trailers are read and dropped), or by the end of the connection. Informational (1xx) answers are
 * skipped; 204 and 304 have no body. A status line over 4 KiB, headers over 16 KiB, or a body over
 * the limit fail the connection with {@link TooLarge}; anything unparsable fails it with a {@link
 * DecoderException}. After a failure the rest of the connection's bytes are dropped.
 *
 * <p>After {@link #streamNextAnswer()}, the next 2xx answer is passed on as it arrives, as {@link
 * ReplicaStream} messages: its head, a part per chunk of a chunked body (a chunk over {@link
 * #MAX_STREAM_PART} bytes, or over the body limit when that is smaller, in parts of that size) or
 * per read of any other body, and its end. A streamed body as a whole has no size limit.
 */
public final class ReplicaResponseDecoder extends ByteToMessageDecoder {
  static final int MAX_STATUS_LINE = 4096;
  static final int MAX_HEADERS = 16384;
  private static final int MAX_CHUNK_LINE = 1024;

  /** The largest part of a streamed answer (event-stream payloads must stay under 16 MiB). */
  public static final int MAX_STREAM_PART = 1024 * 1024;

  private static final ByteProcessor LF = new ByteProcessor.IndexOfProcessor((byte) '\n');
  private static final byte[] CONTENT_LENGTH = ascii("content-length");
  private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");
  private static final byte[] CONNECTION = ascii("connection");
  private static final byte[] CONTENT_TYPE = ascii("content-type");
  private static final byte[] CUSTOM_ATTRIBUTES = ascii("x-amzn-sagemaker-custom-attributes");
  private static final byte[] CLOSE = ascii("close");
  private static final byte[] KEEP_ALIVE = ascii("keep-alive");

  /** An answer larger than the gateway passes on. */
  public static final class TooLarge extends DecoderException {
    TooLarge(String message) {
      super(message);
    }
  }

  private enum State {
    STATUS_LINE,
    HEADERS,
    FIXED_BODY,
    CHUNK_SIZE,
    CHUNK_DATA,
    CHUNK_END,
    TRAILERS,
    BODY_UNTIL_CLOSE,
    BROKEN
  }

  private enum Header {
    OTHER,
    CONTENT_TYPE,
    CUSTOM_ATTRIBUTES
  }

  private final int maxBodyBytes;
  private State state = State.STATUS_LINE;

  /** Set by every read, cleared by the connection when it sends a request. */
  private boolean bytesSeen;

  // the answer being read
  private int status;
  private boolean http11;
  private boolean closeRequested;
  private boolean keepAliveRequested;
  private long contentLength;
  private boolean chunked;
  private boolean transferEncoding;
  private String contentType;
  private String customAttributes;
  private Header lastHeader;
  private int headerBytes;
  private long remaining;
  private CompositeByteBuf body;

  // streaming (see streamNextAnswer)
  private boolean streamNext;
  private boolean streaming;

  /**
   * @param maxBodyBytes the largest body passed on
   */
  public ReplicaResponseDecoder(int maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Whether the container sent any byte since {@link #clearBytesSeen()}. */
  boolean bytesSeen() {
    return bytesSeen;
  }

  void clearBytesSeen() {
    bytesSeen = false;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    bytesSeen = true;
    super.channelRead(ctx, msg);
  }

  /** Passes the next final answer on as a {@link ReplicaStream} when its status is 2xx. */
  public void streamNextAnswer() {
    streamNext = true;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.isReadable()) {
      switch (state) {
        case STATUS_LINE -> {
          int eol = findLineEnd(in, MAX_STATUS_LINE, "status line");
          if (eol < 0) {
            return;
          }
          int start = in.readerIndex();
          in.readerIndex(eol + 1);
          if (eol == start || (eol == start + 1 && in.getByte(start) == '\r')) {
            continue; // blank lines before a status line are tolerated (RFC 9112 2.2)
          }
          parseStatusLine(in, start, lineLength(in, start, eol));
          state = State.HEADERS;
        }
        case HEADERS -> {
          int eol = findLineEnd(in, MAX_HEADERS - headerBytes, "headers");
          if (eol < 0) {
            return;
          }
          int start = in.readerIndex();
          int length = lineLength(in, start, eol);
          headerBytes += eol + 1 - start;
          in.readerIndex(eol + 1);
          if (length > 0) {
            header(in, start, length);
            continue;
          }
          if (headersDone(ctx, out)) {
            return;
          }
        }
        case FIXED_BODY -> {
          if (streaming) {
            int n = (int) Math.min(in.readableBytes(), remaining);
            out.add(new ReplicaStream.Part(in.readRetainedSlice(n)));
            remaining -= n;
            if (remaining == 0) {
              emit(out, Unpooled.EMPTY_BUFFER, in.isReadable());
            }
            return;
          }
          if (body == null && in.readableBytes() >= remaining) {
            // the usual case: the whole body is here, passed on without a copy
            emit(out, in.readRetainedSlice((int) remaining), in.isReadable());
            return;
          }
          if (!appendBody(ctx, in)) {
            return;
          }
          emit(out, takeBody(), in.isReadable());
          return;
        }
        case CHUNK_SIZE -> {
          int eol = findLineEnd(in, MAX_CHUNK_LINE, "chunk size line");
          if (eol < 0) {
            return;
          }
          long size = chunkSize(in, in.readerIndex(), eol);
          in.readerIndex(eol + 1);
          if (size == 0) {
            state = State.TRAILERS;
            headerBytes = 0;
          } else {
            if (!streaming && bodySize() + size > maxBodyBytes) {
              throw tooLarge();
            }
            remaining = size;
            state = State.CHUNK_DATA;
          }
        }
        case CHUNK_DATA -> {
          if (streaming) {
            if (streamChunkData(ctx, in, out)) {
              state = State.CHUNK_END;
            }
            continue;
          }
          if (!appendBody(ctx, in)) {
            return;
          }
          state = State.CHUNK_END;
        }
        case CHUNK_END -> {
          // the CRLF (or bare LF) after a chunk's data
          int at = in.readerIndex();
          byte b = in.getByte(at);
          if (b == '\r') {
            if (in.readableBytes() < 2) {
              return;
            }
            b = in.getByte(at + 1);
            at++;
          }
          if (b != '\n') {
            throw malformed("chunk data longer than its size");
          }
          in.readerIndex(at + 1);
          state = State.CHUNK_SIZE;
        }
        case TRAILERS -> {
          int eol = findLineEnd(in, MAX_HEADERS - headerBytes, "trailers");
          if (eol < 0) {
            return;
          }
          int length = lineLength(in, in.readerIndex(), eol);
          headerBytes += eol + 1 - in.readerIndex();
          in.readerIndex(eol + 1);
          if (length == 0) {
            emit(out, takeBody(), in.isReadable());
            return;
          }
        }
        case BODY_UNTIL_CLOSE -> {
          remaining = Long.MAX_VALUE;
          if (streaming) {
            out.add(new ReplicaStream.Part(in.readRetainedSlice(in.readableBytes())));
          } else {
            appendBody(ctx, in);
          }
        }
        case BROKEN -> {
          in.skipBytes(in.readableBytes());
        }
      }
    }
  }

  /** At the end of the connection an answer framed by it is complete; any other is not. */
  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
      throws Exception {
    decode(ctx, in, out);
    if (state == State.BODY_UNTIL_CLOSE) {
      closeRequested = true;
      emit(out, takeBody());
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    releaseBody();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    try {
      super.channelInactive(ctx);
    } finally {
      releaseBody();
    }
  }

  private void parseStatusLine(ByteBuf in, int start, int length) {
    // HTTP/1.x SP 3DIGIT [SP reason]
    if (length < 12
        || !matchesAscii(in, start, "HTTP/1.")
        || in.getByte(start + 8) != ' '
        || (length > 12 && in.getByte(start + 12) != ' ')) {
      throw malformed("status line");
    }
    byte minor = in.getByte(start + 7);
    if (minor != '0' && minor != '1') {
      throw malformed("HTTP version");
    }
    int code = 0;
    for (int i = start + 9; i < start + 12; i++) {
      byte b = in.getByte(i);
      if (b < '0' || b > '9') {
        throw malformed("status code");
      }
      code = code * 10 + (b - '0');
    }
    if (code < 100) {
      throw malformed("status code");
    }
    status = code;
    http11 = minor == '1';
    closeRequested = false;
    keepAliveRequested = false;
    contentLength = -1;
    chunked = false;
    transferEncoding = false;
    contentType = null;
    customAttributes = null;
    lastHeader = null;
    headerBytes = 0;
  }

  private void header(ByteBuf in, int start, int length) {
    byte first = in.getByte(start);
    if (first == ' ' || first == '\t') {
      // obsolete line folding: continues the previous header's value
      if (lastHeader == null) {
        throw malformed("header continuation without a header");
      }
      String more = value(in, start, start + length);
      if (lastHeader == Header.CONTENT_TYPE) {
        contentType = contentType + " " + more;
      } else if (lastHeader == Header.CUSTOM_ATTRIBUTES) {
        customAttributes = customAttributes + " " + more;
      }
      return;
    }
    int colon = in.indexOf(start, start + length, (byte) ':');
    if (colon <= start) {
      throw malformed("header line");
    }
    int nameEnd = colon;
    int nameLength = nameEnd - start;
    int valueStart = colon + 1;
    int end = start + length;
    lastHeader = Header.OTHER;
    if (isSpace(in.getByte(nameEnd - 1))) {
      throw malformed("whitespace before a header's colon");
    }
    if (nameIs(in, start, nameLength, CONTENT_LENGTH)) {
      long value = decimal(in, valueStart, end);
      if (contentLength >= 0 && contentLength != value) {
        throw malformed("conflicting Content-Length headers");
      }
      contentLength = value;
    } else if (nameIs(in, start, nameLength, TRANSFER_ENCODING)) {
      // chunked must be the last coding; any other coding leaves the body framed by the close
      transferEncoding = true;
      chunked = lastTokenIs(value(in, valueStart, end), "chunked");
    } else if (nameIs(in, start, nameLength, CONNECTION)) {
      connectionTokens(in, valueStart, end);
    } else if (nameIs(in, start, nameLength, CONTENT_TYPE)) {
      contentType = value(in, valueStart, end);
      lastHeader = Header.CONTENT_TYPE;
    } else if (nameIs(in, start, nameLength, CUSTOM_ATTRIBUTES)) {
      customAttributes = value(in, valueStart, end);
      lastHeader = Header.CUSTOM_ATTRIBUTES;
    }
  }

  /**
   * The blank line after the headers: skips an informational answer, emits one without a body, or
   * moves on to the body.
   *
   * @return true when an answer was emitted
   */
  private boolean headersDone(ChannelHandlerContext ctx, List<Object> out) {
    if (status < 200) {
      state = State.STATUS_LINE; // 100 Continue and the like: the real answer follows
      return false;
    }
    streaming = streamNext && status < 300;
    streamNext = false;
    if (streaming) {
      out.add(new ReplicaStream.Head(status, contentType, customAttributes));
    }
    if (status == 204 || status == 304) {
      emit(out, Unpooled.EMPTY_BUFFER);
      return true;
    }
    if (transferEncoding && contentLength >= 0) {
      // both framings (RFC 9112 6.3): the transfer coding wins, and the connection is not reused
      closeRequested = true;
    }
    if (chunked) {
      state = State.CHUNK_SIZE;
      return false;
    }
    if (contentLength >= 0 && !transferEncoding) {
      if (contentLength > maxBodyBytes && !streaming) {
        throw tooLarge();
      }
      if (contentLength == 0) {
        emit(out, Unpooled.EMPTY_BUFFER);
        return true;
      }
      remaining = contentLength;
      state = State.FIXED_BODY;
      return false;
    }
    closeRequested = true;
    remaining = Long.MAX_VALUE;
    state = State.BODY_UNTIL_CLOSE;
    return false;
  }

  /**
   * Moves up to {@link #remaining} bytes into the body.
   *
   * @return true when {@link #remaining} reached 0
   */
  private boolean appendBody(ChannelHandlerContext ctx, ByteBuf in) {
    int n = (int) Math.min(in.readableBytes(), remaining);
    if (n > 0) {
      if (bodySize() + n > maxBodyBytes) {
        throw tooLarge();
      }
      if (body == null) {
        body = ctx.alloc().compositeBuffer(1024);
      }
      body.addComponent(true, in.readRetainedSlice(n));
      if (remaining != Long.MAX_VALUE) {
        remaining -= n;
      }
    }
    return remaining == 0;
  }

  /**
   * Collects a streamed chunk's data, passing it on whole or in parts of {@link #MAX_STREAM_PART}
   * bytes (or of the body limit, when smaller).
   *
   * @return true when the chunk's data is complete (and passed on)
   */
  private boolean streamChunkData(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int partLimit = Math.min(MAX_STREAM_PART, maxBodyBytes);
    int n = (int) Math.min(in.readableBytes(), Math.min(remaining, partLimit - bodySize()));
    if (body == null && n == remaining) {
      // the usual case: the whole chunk is here, passed on without a copy
      remaining = 0;
      out.add(new ReplicaStream.Part(in.readRetainedSlice(n)));
      return true;
    }
    if (body == null) {
      body = ctx.alloc().compositeBuffer(1024);
    }
    body.addComponent(true, in.readRetainedSlice(n));
    remaining -= n;
    if (remaining == 0 || bodySize() >= partLimit) {
      out.add(new ReplicaStream.Part(takeBody()));
    }
    return remaining == 0;
  }

  private int bodySize() {
    return body == null ? 0 : body.readableBytes();
  }

  private ByteBuf takeBody() {
    ByteBuf taken = body != null ? body : Unpooled.EMPTY_BUFFER;
    body = null;
    return taken;
  }

  private void releaseBody() {
    if (body != null) {
      body.release();
      body = null;
    }
  }

  private void emit(List<Object> out, ByteBuf content) {
    emit(out, content, false);
  }

  /**
   * @param moreBytes whether bytes beyond this answer have arrived: an answer nobody asked for yet,
   *     so the connection is not reused
   */
  private void emit(List<Object> out, ByteBuf content, boolean moreBytes) {
    boolean framed = state != State.BODY_UNTIL_CLOSE;
    boolean keepAlive =
        framed
            && !moreBytes
            && !closeRequested
            && (http11 || keepAliveRequested)
            && state != State.BROKEN;
    if (streaming) {
      content.release();
      streaming = false;
      out.add(new ReplicaStream.End(keepAlive));
    } else {
      out.add(new ReplicaResponse(status, contentType, customAttributes, keepAlive, content));
    }
    state = State.STATUS_LINE;
  }

  /**
   * The index of the next LF within {@code max} bytes, or -1 when it has not arrived yet.
   *
   * @throws TooLarge when no LF came within {@code max} bytes
   */
  private int findLineEnd(ByteBuf in, int max, String what) {
    int available = in.readableBytes();
    int eol = in.forEachByte(in.readerIndex(), Math.min(available, Math.max(0, max)), LF);
    if (eol < 0 && available >= max) {
      state = State.BROKEN;
      throw new TooLarge("The container's " + what + " is longer than " + max + " bytes.");
    }
    return eol;
  }

  /** The line's length without its CRLF (or bare LF). */
  private static int lineLength(ByteBuf in, int start, int eol) {
    return eol > start && in.getByte(eol - 1) == '\r' ? eol - 1 - start : eol - start;
  }

  private long chunkSize(ByteBuf in, int start, int eol) {
    int end = start + lineLength(in, start, eol);
    long size = 0;
    int digits = 0;
    for (int i = start; i < end; i++) {
      byte b = in.getByte(i);
      int d = Character.digit(b, 16);
      if (d < 0) {
        if (digits > 0 && (b == ';' || b == ' ' || b == '\t')) {
          break; // a chunk extension follows: ignored
        }
        throw malformed("chunk size");
      }
      if (++digits > 8) {
        throw tooLarge();
      }
      size = size * 16 + d;
    }
    if (digits == 0) {
      throw malformed("chunk size");
    }
    return size;
  }

  private long decimal(ByteBuf in, int start, int end) {
    String text = value(in, start, end);
    if (text.isEmpty() || text.length() > 12) {
      throw malformed("Content-Length");
    }
    long value = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw malformed("Content-Length");
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** The value between {@code start} and {@code end}, without surrounding spaces and tabs. */
  private String value(ByteBuf in, int start, int end) {
    while (start < end && isSpace(in.getByte(start))) {
      start++;
    }
    while (end > start && isSpace(in.getByte(end - 1))) {
      end--;
    }
    for (int i = start; i < end; i++) {
      byte b = in.getByte(i);
      if (b == '\r' || b == 0) {
        throw malformed("a control character in a header");
      }
    }
    return in.toString(start, end - start, StandardCharsets.ISO_8859_1);
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t';
  }

  /** Notes {@code close} and {@code keep-alive} among a Connection header's tokens. */
  private void connectionTokens(ByteBuf in, int start, int end) {
    int tokenStart = start;
    for (int i = start; i <= end; i++) {
      if (i == end || in.getByte(i) == ',') {
        int s = tokenStart;
        int e = i;
        while (s < e && isSpace(in.getByte(s))) {
          s++;
        }
        while (e > s && isSpace(in.getByte(e - 1))) {
          e--;
        }
        if (nameIs(in, s, e - s, CLOSE)) {
          closeRequested = true;
        } else if (nameIs(in, s, e - s, KEEP_ALIVE)) {
          keepAliveRequested = true;
        }
        tokenStart = i + 1;
      }
    }
  }

  private static boolean lastTokenIs(String list, String token) {
    int comma = list.lastIndexOf(',');
    return list.substring(comma + 1).trim().equalsIgnoreCase(token);
  }

  /** ASCII case-insensitive comparison of a header name with a lower-case one. */
  private static boolean nameIs(ByteBuf in, int start, int length, byte[] lower) {
    if (length != lower.length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      byte b = in.getByte(start + i);
      if (b >= 'A' && b <= 'Z') {
        b += 'a' - 'A';
      }
      if (b != lower[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean matchesAscii(ByteBuf in, int start, String text) {
    for (int i = 0; i < text.length(); i++) {
      if (in.getByte(start + i) != text.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private DecoderException malformed(String what) {
    state = State.BROKEN;
    releaseBody();
    return new DecoderException("Malformed answer from the container: " + what + ".");
  }

  private TooLarge tooLarge() {
    state = State.BROKEN;
    releaseBody();
    return new TooLarge("The container's answer is larger than " + maxBodyBytes + " bytes.");
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
