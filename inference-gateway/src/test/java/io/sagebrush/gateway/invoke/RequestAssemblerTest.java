package io.sagebrush.gateway.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.sagebrush.gateway.support.LeakRecorder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestAssemblerTest {
  private final EmbeddedChannel channel =
      new EmbeddedChannel(
          new HttpRequestDecoder(), new HttpResponseEncoder(), new RequestAssembler(10));

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  @AfterAll
  static void noBufferLeaked() {
    assertThat(LeakRecorder.leaks()).isEmpty();
  }

  private void feed(String text) {
    channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
  }

  private String body() {
    Object msg = channel.readInbound();
    assertThat(msg).isInstanceOf(FullHttpRequest.class);
    FullHttpRequest request = (FullHttpRequest) msg;
    try {
      return request.content().toString(StandardCharsets.UTF_8);
    } finally {
      request.release();
    }
  }

  private String written() {
    ByteBuf out = channel.readOutbound();
    if (out == null) {
      return null;
    }
    try {
      return out.toString(StandardCharsets.ISO_8859_1);
    } finally {
      out.release();
    }
  }

  @Test
  void aBodyInOnePartAndAChunkedOneInSeveralComeOutWhole() {
    feed("POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
    assertThat(body()).isEqualTo("abc");
    feed("POST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n");
    feed("3\r\nfgh\r\n0\r\n\r\n");
    assertThat(body()).isEqualTo("defgh");
  }

  @Test
  void aChunkedBodyOverTheLimitIsOversizedAndTheNextRequestStillComesThrough() {
    feed("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n");
    feed("6\r\nghijkl\r\n");
    assertThat((Object) channel.readInbound()).isEqualTo(new OversizedRequest(true));
    feed("3\r\nmno\r\n0\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 2\r\n\r\nok");
    assertThat(body()).isEqualTo("ok");
  }

  @Test
  void aDeclaredLengthOverTheLimitIsOversizedBeforeTheBodyArrives() {
    feed("POST /a HTTP/1.1\r\nContent-Length: 11\r\n\r\n");
    assertThat((Object) channel.readInbound()).isEqualTo(new OversizedRequest(true));
    feed("01234567890POST /b HTTP/1.1\r\nContent-Length: 1\r\n\r\nx");
    assertThat(body()).isEqualTo("x");
  }

  @Test
  void expectContinueIsAnsweredWhenTheBodyFitsAndRefusedWhenItDoesNot() {
    feed("POST /a HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
    assertThat(written()).startsWith("HTTP/1.1 100 Continue");
    feed("hi");
    assertThat(body()).isEqualTo("hi");

    feed("POST /a HTTP/1.1\r\nContent-Length: 99\r\nExpect: 100-continue\r\n\r\n");
    assertThat(written()).isNull();
    assertThat((Object) channel.readInbound()).isEqualTo(new OversizedRequest(false));
  }

  @Test
  void anUnknownExpectationIsPassedOnInTurnAndHttp10ExpectationsAreIgnored() {
    feed("POST /a HTTP/1.1\r\nContent-Length: 2\r\nExpect: something\r\n\r\nhi");
    assertThat(written()).as("nothing is written past the handler's queue").isNull();
    assertThat((Object) channel.readInbound())
        .isEqualTo(RequestAssembler.UnmetExpectation.INSTANCE);

    EmbeddedChannel http10 =
        new EmbeddedChannel(
            new HttpRequestDecoder(), new HttpResponseEncoder(), new RequestAssembler(10));
    http10.writeInbound(
        Unpooled.copiedBuffer(
            "POST /a HTTP/1.0\r\nContent-Length: 2\r\nExpect: something\r\n\r\nhi",
            StandardCharsets.ISO_8859_1));
    FullHttpRequest request = http10.readInbound();
    assertThat(request.content().toString(StandardCharsets.UTF_8)).isEqualTo("hi");
    request.release();
    http10.finishAndReleaseAll();
  }

  @Test
  void aBadChunkMakesTheRequestMalformedInsteadOfCuttingItsBodyShort() {
    feed("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\nzz\r\n");
    Object msg = channel.readInbound();
    assertThat(msg).isInstanceOf(FullHttpRequest.class);
    FullHttpRequest request = (FullHttpRequest) msg;
    assertThat(request.decoderResult().isFailure()).isTrue();
    assertThat(request.content().readableBytes()).isZero();
    request.release();
  }

  @Test
  void aMalformedRequestIsPassedOnWithItsFailure() {
    feed("POST /a HTTP/1.1\r\nContent-Length: abc\r\n\r\n");
    Object msg = channel.readInbound();
    assertThat(msg).isInstanceOf(FullHttpRequest.class);
    assertThat(((FullHttpRequest) msg).decoderResult().isFailure()).isTrue();
    ((FullHttpRequest) msg).release();
  }
}
