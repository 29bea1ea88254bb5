package io.sagebrush.gateway.invoke;

import io.netty.channel.ChannelPipeline;

/** Adds the request handling stages after the HTTP codec of a client connection. */
public final class GatewayPipeline {
  private GatewayPipeline() {}

  public static void addHandlers(ChannelPipeline pipeline, GatewayContext context) {
    pipeline.addLast("aggregate", new BodyAggregator(context.config().maxBodyBytes()));
    pipeline.addLast("gateway", new GatewayHandler(context));
  }
}
