package io.sagebrush.api.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The inference gateway this server runs in its own JVM (the SageMaker runtime API).
 *
 * @param enabled run the gateway here (SAGEBRUSH_GATEWAY_ENABLED); off when separate gateways run
 * @param port HTTPS port (SAGEBRUSH_GATEWAY_PORT), 0 for a free one
 * @param bindAddress listen address (SAGEBRUSH_GATEWAY_BIND)
 * @param tls HTTPS (default) or plain HTTP (SAGEBRUSH_GATEWAY_TLS=false)
 * @param certificate PEM certificate chain (SAGEBRUSH_GATEWAY_CERT); with {@code privateKey}, else
 *     a self-signed certificate is generated once under {@code $SAGEBRUSH_HOME/tls}
 * @param privateKey PEM PKCS#8 private key (SAGEBRUSH_GATEWAY_KEY)
 * @param tlsNames extra DNS names or IPs for the generated certificate
 *     (SAGEBRUSH_GATEWAY_TLS_NAMES)
 * @param modelTimeout how long a replica may take to answer before ModelError
 * @param metricsInterval how often the gateway's per-variant CloudWatch datapoints ({@code
 *     AWS/SageMaker}) go to the metric store (SAGEBRUSH_GATEWAY_METRICS_INTERVAL)
 */
@ConfigurationProperties("sagebrush.gateway")
public record GatewayProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("8443") int port,
    @DefaultValue("0.0.0.0") String bindAddress,
    @DefaultValue("true") boolean tls,
    Path certificate,
    Path privateKey,
    @DefaultValue List<String> tlsNames,
    @DefaultValue("60s") Duration modelTimeout,
    @DefaultValue("10s") Duration metricsInterval) {}
