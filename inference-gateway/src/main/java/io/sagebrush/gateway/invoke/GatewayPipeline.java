package io.sagebrush.gateway.invoke;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP stages of a client connection: the gateway's own request decoder (whole requests, see
 * {@link ClientRequestDecoder}), Netty's response encoder (for error answers) and the request
 * handler. Model answers are written as bytes behind the encoder (see {@link
 * GatewayHandler#respondAnswer}).
 */
public final class GatewayPipeline {
  static final String ENCODER = "http-encoder";

  private GatewayPipeline() {}

  public static void addHandlers(ChannelPipeline pipeline, GatewayContext context) {
    pipeline.addLast("http-decoder", new ClientRequestDecoder(context.config().maxBodyBytes()));
    pipeline.addLast(ENCODER, new HttpResponseEncoder());
    pipeline.addLast("gateway", new GatewayHandler(context));
  }

  /**
   * Closes a client connection that has been quiet for {@code timeout}: nothing read, no request in
   * service and no answer written. A request may wait on the model longer than the idle time-out,
   * so a busy connection is never idle.
   */
  public static ChannelHandler clientIdleTimeout(Duration timeout) {
    return new ClientIdleTimeout(timeout);
  }

  /**
   * Looks at the connection every half time-out instead of stamping every read and write with the
   * time (which costs a clock reading and a write promise per answer): two quiet looks in a row
   * close it, so a connection goes between one and one and a half time-outs after its last
   * activity.
   */
  private static final class ClientIdleTimeout extends ChannelInboundHandlerAdapter {
    private final long periodNanos;
    private ChannelHandlerContext ctx;
    private GatewayHandler handler;
    private ScheduledFuture<?> look;
    private boolean readSinceLook;
    private long answersAtLook;
    private int quietLooks;

    ClientIdleTimeout(Duration timeout) {
      periodNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), timeout.toNanos() / 2);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      this.ctx = ctx;
      if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
        start();
      }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      start();
      ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      readSinceLook = true;
      ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      stop();
      ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      stop();
    }

    private void start() {
      if (look == null) {
        look = ctx.executor().schedule(this::look, periodNanos, TimeUnit.NANOSECONDS);
      }
    }

    private void stop() {
      if (look != null) {
        look.cancel(false);
        look = null;
      }
    }

    private void look() {
      if (look == null || !ctx.channel().isOpen()) {
        return;
      }
      if (handler == null) {
        handler = ctx.pipeline().get(GatewayHandler.class); // added after this one
      }
      long answers = handler == null ? 0 : handler.answers();
      if (readSinceLook || answers != answersAtLook || (handler != null && handler.busy())) {
        readSinceLook = false;
        answersAtLook = answers;
        quietLooks = 0;
      } else if (++quietLooks >= 2) {
        look = null;
        ctx.close();
        return;
      }
      look = ctx.executor().schedule(this::look, periodNanos, TimeUnit.NANOSECONDS);
    }
  }
}
