package io.sagebrush.gateway.upstream;

import io.netty.buffer.ByteBuf;

/**
 * A container's 2xx answer read as a stream (for InvokeEndpointWithResponseStream): one {@link
 * Head}, then a {@link Part} per chunk of a chunked body (or per read of any other body), then one
 * {@link End}. Other answers of a streamed exchange arrive whole, as a {@link ReplicaResponse}.
 */
public sealed interface ReplicaStream {
  /** The status line and the headers the gateway passes on. */
  record Head(int status, String contentType, String customAttributes) implements ReplicaStream {}

  /** A piece of the body; the receiver owns {@code content} and must release it. */
  record Part(ByteBuf content) implements ReplicaStream {}

  /**
   * The body is complete.
   *
   * @param keepAlive whether the connection may carry another request
   */
  record End(boolean keepAlive) implements ReplicaStream {}
}
