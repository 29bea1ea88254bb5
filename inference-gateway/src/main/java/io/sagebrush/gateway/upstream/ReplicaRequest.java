package io.sagebrush.gateway.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;

/**
 * Writes the {@code POST /invocations} request a container gets, straight into bytes: the request
 * line, {@code Host}, the headers passed on and {@code Content-Length}, then the body. Header
 * values come from a request the gateway's HTTP decoder already split into lines, and are checked
 * for control characters before they get here.
 */
public final class ReplicaRequest {
  /** Bodies up to this size are copied behind the head (one buffer); larger ones are not. */
  private static final int COPY_BODY_BYTES = 8192;

  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] COLON = {':', ' '};

  private final ByteBuf head;

  /**
   * Starts a request.
   *
   * @param alloc the connection's allocator
   * @param path the request target ({@code /invocations} or a prefixed one)
   * @param host the {@code Host} header value
   */
  public ReplicaRequest(ByteBufAllocator alloc, String path, String host) {
    head = alloc.buffer(256);
    ByteBufUtil.writeAscii(head, "POST ");
    ByteBufUtil.writeAscii(head, path);
    ByteBufUtil.writeAscii(head, " HTTP/1.1\r\nHost: ");
    ByteBufUtil.writeAscii(head, host);
    head.writeBytes(CRLF);
  }

  /** Adds a header (the value is written as ISO-8859-1, as the gateway decoded it). */
  public ReplicaRequest header(CharSequence name, CharSequence value) {
    ByteBufUtil.writeAscii(head, name);
    head.writeBytes(COLON);
    ByteBufUtil.writeAscii(head, value);
    head.writeBytes(CRLF);
    return this;
  }

  /**
   * Ends the headers with {@code Content-Length} and adds the body.
   *
   * @param body the body; this method takes one reference of its own (the caller keeps its)
   * @return the whole request, to be written once
   */
  public ByteBuf body(ByteBuf body) {
    int length = body.readableBytes();
    ByteBufUtil.writeAscii(head, "Content-Length: ");
    ByteBufUtil.writeAscii(head, Integer.toString(length));
    head.writeBytes(CRLF).writeBytes(CRLF);
    if (length <= COPY_BODY_BYTES) {
      head.writeBytes(body, body.readerIndex(), length);
      return head;
    }
    CompositeByteBuf whole = head.alloc().compositeBuffer(2);
    whole.addComponent(true, head);
    whole.addComponent(true, body.retainedDuplicate());
    return whole;
  }
}
