package io.sagebrush.gateway.invoke;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
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

  /**
   * A request that waits for {@code 100 Continue} while declaring a body over the limit gets no
   * {@code 100 Continue} and no bare {@code 413} from Netty: returning null sends it down the
   * oversized path, which answers a ValidationError in the runtime API's shape (and closes the
   * connection, since the client never sends the body).
   */
  @Override
  protected Object newContinueResponse(
      HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
    if (HttpUtil.is100ContinueExpected(start)
        && HttpUtil.getContentLength(start, -1L) > maxContentLength) {
      return null;
    }
    return super.newContinueResponse(start, maxContentLength, pipeline);
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    boolean keepAlive =
        HttpUtil.isKeepAlive(oversized) && !HttpUtil.is100ContinueExpected(oversized);
    ctx.fireChannelRead(new OversizedRequest(keepAlive));
  }
}
