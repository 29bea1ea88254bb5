package io.sagebrush.api.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.sagebrush.api.cloudwatch.GatewayMetricsController;
import io.sagebrush.api.config.AwsIdentityProperties;
import io.sagebrush.api.config.EmbeddedProperties;
import io.sagebrush.api.config.GatewayProperties;
import io.sagebrush.api.embedded.ServerCredentials;
import io.sagebrush.gateway.GatewayConfig;
import io.sagebrush.gateway.InferenceGateway;
import io.sagebrush.gateway.metrics.MetricSink;
import io.sagebrush.gateway.routing.ControlPlaneRoutingTableSource;
import io.sagebrush.scheduler.cloudwatch.service.CloudWatchService;
import java.net.URI;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The inference gateway in this JVM. It follows the routing table over loopback HTTP exactly like a
 * separate gateway would, so one code path serves both deployments, and its per-variant metrics go
 * to this server's registry ({@code /actuator/prometheus}) and, as CloudWatch datapoints, straight
 * to the metric store (alarms evaluate them). It starts after the web server and stops before it.
 * Disabled with {@code SAGEBRUSH_GATEWAY_ENABLED=false}.
 */
@Component
public class EmbeddedGateway implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedGateway.class);

  private final GatewayProperties properties;
  private final EmbeddedProperties embedded;
  private final AwsIdentityProperties identity;
  private final ServerCredentials credentials;
  private final WebServerApplicationContext context;
  private final MeterRegistry registry;
  private final CloudWatchService cloudWatch;
  private volatile ControlPlaneRoutingTableSource routes;
  private volatile InferenceGateway gateway;

  public EmbeddedGateway(
      GatewayProperties properties,
      EmbeddedProperties embedded,
      AwsIdentityProperties identity,
      ServerCredentials credentials,
      WebServerApplicationContext context,
      MeterRegistry registry,
      CloudWatchService cloudWatch) {
    this.cloudWatch = cloudWatch;
    this.properties = properties;
    this.embedded = embedded;
    this.identity = identity;
    this.credentials = credentials;
    this.context = context;
    this.registry = registry;
  }

  /** True when this server runs a gateway. */
  public boolean enabled() {
    return properties.enabled();
  }

  /** True once the gateway listens and holds a routing table (false when disabled). */
  public boolean isReady() {
    ControlPlaneRoutingTableSource r = routes;
    return gateway != null && r != null && r.hasReceivedTable();
  }

  /** The port it listens on, or -1 when it is not running. */
  public int port() {
    InferenceGateway g = gateway;
    return g == null ? -1 : g.port();
  }

  @Override
  public void start() {
    if (!properties.enabled()) {
      log.info("Inference gateway disabled (SAGEBRUSH_GATEWAY_ENABLED=false)");
      return;
    }
    URI controlPlane = URI.create("http://127.0.0.1:" + context.getWebServer().getPort());
    ControlPlaneRoutingTableSource source =
        new ControlPlaneRoutingTableSource(
                controlPlane,
                credentials.agentToken(),
                Duration.ofSeconds(20),
                Duration.ofSeconds(5))
            .start();
    GatewayConfig.Builder config =
        GatewayConfig.builder()
            .bindAddress(properties.bindAddress())
            .port(properties.port())
            .tlsEnabled(properties.tls())
            .home(embedded.home())
            .selfSignedNames(properties.tlsNames())
            .credentials(credentials.accessKey(), credentials.secretKey())
            .accountId(identity.accountId())
            .region(identity.region())
            .modelTimeout(properties.modelTimeout())
            .metricsInterval(properties.metricsInterval());
    if (given(properties.certificate()) && given(properties.privateKey())) {
      config.pem(properties.certificate(), properties.privateKey());
    }
    try {
      MetricSink sink = batch -> cloudWatch.putData(GatewayMetricsController.toData(batch));
      gateway = InferenceGateway.start(config.build(), source, registry, sink);
    } catch (RuntimeException e) {
      source.close();
      throw e;
    }
    routes = source;
    log.info(
        "Inference gateway listening on {}://{}:{} (SageMaker runtime API)",
        properties.tls() ? "https" : "http",
        properties.bindAddress(),
        gateway.port());
  }

  private static boolean given(java.nio.file.Path path) {
    return path != null && !path.toString().isBlank();
  }

  @Override
  public void stop() {
    InferenceGateway g = gateway;
    ControlPlaneRoutingTableSource r = routes;
    gateway = null;
    routes = null;
    if (g != null) {
      g.close();
    }
    if (r != null) {
      r.close();
    }
  }

  @Override
  public boolean isRunning() {
    return gateway != null;
  }

  /** After the web server (whose port it needs), before the in-process agent. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 1;
  }
}
