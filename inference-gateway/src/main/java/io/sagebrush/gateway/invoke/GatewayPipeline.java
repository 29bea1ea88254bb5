package io.sagebrush.gateway.invoke;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Adds the request handling stages after the HTTP codec of a client connection. */
public final class GatewayPipeline {
  private GatewayPipeline() {}

  public static void addHandlers(ChannelPipeline pipeline, GatewayContext context) {
    pipeline.addLast("aggregate", new BodyAggregator(context.config().maxBodyBytes()));
    pipeline.addLast("gateway", new GatewayHandler(context));
  }

  /**
   * Closes a client connection that has sent nothing for {@code timeout}, except while one of its
   * requests is being served: a request may wait on the model longer than the idle time-out.
   */
  public static ChannelHandler clientIdleTimeout(Duration timeout) {
    return new ClientIdleTimeout(timeout);
  }

  private static final class ClientIdleTimeout extends IdleStateHandler {
    ClientIdleTimeout(Duration timeout) {
      // idle = neither read nor written: an answer restarts the clock, so a check that falls just
      // after a slow answer does not close the connection the client is about to reuse
      super(0, 0, Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
      GatewayHandler handler = ctx.pipeline().get(GatewayHandler.class);
      if (handler != null && handler.busy()) {
        return; // checked again after another idle period
      }
      ctx.close();
    }
  }
}
