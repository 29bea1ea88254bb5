package io.sagebrush.gateway.invoke;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Joins the decoder's request head and body parts into one {@link FullHttpRequest}, up to the body
 * limit, reusing the head's headers and, when the body came in one part (the usual case), its
 * buffer. A larger request becomes an {@link OversizedRequest}, answered in turn with a
 * ValidationError, and the rest of its body is read and dropped; the connection stays open unless
 * the client waits for {@code 100 Continue}, which it then does not get. A request that expects
 * {@code 100 Continue} and fits gets it; an HTTP/1.1 request with any other expectation becomes an
 * {@link UnmetExpectation}, answered in turn with {@code 417}, and the connection closes. A
 * malformed body (bad chunk or trailer) makes the request malformed.
 */
final class RequestAssembler extends ChannelInboundHandlerAdapter {
  /** Passed down in place of a request whose {@code Expect} header cannot be met. */
  enum UnmetExpectation {
    INSTANCE
  }

  private final int maxBodyBytes;
  private HttpRequest head;
  private CompositeByteBuf body;
  private boolean discarding;

  RequestAssembler(int maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof FullHttpRequest) {
      ctx.fireChannelRead(msg); // whole already, e.g. the decoder's answer to a malformed request
    } else if (msg instanceof HttpRequest request) {
      start(ctx, request);
    } else if (msg instanceof HttpContent content) {
      content(ctx, content);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  private void start(ChannelHandlerContext ctx, HttpRequest request) {
    releaseBody();
    head = null;
    discarding = false;
    if (request.decoderResult().isFailure()) {
      // answered as malformed by the handler; its body, if any, is dropped
      discarding = true;
      ctx.fireChannelRead(full(request, Unpooled.EMPTY_BUFFER));
      return;
    }
    long declared = HttpUtil.getContentLength(request, -1L);
    String expect =
        request.protocolVersion().equals(HttpVersion.HTTP_1_1)
            ? request.headers().get(HttpHeaderNames.EXPECT)
            : null; // HTTP/1.0 has no expectations
    if (expect != null) {
      if (!HttpUtil.is100ContinueExpected(request)) {
        // answered in turn by the handler, and the connection closes: the client may or may not
        // send the body now, so nothing after it can be read reliably
        discarding = true;
        ctx.fireChannelRead(UnmetExpectation.INSTANCE);
        return;
      }
      if (declared > maxBodyBytes) {
        // no 100 Continue: the client never sends the body, so the connection must close
        discarding = true;
        ctx.fireChannelRead(new OversizedRequest(false));
        return;
      }
      request.headers().remove(HttpHeaderNames.EXPECT);
      GatewayHandler handler = ctx.pipeline().get(GatewayHandler.class);
      if (handler == null || !handler.busy()) {
        // while an earlier request is answered, a 100 would land inside its answer: the client
        // then sends the body after its own wait, as RFC 9110 10.1.1 lets it
        ctx.writeAndFlush(
            new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
      }
    }
    if (declared > maxBodyBytes) {
      oversized(ctx, request);
      return;
    }
    head = request;
  }

  private void content(ChannelHandlerContext ctx, HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    if (discarding || head == null) {
      content.release();
      if (last) {
        discarding = false;
      }
      return;
    }
    if (content.decoderResult().isFailure()) {
      // a malformed chunk or trailer: the request is answered as malformed and the connection
      // closes (the decoder drops everything after it)
      content.release();
      releaseBody();
      HttpRequest request = head;
      head = null;
      FullHttpRequest failed = full(request, Unpooled.EMPTY_BUFFER);
      failed.setDecoderResult(content.decoderResult());
      ctx.fireChannelRead(failed);
      return;
    }
    ByteBuf part = content.content();
    if (body == null && last) {
      // the whole body in one part: passed on as it is
      HttpRequest request = head;
      head = null;
      ctx.fireChannelRead(full(request, part));
      return;
    }
    if (part.isReadable()) {
      if (body == null) {
        body = ctx.alloc().compositeBuffer(64);
      }
      if (body.readableBytes() + part.readableBytes() > maxBodyBytes) {
        content.release();
        releaseBody();
        HttpRequest request = head;
        head = null;
        oversized(ctx, request);
        if (last) {
          discarding = false;
        }
        return;
      }
      body.addComponent(true, part);
    } else {
      part.release();
    }
    if (last) {
      HttpRequest request = head;
      head = null;
      ByteBuf whole = body != null ? body : Unpooled.EMPTY_BUFFER;
      body = null;
      ctx.fireChannelRead(full(request, whole));
    }
  }

  private void oversized(ChannelHandlerContext ctx, HttpRequest request) {
    discarding = true;
    ctx.fireChannelRead(new OversizedRequest(HttpUtil.isKeepAlive(request)));
  }

  private static FullHttpRequest full(HttpRequest request, ByteBuf content) {
    DefaultFullHttpRequest full =
        new DefaultFullHttpRequest(
            request.protocolVersion(),
            request.method(),
            request.uri(),
            content,
            request.headers(),
            EmptyHttpHeaders.INSTANCE);
    full.setDecoderResult(request.decoderResult());
    return full;
  }

  private void releaseBody() {
    if (body != null) {
      body.release();
      body = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    releaseBody();
    head = null;
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseBody();
  }
}
