package io.sagebrush.gateway.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.Message;
import software.amazon.eventstream.MessageDecoder;

/** The event-stream messages, read back with the AWS SDK's own decoder (which checks the CRCs). */
class EventStreamFramesTest {
  private static List<Message> decode(ByteBuf frames) {
    byte[] bytes = new byte[frames.readableBytes()];
    frames.readBytes(bytes);
    frames.release();
    List<Message> messages = new ArrayList<>();
    MessageDecoder decoder = new MessageDecoder(messages::add);
    decoder.feed(ByteBuffer.wrap(bytes));
    return messages;
  }

  @Test
  void aPayloadPartCarriesItsBytesAndTheEventHeaders() {
    ByteBuf payload = Unpooled.copiedBuffer("{\"token\":\"hé\"}\n", StandardCharsets.UTF_8);

    ByteBuf frame = EventStreamFrames.payloadPart(ByteBufAllocator.DEFAULT, payload);

    assertThat(frame.getInt(frame.readerIndex())).isEqualTo(frame.readableBytes());
    assertThat(payload.readerIndex()).isZero(); // read, not consumed
    payload.release();
    List<Message> messages = decode(frame);
    assertThat(messages).hasSize(1);
    Message m = messages.get(0);
    assertThat(m.getHeaders().get(":message-type").getString()).isEqualTo("event");
    assertThat(m.getHeaders().get(":event-type").getString()).isEqualTo("PayloadPart");
    assertThat(m.getHeaders().get(":content-type").getString())
        .isEqualTo("application/octet-stream");
    assertThat(new String(m.getPayload(), StandardCharsets.UTF_8))
        .isEqualTo("{\"token\":\"hé\"}\n");
  }

  @Test
  void anEmptyPartAndAnExceptionDecodeInSequence() {
    ByteBuf both = Unpooled.buffer();
    ByteBuf empty = EventStreamFrames.payloadPart(ByteBufAllocator.DEFAULT, Unpooled.EMPTY_BUFFER);
    ByteBuf error =
        EventStreamFrames.exception(
            ByteBufAllocator.DEFAULT,
            "ModelStreamError",
            RuntimeError.jsonObject("Message", "it \"broke\"", "ErrorCode", "StreamBroken"));
    both.writeBytes(empty).writeBytes(error);
    empty.release();
    error.release();

    List<Message> messages = decode(both);

    assertThat(messages).hasSize(2);
    assertThat(messages.get(0).getPayload()).isEmpty();
    Message e = messages.get(1);
    assertThat(e.getHeaders().get(":message-type").getString()).isEqualTo("exception");
    assertThat(e.getHeaders().get(":exception-type").getString()).isEqualTo("ModelStreamError");
    assertThat(e.getHeaders().get(":content-type").getString()).isEqualTo("application/json");
    assertThat(new String(e.getPayload(), StandardCharsets.UTF_8))
        .isEqualTo("{\"Message\":\"it \\\"broke\\\"\",\"ErrorCode\":\"StreamBroken\"}");
  }
}
