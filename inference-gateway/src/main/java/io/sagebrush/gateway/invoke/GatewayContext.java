package io.sagebrush.gateway.invoke;

import io.sagebrush.common.sigv4.SigV4Verifier;
import io.sagebrush.gateway.GatewayConfig;
import io.sagebrush.gateway.routing.Router;
import io.sagebrush.gateway.upstream.UpstreamPool;
import java.util.concurrent.Executor;

/**
 * What every connection handler shares.
 *
 * @param config the gateway's configuration
 * @param verifier checks SigV4 signatures
 * @param router the compiled routing table
 * @param pool connections to replicas
 * @param hashExecutor hashes large bodies off the event loops
 */
public record GatewayContext(
    GatewayConfig config,
    SigV4Verifier verifier,
    Router router,
    UpstreamPool pool,
    Executor hashExecutor) {}
