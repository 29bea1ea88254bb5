package io.sagebrush.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.sagebrush.gateway.support.LeakRecorder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReplicaResponseDecoderTest {
  private final EmbeddedChannel channel = new EmbeddedChannel(new ReplicaResponseDecoder(64));

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

  /** Feeds the text one byte at a time: framing must not depend on how reads split it. */
  private void feedByteByByte(String text) {
    for (byte b : text.getBytes(StandardCharsets.ISO_8859_1)) {
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
  }

  private ReplicaResponse next() {
    Object msg = channel.readInbound();
    assertThat(msg).isInstanceOf(ReplicaResponse.class);
    return (ReplicaResponse) msg;
  }

  private static String body(ReplicaResponse r) {
    try {
      return r.content().toString(StandardCharsets.UTF_8);
    } finally {
      r.content().release();
    }
  }

  @Test
  void aContentLengthAnswerKeepsItsStatusTypeAttributesAndBody() {
    feed(
        "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nServer: x\r\n"
            + "x-amzn-sagemaker-custom-attributes:  c=1 \r\ncontent-length: 7\r\n\r\n{\"a\":1}");
    ReplicaResponse r = next();
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.contentType()).isEqualTo("application/json");
    assertThat(r.customAttributes()).isEqualTo("c=1");
    assertThat(r.keepAlive()).isTrue();
    assertThat(body(r)).isEqualTo("{\"a\":1}");
    assertThat((Object) channel.readInbound()).isNull();
  }

  @Test
  void twoAnswersSplitAnywhereComeOutWhole() {
    feedByteByByte(
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nde");
    assertThat(body(next())).isEqualTo("abc");
    assertThat(body(next())).isEqualTo("de");
  }

  @Test
  void aChunkedAnswerWithExtensionsAndTrailersIsJoined() {
    feedByteByByte(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\nContent-Length: 99\r\n\r\n"
            + "5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\n");
    ReplicaResponse r = next();
    assertThat(body(r)).isEqualTo("hello world");
    // both framings: the chunks count, and the connection is not reused
    assertThat(r.keepAlive()).isFalse();
  }

  @Test
  void aChunkedAnswerIsKeptAliveAndBytesBeyondAnAnswerAreNot() {
    feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n");
    ReplicaResponse chunked = next();
    assertThat(chunked.keepAlive()).isTrue();
    body(chunked);
    feed("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nbHTTP/1.1 200 OK\r\n");
    ReplicaResponse followed = next();
    assertThat(followed.keepAlive()).as("an unrequested answer follows").isFalse();
    assertThat(body(followed)).isEqualTo("b");
  }

  @Test
  void aNonChunkedTransferCodingIsReadUntilTheCloseWhateverTheContentLength() {
    feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 1\r\n\r\nabc");
    assertThat((Object) channel.readInbound()).isNull();
    channel.finish();
    ReplicaResponse r = next();
    assertThat(r.keepAlive()).isFalse();
    assertThat(body(r)).isEqualTo("abc");
  }

  @Test
  void aChunkedAnswerWithBareLineFeedsIsRead() {
    feed("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\n");
    assertThat(body(next())).isEqualTo("abc");
  }

  @Test
  void anAnswerWithoutLengthEndsWithTheConnectionAndIsNotKeptAlive() {
    feed("HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\n\r\n1,2");
    feed(",3");
    assertThat((Object) channel.readInbound()).isNull();
    channel.finish();
    ReplicaResponse r = next();
    assertThat(r.keepAlive()).isFalse();
    assertThat(body(r)).isEqualTo("1,2,3");
  }

  @Test
  void anAnswerCutShortByTheCloseIsNotPassedOn() {
    feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
    channel.finish();
    assertThat((Object) channel.readInbound()).isNull();
  }

  @Test
  void informationalAnswersAreSkippedAnd204HasNoBody() {
    feed("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
    ReplicaResponse r = next();
    assertThat(r.status()).isEqualTo(204);
    assertThat(body(r)).isEmpty();
  }

  @Test
  void keepAliveFollowsTheVersionAndTheConnectionHeader() {
    feed("HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n");
    assertThat(next().keepAlive()).isFalse();
    feed("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n");
    assertThat(next().keepAlive()).isFalse();
    feed("HTTP/1.0 200 OK\r\nconnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n");
    assertThat(next().keepAlive()).isTrue();
  }

  @Test
  void aFoldedHeaderLineContinuesItsValue() {
    feed(
        "HTTP/1.1 200 OK\r\nContent-Type: text/csv;\r\n charset=utf-8\r\nContent-Length: 0\r\n\r\n");
    assertThat(next().contentType()).isEqualTo("text/csv; charset=utf-8");
  }

  @Test
  void aBodyOverTheLimitIsTooLargeWhetherDeclaredOrChunked() {
    assertThatThrownBy(() -> feed("HTTP/1.1 200 OK\r\nContent-Length: 65\r\n\r\n"))
        .isInstanceOf(ReplicaResponseDecoder.TooLarge.class);

    EmbeddedChannel chunked = new EmbeddedChannel(new ReplicaResponseDecoder(64));
    String chunk = "20\r\n" + "x".repeat(32) + "\r\n";
    assertThatThrownBy(
            () ->
                chunked.writeInbound(
                    Unpooled.copiedBuffer(
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + chunk
                            + chunk
                            + chunk,
                        StandardCharsets.ISO_8859_1)))
        .isInstanceOf(ReplicaResponseDecoder.TooLarge.class);
    chunked.finishAndReleaseAll();

    EmbeddedChannel untilClose = new EmbeddedChannel(new ReplicaResponseDecoder(64));
    assertThatThrownBy(
            () ->
                untilClose.writeInbound(
                    Unpooled.copiedBuffer(
                        "HTTP/1.1 200 OK\r\n\r\n" + "y".repeat(65), StandardCharsets.ISO_8859_1)))
        .isInstanceOf(ReplicaResponseDecoder.TooLarge.class);
    untilClose.finishAndReleaseAll();
  }

  @Test
  void headersThatNeverEndAreTooLarge() {
    String header = "X-Filler: " + "f".repeat(1000) + "\r\n";
    assertThatThrownBy(() -> feed("HTTP/1.1 200 OK\r\n" + header.repeat(17)))
        .isInstanceOf(ReplicaResponseDecoder.TooLarge.class);
  }

  @Test
  void garbageIsMalformedAndTheRestOfTheConnectionIsDropped() {
    assertThatThrownBy(() -> feed("HTTP/2 200\r\n\r\n"))
        .isInstanceOf(DecoderException.class)
        .hasMessageContaining("status line");
    feed("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    assertThat((Object) channel.readInbound()).isNull();
  }

  @Test
  void badFramingIsMalformed() {
    for (String bad :
        new String[] {
          "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
          "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
          "HTTP/1.1 20x OK\r\n\r\n",
          "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
          "HTTP/1.1 200 OK\r\nContent-Length : 5\r\n\r\n",
          "HTTP/1.1 200 OK\r\nContent-Type: a\rb\r\n\r\n",
          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n"
        }) {
      EmbeddedChannel c = new EmbeddedChannel(new ReplicaResponseDecoder(64));
      ByteBuf in = Unpooled.copiedBuffer(bad, StandardCharsets.ISO_8859_1);
      assertThatThrownBy(() -> c.writeInbound(in)).as(bad).isInstanceOf(DecoderException.class);
      c.finishAndReleaseAll();
    }
  }

  // ---- streamed answers (streamNextAnswer)

  private ReplicaResponseDecoder decoder() {
    return channel.pipeline().get(ReplicaResponseDecoder.class);
  }

  /** Reads the stream's messages until its end: parts as strings, "HEAD status type" and "END". */
  private java.util.List<String> streamed() {
    java.util.List<String> out = new java.util.ArrayList<>();
    Object msg;
    while ((msg = channel.readInbound()) != null) {
      if (msg instanceof ReplicaStream.Head h) {
        out.add("HEAD " + h.status() + " " + h.contentType());
      } else if (msg instanceof ReplicaStream.Part p) {
        out.add(p.content().toString(StandardCharsets.UTF_8));
        p.content().release();
      } else if (msg instanceof ReplicaStream.End e) {
        out.add("END " + (e.keepAlive() ? "keep-alive" : "close"));
      } else {
        out.add("WHOLE " + body((ReplicaResponse) msg));
      }
    }
    return out;
  }

  @Test
  void aStreamedChunkedAnswerComesOutAsOnePartPerChunkHoweverReadsSplitIt() {
    decoder().streamNextAnswer();
    feedByteByByte(
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/jsonlines\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;x=y\r\n world\r\n0\r\n\r\n");

    assertThat(streamed())
        .containsExactly("HEAD 200 application/jsonlines", "hello", " world", "END keep-alive");
  }

  @Test
  void aStreamedContentLengthAnswerComesOutPerReadAndItsSizeIsNotLimited() {
    decoder().streamNextAnswer();
    String body = "x".repeat(100); // over the decoder's 64-byte limit for whole answers
    feed("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + body.substring(0, 30));
    feed(body.substring(30));

    assertThat(streamed())
        .containsExactly(
            "HEAD 200 null", body.substring(0, 30), body.substring(30), "END keep-alive");
  }

  @Test
  void aStreamedAnswerEndedByTheCloseEndsWithTheConnection() {
    decoder().streamNextAnswer();
    feed("HTTP/1.0 200 OK\r\n\r\nabc");
    feed("def");
    channel.finish();

    assertThat(streamed()).containsExactly("HEAD 200 null", "abc", "def", "END close");
  }

  @Test
  void onlyTheNextAnswerIsStreamedAndAnErrorAnswerComesWhole() {
    decoder().streamNextAnswer();
    feed("HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope");
    feed("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");

    assertThat(streamed()).containsExactly("WHOLE nope", "WHOLE ok");
  }

  @Test
  void aStreamedChunkOverThePartLimitIsPassedOnInPartsAsItArrives() {
    decoder().streamNextAnswer();
    String big = "y".repeat(150); // the limit is 64 bytes here (MAX_STREAM_PART is 1 MiB)
    feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n96\r\n");
    feed(big.substring(0, 10));
    assertThat(streamed()).containsExactly("HEAD 200 null", "abc");
    feed(big.substring(10, 100));
    assertThat(streamed()).containsExactly(big.substring(0, 64));
    feed(big.substring(100) + "\r\n0\r\n\r\n");

    assertThat(streamed())
        .containsExactly(big.substring(64, 128), big.substring(128), "END keep-alive");
  }

  @Test
  void aStreamedAnswerWithoutABodyIsAHeadAndAnEnd() {
    decoder().streamNextAnswer();
    feed("HTTP/1.1 204 No Content\r\n\r\n");

    assertThat(streamed()).containsExactly("HEAD 204 null", "END keep-alive");
  }
}
