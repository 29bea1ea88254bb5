package io.sagebrush.gateway.upstream;

import io.netty.buffer.ByteBuf;

/**
 * A container's complete answer: what the gateway passes on of it and nothing more.
 *
 * @param status the HTTP status code
 * @param contentType the {@code Content-Type} header, or null
 * @param customAttributes the {@code X-Amzn-SageMaker-Custom-Attributes} header, or null
 * @param keepAlive whether the connection may carry another request (HTTP/1.1 without {@code
 *     Connection: close}, or HTTP/1.0 with {@code Connection: keep-alive}, and a framed body)
 * @param content the body; the receiver owns it and must release it (or pass it on)
 */
public record ReplicaResponse(
    int status, String contentType, String customAttributes, boolean keepAlive, ByteBuf content) {}
