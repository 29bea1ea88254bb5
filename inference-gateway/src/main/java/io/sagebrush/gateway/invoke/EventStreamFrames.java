package io.sagebrush.gateway.invoke;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * AWS event-stream messages, as InvokeEndpointWithResponseStream answers them: a prelude (total
 * length, headers length, CRC32 of those 8 bytes), headers (1-byte name length, name, type 7 =
 * string, 2-byte value length, value), the payload, and a CRC32 of everything before it; all
 * big-endian.
 */
final class EventStreamFrames {
  private static final byte STRING = 7;
  private static final byte[] EVENT_HEADERS =
      headers(
          ":event-type", "PayloadPart",
          ":content-type", "application/octet-stream",
          ":message-type", "event");

  private EventStreamFrames() {}

  /** A {@code PayloadPart} event carrying {@code payload} (read, not released). */
  static ByteBuf payloadPart(ByteBufAllocator alloc, ByteBuf payload) {
    return message(alloc, EVENT_HEADERS, payload);
  }

  /**
   * An exception message of the ResponseStream union, e.g. {@code ModelStreamError} with a JSON
   * payload of its members.
   */
  static ByteBuf exception(ByteBufAllocator alloc, String exceptionType, String json) {
    byte[] headers =
        headers(
            ":exception-type", exceptionType,
            ":content-type", "application/json",
            ":message-type", "exception");
    ByteBuf payload = Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8));
    try {
      return message(alloc, headers, payload);
    } finally {
      payload.release();
    }
  }

  private static ByteBuf message(ByteBufAllocator alloc, byte[] headers, ByteBuf payload) {
    int payloadBytes = payload.readableBytes();
    int total = 16 + headers.length + payloadBytes;
    ByteBuf out = alloc.buffer(total);
    int start = out.writerIndex();
    out.writeInt(total).writeInt(headers.length);
    CRC32 crc = new CRC32();
    crc.update(out.nioBuffer(start, 8));
    out.writeInt((int) crc.getValue());
    out.writeBytes(headers);
    out.writeBytes(payload, payload.readerIndex(), payloadBytes);
    crc.reset();
    crc.update(out.nioBuffer(start, total - 4));
    out.writeInt((int) crc.getValue());
    return out;
  }

  private static byte[] headers(String... namesAndValues) {
    ByteBuffer b = ByteBuffer.allocate(1024);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      byte[] name = namesAndValues[i].getBytes(StandardCharsets.US_ASCII);
      byte[] value = namesAndValues[i + 1].getBytes(StandardCharsets.UTF_8);
      b.put((byte) name.length).put(name).put(STRING).putShort((short) value.length).put(value);
    }
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }
}
