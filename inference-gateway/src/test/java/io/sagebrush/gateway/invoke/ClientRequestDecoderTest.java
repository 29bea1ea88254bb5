package io.sagebrush.gateway.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sagebrush.gateway.support.LeakRecorder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientRequestDecoderTest {
  private final EmbeddedChannel channel = new EmbeddedChannel(new ClientRequestDecoder(10));

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

  /** The next request passed on; its body is read into {@link Read#body} and released. */
  private Read request() {
    Object msg = channel.readInbound();
    assertThat(msg).isInstanceOf(ClientRequest.class);
    ClientRequest request = (ClientRequest) msg;
    try {
      return new Read(request, request.content().toString(StandardCharsets.UTF_8));
    } finally {
      request.release();
    }
  }

  private record Read(ClientRequest request, String body) {}

  private String malformed() {
    Object msg = channel.readInbound();
    assertThat(msg).isInstanceOf(MalformedRequest.class);
    return ((MalformedRequest) msg).reason();
  }

  /** Sends {@code input} on a fresh connection; what comes out must be a MalformedRequest. */
  private static void assertMalformedOnANewConnection(String input) {
    EmbeddedChannel c = new EmbeddedChannel(new ClientRequestDecoder(10));
    c.writeInbound(Unpooled.copiedBuffer(input, StandardCharsets.ISO_8859_1));
    Object msg = c.readInbound();
    assertThat(msg).as(input).isInstanceOf(MalformedRequest.class);
    c.finishAndReleaseAll();
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
  void readsTheRequestLineTheHeadersAndABodyThatCameWithTheHead() {
    feed(
        "POST /endpoints/e/invocations?x=1 HTTP/1.1\r\nHost: gw\r\nContent-Type:  text/csv \r\n"
            + "X-Amzn-SageMaker-Custom-Attributes: a=1\r\nx-amzn-sagemaker-custom-attributes: b\r\n"
            + "Content-Length: 3\r\n\r\nabc");
    Read read = request();
    ClientRequest r = read.request();
    assertThat(read.body()).isEqualTo("abc");
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.uri()).isEqualTo("/endpoints/e/invocations?x=1");
    assertThat(r.http10()).isFalse();
    assertThat(r.keepAlive()).isTrue();
    assertThat(r.headerCount()).isEqualTo(5);
    assertThat(r.header("content-type")).as("trimmed, any case").isEqualTo("text/csv");
    assertThat(r.header("HOST")).isEqualTo("gw");
    assertThat(r.header("Accept")).isNull();
    assertThat(r.all("x-amzn-sagemaker-custom-attributes")).containsExactly("a=1", "b");
    assertThat(r.all("accept")).isEmpty();
    assertThat(r.nameIs(0, "host")).isTrue();
    assertThat(r.nameIs(0, "hosts")).isFalse();
    assertThat(r.value(1)).isEqualTo("text/csv");
    assertThat((Object) channel.readInbound()).isNull();
  }

  @Test
  void aRequestThatArrivesOneByteAtATimeComesOutTheSame() {
    String text = "\r\nPOST /a HTTP/1.1\r\nContent-Type: text/csv\r\nContent-Length: 4\r\n\r\nwxyz";
    for (int i = 0; i < text.length(); i++) {
      feed(text.substring(i, i + 1));
      if (i < text.length() - 1) {
        assertThat((Object) channel.readInbound()).isNull();
      }
    }
    Read read = request();
    assertThat(read.body()).isEqualTo("wxyz");
    assertThat(read.request().header("content-type")).isEqualTo("text/csv");
  }

  @Test
  void aBodyInOnePartAndAChunkedOneInSeveralComeOutWhole() {
    feed("POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
    assertThat(request().body()).isEqualTo("abc");
    feed("POST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n");
    assertThat((Object) channel.readInbound()).isNull();
    feed("3;name=value\r\nfgh\r\n0\r\nX-Trailer: dropped\r\n\r\n");
    assertThat(request().body()).isEqualTo("defgh");
  }

  @Test
  void pipelinedRequestsComeOutOneByOneInOrder() {
    feed(
        "POST /a HTTP/1.1\r\nContent-Length: 1\r\n\r\n1GET /ping HTTP/1.1\r\n\r\n"
            + "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n3\r\n0\r\n\r\n");
    assertThat(request().body()).isEqualTo("1");
    Read ping = request();
    assertThat(ping.request().method()).isEqualTo("GET");
    assertThat(ping.body()).isEmpty();
    assertThat(request().body()).isEqualTo("3");
  }

  @Test
  void emptyValuesAndBytesAboveAsciiAreKept() {
    feed("POST /a?x=caf\u00e9 HTTP/1.1\r\nX-Empty:\r\nX-Blank:   \r\nX-Latin: caf\u00e9\r\n\r\n");
    ClientRequest r = request().request();
    assertThat(r.uri()).isEqualTo("/a?x=caf\u00e9");
    assertThat(r.header("x-empty")).isEmpty();
    assertThat(r.header("x-blank")).isEmpty();
    assertThat(r.header("x-latin")).isEqualTo("caf\u00e9");
  }

  @Test
  void aLineThatEndsWithABareLineFeedIsMalformed() {
    // parsers that disagree on where a line ends disagree on where a request ends (smuggling)
    List<String> inputs =
        List.of(
            "POST /a HTTP/1.1\nContent-Length: 2\n\nok",
            "POST /a HTTP/1.1\r\nContent-Length: 2\n\r\nok",
            "POST /a HTTP/1.1\r\nContent-Length: 2\r\n\nok",
            "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;a\nX\r\n0\r\n\r\n",
            "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;a\rb\r\nX\r\n0\r\n\r\n",
            "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nX\n0\r\n\r\n",
            "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\n\n",
            "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\n",
            "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: 1\n\r\n");
    inputs.forEach(ClientRequestDecoderTest::assertMalformedOnANewConnection);
  }

  @Test
  void theRequestLineLimitDoesNotDependOnHowTheBytesArrive() {
    String line = "GET /" + "a".repeat(ClientRequestDecoder.MAX_REQUEST_LINE - 14) + " HTTP/1.1";
    assertThat(line).hasSize(ClientRequestDecoder.MAX_REQUEST_LINE);
    feed(line + "\r\n\r\n");
    assertThat(request().request().uri()).hasSize(ClientRequestDecoder.MAX_REQUEST_LINE - 13);
    feed(line + "\r");
    feed("\n\r\n");
    assertThat(request().request().uri()).hasSize(ClientRequestDecoder.MAX_REQUEST_LINE - 13);
    feed("G" + line + "\r\n\r\n");
    assertThat(malformed()).contains("request line is longer");
  }

  @Test
  void aDeclaredLengthReservesNoMemoryBeforeTheBodyArrives() {
    UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
    EmbeddedChannel c = new EmbeddedChannel(new ClientRequestDecoder(8 * 1024 * 1024));
    c.config().setAllocator(alloc);
    c.writeInbound(
        Unpooled.copiedBuffer(
            "POST /a HTTP/1.1\r\nContent-Length: 6291456\r\n\r\nx", StandardCharsets.ISO_8859_1));
    assertThat(alloc.metric().usedHeapMemory()).isLessThanOrEqualTo(64 * 1024);
    c.writeInbound(
        Unpooled.copiedBuffer(
            "POST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n600000\r\nx",
            StandardCharsets.ISO_8859_1));
    c.finishAndReleaseAll();
  }

  @Test
  void aBadChunkInTheBodyOfAnOversizedRequestEndsTheConnectionWithoutASecondAnswer() {
    feed("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nb\r\n01234567890\r\nzz\r\n");
    assertThat((Object) channel.readInbound()).isEqualTo(new OversizedRequest(true));
    assertThat((Object) channel.readInbound()).isSameAs(MalformedRequest.AFTER_ANSWER);
    assertThat((Object) channel.readInbound()).isNull();
  }

  @Test
  void keepAliveFollowsTheVersionAndTheConnectionHeader() {
    feed("GET /ping HTTP/1.0\r\n\r\n");
    Read read = request();
    assertThat(read.request().http10()).isTrue();
    assertThat(read.request().keepAlive()).isFalse();
    feed("GET /ping HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
    assertThat(request().request().keepAlive()).isTrue();
    feed("GET /ping HTTP/1.1\r\nConnection: te, Close\r\n\r\n");
    assertThat(request().request().keepAlive()).isFalse();
    feed("GET /ping HTTP/1.1\r\nConnection: closed\r\n\r\n");
    assertThat(request().request().keepAlive()).isTrue();
  }

  @Test
  void aChunkedBodyOverTheLimitIsOversizedAndTheNextRequestStillComesThrough() {
    feed("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n");
    feed("6\r\nghijkl\r\n");
    assertThat((Object) channel.readInbound()).isEqualTo(new OversizedRequest(true));
    feed("3\r\nmno\r\n0\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 2\r\n\r\nok");
    assertThat(request().body()).isEqualTo("ok");
  }

  @Test
  void aDeclaredLengthOverTheLimitIsOversizedBeforeTheBodyArrives() {
    feed("POST /a HTTP/1.1\r\nContent-Length: 11\r\n\r\n");
    assertThat((Object) channel.readInbound()).isEqualTo(new OversizedRequest(true));
    feed("01234567890POST /b HTTP/1.1\r\nContent-Length: 1\r\n\r\nx");
    assertThat(request().body()).isEqualTo("x");
  }

  @Test
  void anOversizedRequestThatAsksToCloseSaysSo() {
    feed("POST /a HTTP/1.1\r\nConnection: close\r\nContent-Length: 11\r\n\r\n");
    assertThat((Object) channel.readInbound()).isEqualTo(new OversizedRequest(false));
  }

  @Test
  void expectContinueIsAnsweredWhenTheBodyFitsAndRefusedWhenItDoesNot() {
    feed("POST /a HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-Continue\r\n\r\n");
    assertThat(written()).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
    feed("hi");
    assertThat(request().body()).isEqualTo("hi");

    feed("POST /a HTTP/1.1\r\nContent-Length: 99\r\nExpect: 100-continue\r\n\r\n");
    assertThat(written()).isNull();
    assertThat((Object) channel.readInbound()).isEqualTo(new OversizedRequest(false));
    feed("POST /b HTTP/1.1\r\nContent-Length: 1\r\n\r\nx");
    assertThat((Object) channel.readInbound()).as("nothing more is read").isNull();
  }

  @Test
  void anUnknownExpectationIsPassedOnInTurnAndHttp10ExpectationsAreIgnored() {
    feed("POST /a HTTP/1.1\r\nContent-Length: 2\r\nExpect: something\r\n\r\nhi");
    assertThat(written()).isNull();
    assertThat((Object) channel.readInbound())
        .isEqualTo(ClientRequestDecoder.UnmetExpectation.INSTANCE);
    assertThat((Object) channel.readInbound()).isNull();

    EmbeddedChannel http10 = new EmbeddedChannel(new ClientRequestDecoder(10));
    http10.writeInbound(
        Unpooled.copiedBuffer(
            "POST /a HTTP/1.0\r\nContent-Length: 2\r\nExpect: something\r\n\r\nhi",
            StandardCharsets.ISO_8859_1));
    ClientRequest request = http10.readInbound();
    assertThat(request.content().toString(StandardCharsets.UTF_8)).isEqualTo("hi");
    request.release();
    http10.finishAndReleaseAll();
  }

  @Test
  void aBadChunkMakesTheRequestMalformedInsteadOfCuttingItsBodyShort() {
    feed("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\nzz\r\n");
    assertThat(malformed()).contains("chunk size");
    feed("POST /b HTTP/1.1\r\nContent-Length: 1\r\n\r\nx");
    assertThat((Object) channel.readInbound()).as("nothing more is read").isNull();
  }

  @Test
  void aChunkLongerThanItsSizeIsMalformed() {
    feed("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n");
    assertThat(malformed()).contains("longer than its size");
  }

  @Test
  void framingThatCouldBeReadTwoWaysIsMalformed() {
    List<String> heads =
        List.of(
            "POST /a HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
            "POST /a HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
            "POST /a HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "POST /a HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
            "POST /a HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
            "POST /a HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n");
    heads.forEach(ClientRequestDecoderTest::assertMalformedOnANewConnection);
    feed("POST /a HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok");
    assertThat(request().body()).as("the same length twice is one length").isEqualTo("ok");
  }

  @Test
  void headsThatBreakTheSyntaxAreMalformed() {
    List<String> heads =
        List.of(
            "POST /a HTTP/1.1\r\nX-Folded: a\r\n b\r\n\r\n",
            "POST /a HTTP/1.1\r\nX-Space : a\r\n\r\n",
            "POST /a HTTP/1.1\r\nno colon here\r\n\r\n",
            "POST /a HTTP/1.1\r\n: no name\r\n\r\n",
            "POST /a HTTP/1.1\r\nX-Nul: a\0b\r\n\r\n",
            "POST /a HTTP/1.1\r\nX-Cr: a\rb\r\n\r\n",
            "POST /a HTTP/1.1\r\n\rX-Cr: a\r\n\r\n",
            "POST /a HTTP/2.0\r\n\r\n",
            "POST /a\r\n\r\n",
            "POST  /a HTTP/1.1\r\n\r\n",
            "PO(ST /a HTTP/1.1\r\n\r\n");
    heads.forEach(ClientRequestDecoderTest::assertMalformedOnANewConnection);
  }

  @Test
  void headsOverTheLimitsAreMalformedWithoutWaitingForTheirEnd() {
    feed("POST /" + "a".repeat(ClientRequestDecoder.MAX_REQUEST_LINE + 10));
    assertThat(malformed()).contains("request line is longer");

    EmbeddedChannel c = new EmbeddedChannel(new ClientRequestDecoder(10));
    String header = "X-Filler: " + "b".repeat(1000) + "\r\n";
    c.writeInbound(
        Unpooled.copiedBuffer(
            "POST /a HTTP/1.1\r\n" + header.repeat(25), StandardCharsets.ISO_8859_1));
    Object msg = c.readInbound();
    assertThat(msg).isInstanceOf(MalformedRequest.class);
    assertThat(((MalformedRequest) msg).reason()).contains("headers are larger");
    c.finishAndReleaseAll();
  }

  @Test
  void aBodyThatArrivesInPartsIsJoinedAndAClosedConnectionFreesAPartialOne() {
    feed("POST /a HTTP/1.1\r\nContent-Length: 6\r\n\r\nabc");
    assertThat((Object) channel.readInbound()).isNull();
    feed("de");
    feed("f");
    assertThat(request().body()).isEqualTo("abcdef");

    feed("POST /a HTTP/1.1\r\nContent-Length: 6\r\n\r\nabc");
    channel.close(); // the partial body is released (checked by the leak recorder)
    assertThat((Object) channel.readInbound()).isNull();
  }
}
