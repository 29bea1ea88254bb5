package io.sagebrush.gateway.invoke;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
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
