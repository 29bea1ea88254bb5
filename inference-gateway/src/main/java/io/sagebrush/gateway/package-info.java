/**
 * The inference gateway: the HTTPS data plane for SageMaker InvokeEndpoint. {@link
 * io.sagebrush.gateway.InferenceGateway#start} embeds it; {@link io.sagebrush.gateway.GatewayMain}
 * runs it alone.
 */
package io.sagebrush.gateway;
