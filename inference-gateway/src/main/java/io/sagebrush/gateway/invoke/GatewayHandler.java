package io.sagebrush.gateway.invoke;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.sagebrush.gateway.upstream.ReplicaResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: dispatches each request ({@code GET /ping}, {@code POST
 * /endpoints/{name}/invocations} and {@code .../invocations-response-stream}, anything else is an
 * UnknownOperationException) and writes the answers in request order (pipelined requests wait their
 * turn: while one is served, reading stops once another has arrived, so a client cannot queue
 * requests without limit). After an answer that closes the connection nothing more is read. Runs on
 * the connection's event loop.
 */
public final class GatewayHandler extends ChannelInboundHandlerAdapter {
  static final String REQUEST_ID = "x-amzn-RequestId";
  static final String ERROR_TYPE = "x-amzn-ErrorType";
  private static final Logger log = LoggerFactory.getLogger(GatewayHandler.class);
  private static final String PREFIX = "/endpoints/";
  private static final String SUFFIX = "/invocations";
  private static final String STREAM_SUFFIX = "/invocations-response-stream";
  private static final String ASYNC_SUFFIX = "/async-invocations";
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};
  private static final int COPY_BODY_BYTES = 8192;

  private final GatewayContext gateway;
  private final ArrayDeque<Object> pending = new ArrayDeque<>(2);
  private ChannelHandlerContext ctx;
  private ChannelHandlerContext encoder;
  private boolean busy;
  private long answers;
  private boolean paused;
  private boolean closing;
  private boolean http10;

  /** Whether the request being answered is a HEAD (its answer has no body). */
  private boolean head;

  /** The request that waits for a routable table, if any (cancelled when the connection closes). */
  private Invocation routeWaiting;

  /** The streamed request (InvokeEndpointWithResponseStream) being served, if any. */
  private Invocation streaming;

  /** Whether the streamed answer is framed by chunks (else by the end of the connection). */
  private boolean streamChunked;

  public GatewayHandler(GatewayContext gateway) {
    this.gateway = gateway;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.encoder = ctx.pipeline().context(GatewayPipeline.ENCODER);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closing) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (busy) {
      pending.add(msg);
      if (!paused) {
        // read no further until the queue is served
        paused = true;
        ctx.channel().config().setAutoRead(false);
      }
      return;
    }
    busy = true;
    dispatch(msg);
  }

  /** True while a request of this connection is being served. */
  boolean busy() {
    return busy;
  }

  /** How many answers this connection has finished writing (for the idle time-out). */
  long answers() {
    return answers;
  }

  /** {@code invocation} waits for a newer routing table. */
  void routeWaitStarted(Invocation invocation) {
    routeWaiting = invocation;
  }

  /** {@code invocation} no longer waits for a routing table. */
  void routeWaitOver(Invocation invocation) {
    if (routeWaiting == invocation) {
      routeWaiting = null;
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (streaming != null && ctx.channel().isWritable()) {
      streaming.clientWritable();
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (streaming != null) {
      Invocation streamed = streaming;
      streaming = null;
      streamed.clientGone();
    }
    if (routeWaiting != null) {
      Invocation waiting = routeWaiting;
      routeWaiting = null;
      waiting.cancelRouteWait();
    }
    Object msg;
    while ((msg = pending.poll()) != null) {
      ReferenceCountUtil.release(msg);
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("Client connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }

  private void dispatch(Object msg) {
    head = false;
    if (msg instanceof OversizedRequest oversized) {
      respondError(
          RuntimeError.constraint(
              "body",
              "",
              "Member must have length less than or equal to " + gateway.config().maxBodyBytes()),
          newRequestId(),
          oversized.keepAlive());
      return;
    }
    if (msg == MalformedRequest.AFTER_ANSWER) {
      write(encoder.writeAndFlush(Unpooled.EMPTY_BUFFER), false);
      return;
    }
    if (msg instanceof MalformedRequest malformed) {
      respondError(
          RuntimeError.validation("Malformed HTTP request: " + malformed.reason() + "."),
          newRequestId(),
          false);
      return;
    }
    if (msg == ClientRequestDecoder.UnmetExpectation.INSTANCE) {
      FullHttpResponse failed =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1, HttpResponseStatus.EXPECTATION_FAILED, Unpooled.EMPTY_BUFFER);
      failed.headers().set(REQUEST_ID, newRequestId()).setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
      respond(failed, false);
      return;
    }
    if (!(msg instanceof ClientRequest request)) {
      ReferenceCountUtil.release(msg);
      done();
      return;
    }
    boolean keepAlive = request.keepAlive();
    http10 = request.http10();
    String method = request.method();
    head = method.equals("HEAD");
    String requestId = newRequestId();
    String uri = request.uri();
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    boolean stream = path.endsWith(STREAM_SUFFIX);
    String suffix = stream ? STREAM_SUFFIX : SUFFIX;
    if (path.startsWith(PREFIX)
        && (stream || path.endsWith(SUFFIX))
        && path.length() > PREFIX.length() + suffix.length()
        && method.equals("POST")) {
      String endpointName = path.substring(PREFIX.length(), path.length() - suffix.length());
      Invocation invocation =
          new Invocation(
              gateway,
              this,
              request,
              path,
              q < 0 ? null : uri.substring(q + 1),
              endpointName,
              requestId,
              keepAlive,
              stream);
      if (stream) {
        // told when the client leaves, before or during its answer: the container's work is dropped
        streaming = invocation;
      }
      invocation.start(ctx);
      return;
    }
    request.release();
    if (path.startsWith(PREFIX) && path.endsWith(ASYNC_SUFFIX) && method.equals("POST")) {
      respondError(
          RuntimeError.validation(
              "InvokeEndpointAsync is not supported by Sagebrush: endpoints answer real-time"
                  + " requests (InvokeEndpoint, InvokeEndpointWithResponseStream) only; an"
                  + " endpoint config's AsyncInferenceConfig is stored but not acted on."),
          requestId,
          keepAlive);
      return;
    }
    if (path.equals("/ping") && (method.equals("GET") || head)) {
      FullHttpResponse ok =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER);
      ok.headers().set(REQUEST_ID, requestId).setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
      respond(ok, keepAlive);
      return;
    }
    respondError(
        RuntimeError.unknownOperation("No operation matches " + method + " " + path + "."),
        requestId,
        keepAlive);
  }

  /** Writes an error answer for the current request. */
  void respondError(RuntimeError error, String requestId, boolean keepAlive) {
    byte[] json = error.toJson().getBytes(StandardCharsets.UTF_8);
    // an answer to HEAD has the length of the body it would have, and no body
    ByteBuf body = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(json);
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(error.status()), body);
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, json.length)
        .set(ERROR_TYPE, error.type())
        .set(REQUEST_ID, requestId);
    respond(response, keepAlive);
  }

  /**
   * Writes a container's 2xx answer as the runtime API's 200 (whatever 2xx the container chose),
   * straight as bytes: the headers are few and known, so no header map is built.
   *
   * @param answer the container's answer; its body is passed on (or released)
   */
  void respondAnswer(ReplicaResponse answer, String variant, String requestId, boolean keepAlive) {
    routeWaiting = null;
    ByteBuf content = answer.content();
    if (closing) {
      content.release();
      return;
    }
    int length = content.readableBytes();
    ByteBuf head = ctx.alloc().buffer(192 + (length <= COPY_BODY_BYTES ? length : 0));
    ByteBufUtil.writeAscii(head, "HTTP/1.1 200 OK\r\n");
    if (answer.contentType() != null) {
      header(head, HttpHeaderNames.CONTENT_TYPE, answer.contentType());
    }
    header(head, HttpHeaderNames.CONTENT_LENGTH, Integer.toString(length));
    header(head, Invocation.INVOKED_VARIANT, variant);
    if (answer.customAttributes() != null) {
      header(head, Invocation.CUSTOM_ATTRIBUTES, answer.customAttributes());
    }
    header(head, REQUEST_ID, requestId);
    if (!keepAlive) {
      header(head, HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (http10) {
      header(head, HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    head.writeByte('\r').writeByte('\n');
    ByteBuf whole;
    if (length <= COPY_BODY_BYTES) {
      head.writeBytes(content, content.readerIndex(), length);
      content.release();
      whole = head;
    } else {
      whole = ctx.alloc().compositeBuffer(2).addComponents(true, head, content);
    }
    // written behind the HTTP encoder, which only takes HTTP message objects; only a close waits
    // for the write to finish
    if (keepAlive) {
      encoder.writeAndFlush(whole, encoder.voidPromise());
      write(null, true);
    } else {
      write(encoder.writeAndFlush(whole), false);
    }
  }

  /**
   * Starts a streamed answer (InvokeEndpointWithResponseStream): 200 with an AWS event stream as
   * its body, chunked (or, for an HTTP/1.0 client, ended by closing the connection).
   *
   * @param modelContentType the container's Content-Type, passed on as {@code
   *     X-Amzn-SageMaker-Content-Type}
   */
  void streamHead(
      Invocation invocation,
      String variant,
      String requestId,
      String modelContentType,
      String customAttributes,
      boolean keepAlive) {
    routeWaiting = null;
    streamChunked = !http10;
    ByteBuf out = ctx.alloc().buffer(320);
    ByteBufUtil.writeAscii(out, "HTTP/1.1 200 OK\r\n");
    header(out, HttpHeaderNames.CONTENT_TYPE, "application/vnd.amazon.eventstream");
    if (modelContentType != null) {
      header(out, Invocation.MODEL_CONTENT_TYPE, modelContentType);
    }
    header(out, Invocation.INVOKED_VARIANT, variant);
    if (customAttributes != null) {
      header(out, Invocation.CUSTOM_ATTRIBUTES, customAttributes);
    }
    header(out, REQUEST_ID, requestId);
    if (streamChunked) {
      header(out, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    if (!keepAlive || !streamChunked) {
      header(out, HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    out.writeByte('\r').writeByte('\n');
    encoder.writeAndFlush(out, encoder.voidPromise());
  }

  /**
   * Writes one part of a streamed answer as a PayloadPart event.
   *
   * @param payload released here
   * @return whether the client takes more now (else {@link Invocation#clientWritable} follows)
   */
  boolean streamPart(ByteBuf payload) {
    if (!ctx.channel().isActive()) {
      payload.release();
      return false; // the client left; channelInactive tells the invocation
    }
    ByteBuf event;
    try {
      event = EventStreamFrames.payloadPart(ctx.alloc(), payload);
    } finally {
      payload.release();
    }
    writeStreamed(event);
    return ctx.channel().isWritable();
  }

  /**
   * Ends a streamed answer, with a ModelStreamError event first when {@code errorCode} is not null,
   * and moves on to the next request.
   */
  void streamEnd(String errorCode, String message, boolean keepAlive) {
    streaming = null;
    if (errorCode != null) {
      String json = RuntimeError.jsonObject("Message", message, "ErrorCode", errorCode);
      writeStreamed(EventStreamFrames.exception(ctx.alloc(), "ModelStreamError", json));
    }
    if (streamChunked) {
      write(encoder.writeAndFlush(Unpooled.wrappedBuffer(LAST_CHUNK)), keepAlive);
    } else {
      write(encoder.writeAndFlush(Unpooled.EMPTY_BUFFER), false);
    }
  }

  private void writeStreamed(ByteBuf event) {
    if (!streamChunked) {
      encoder.writeAndFlush(event, encoder.voidPromise());
      return;
    }
    ByteBuf size = ctx.alloc().buffer(10);
    ByteBufUtil.writeAscii(size, Integer.toHexString(event.readableBytes()));
    size.writeBytes(CRLF);
    ByteBuf chunk =
        ctx.alloc()
            .compositeBuffer(3)
            .addComponents(true, size, event, Unpooled.wrappedBuffer(CRLF));
    encoder.writeAndFlush(chunk, encoder.voidPromise());
  }

  private static void header(ByteBuf out, CharSequence name, CharSequence value) {
    ByteBufUtil.writeAscii(out, name);
    out.writeByte(':').writeByte(' ');
    ByteBufUtil.writeAscii(out, value);
    out.writeByte('\r').writeByte('\n');
  }

  /** Writes the answer to the current request and moves on to the next one. */
  void respond(FullHttpResponse response, boolean keepAlive) {
    routeWaiting = null;
    if (closing) {
      // the connection is already on its way out (a former answer said close)
      response.release();
      return;
    }
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (http10) {
      // HTTP/1.0 closes by default: a kept-alive connection must say so
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    write(ctx.writeAndFlush(response), keepAlive);
  }

  /**
   * @param written the answer's write; read only when the connection closes after it (null is fine
   *     otherwise)
   */
  private void write(ChannelFuture written, boolean keepAlive) {
    answers++;
    routeWaiting = null;
    streaming = null;
    if (!keepAlive) {
      closing = true;
      ctx.channel().config().setAutoRead(false);
      written.addListener(ChannelFutureListener.CLOSE);
      Object msg;
      while ((msg = pending.poll()) != null) {
        ReferenceCountUtil.release(msg);
      }
      busy = false;
      return;
    }
    done();
  }

  private void done() {
    busy = false;
    Object next = pending.poll();
    if (next != null) {
      busy = true;
      dispatch(next);
    } else if (paused && !closing) {
      paused = false;
      ctx.channel().config().setAutoRead(true);
    }
  }

  private static String newRequestId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(hi, lo).toString();
  }
}
