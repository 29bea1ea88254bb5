package io.sagebrush.gateway.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sagebrush.gateway.GatewayConfig;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The client pipeline as a whole, on an embedded channel (no replica, no routing table). */
class GatewayPipelineTest {
  private static EmbeddedChannel pipeline() {
    EmbeddedChannel channel = new EmbeddedChannel();
    GatewayPipeline.addHandlers(
        channel.pipeline(),
        new GatewayContext(
            GatewayConfig.builder().credentials("AK", "SK").build(), null, null, null, null));
    return channel;
  }

  private static ByteBuf bytes(String text) {
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer();
    buf.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    return buf;
  }

  @Test
  void requestsQueuedBehindAnAnswerThatClosesTheConnectionAreFreed() {
    EmbeddedChannel channel = pipeline();
    ByteBuf in =
        bytes(
            "GET /ping HTTP/1.1\r\nConnection: close\r\n\r\n"
                + "POST /endpoints/e/invocations HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
    in.retain(); // to look at it afterwards
    channel.writeInbound(in);
    ByteBuf answer = channel.readOutbound();
    assertThat(answer.toString(StandardCharsets.ISO_8859_1))
        .startsWith("HTTP/1.1 200 OK")
        .contains("connection: close");
    answer.release();
    channel.finishAndReleaseAll();
    assertThat(in.refCnt()).as("the queued request's body (a slice of this buffer)").isEqualTo(1);
    in.release();
  }

  @Test
  void aMalformedRequestGetsAValidationErrorThatNamesTheRuleAndTheConnectionCloses() {
    EmbeddedChannel channel = pipeline();
    channel.writeInbound(
        bytes("POST /a HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"));
    ByteBuf answer = channel.readOutbound();
    String text = answer.toString(StandardCharsets.ISO_8859_1);
    answer.release();
    assertThat(text)
        .startsWith("HTTP/1.1 400 Bad Request")
        .contains("x-amzn-ErrorType: ValidationError")
        .contains("Malformed HTTP request: the request has two different Content-Length headers.");
    channel.runPendingTasks();
    assertThat(channel.isOpen()).isFalse();
    channel.finishAndReleaseAll();
  }
}
