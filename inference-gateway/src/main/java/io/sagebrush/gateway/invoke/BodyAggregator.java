package io.sagebrush.gateway.invoke;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Aggregates a request into one message, up to the body limit. A larger request becomes an {@link
 * OversizedRequest}, answered in turn with a ValidationError; the connection stays open (the rest
 * of the body is read and dropped) unless the client waits for {@code 100 Continue}.
 */
final class BodyAggregator extends HttpObjectAggregator {

  BodyAggregator(int maxBodyBytes) {
    super(maxBodyBytes);
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    boolean keepAlive =
        HttpUtil.isKeepAlive(oversized) && !HttpUtil.is100ContinueExpected(oversized);
    ctx.fireChannelRead(new OversizedRequest(keepAlive));
  }
}
