package io.sagebrush.gateway;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sagebrush.gateway.metrics.ControlPlaneMetricSink;
import io.sagebrush.gateway.routing.ControlPlaneRoutingTableSource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the gateway alone, following a remote control plane. Settings come from the environment:
 *
 * <ul>
 *   <li>{@code SAGEBRUSH_CONTROL_PLANE_URL} (default {@code http://localhost:8080})
 *   <li>{@code SAGEBRUSH_HOME} (default {@code ~/.sagebrush}): its {@code credentials} file fills
 *       in what the variables below leave out; the generated certificate goes under {@code tls/}
 *   <li>{@code SAGEBRUSH_ACCESS_KEY}, {@code SAGEBRUSH_SECRET_KEY}, {@code SAGEBRUSH_AGENT_TOKEN}
 *   <li>{@code SAGEBRUSH_GATEWAY_PORT} (8443), {@code SAGEBRUSH_GATEWAY_BIND} ({@code 0.0.0.0}),
 *       {@code SAGEBRUSH_GATEWAY_TLS} ({@code true}), {@code SAGEBRUSH_GATEWAY_CERT} and {@code
 *       SAGEBRUSH_GATEWAY_KEY} (PEM files), {@code SAGEBRUSH_GATEWAY_TLS_NAMES} (comma-separated
 *       extra names for the generated certificate)
 *   <li>{@code SAGEBRUSH_ACCOUNT_ID} ({@code 000000000000}), {@code SAGEBRUSH_REGION} ({@code
 *       us-east-1})
 *   <li>{@code SAGEBRUSH_GATEWAY_UPSTREAM_IDLE_MS} (4000): how long an idle pooled connection to a
 *       replica is kept; keep it below the containers' keep-alive time-out
 *   <li>{@code SAGEBRUSH_GATEWAY_ROUTE_WAIT_MS} (500): how long a request for an endpoint the
 *       routing table does not route yet waits for a newer table before it is refused
 *   <li>{@code SAGEBRUSH_GATEWAY_METRICS_INTERVAL_MS} (10000): how often the per-variant CloudWatch
 *       datapoints ({@code AWS/SageMaker}) are sent to the control plane ({@code POST
 *       /gateway/v1/metrics}), where alarms evaluate them
 *   <li>{@code SAGEBRUSH_GATEWAY_METRICS_PORT}: when set, Prometheus text on {@code
 *       http://<bind>:<port>/metrics} (plain HTTP, no authentication; keep it on a private network)
 * </ul>
 */
public final class GatewayMain {
  private GatewayMain() {}

  public static void main(String[] args) throws Exception {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "sagebrush-gateway-logback.xml");
    }
    Path home =
        Path.of(env("SAGEBRUSH_HOME", System.getProperty("user.home") + "/.sagebrush"))
            .toAbsolutePath();
    Properties stored = readCredentials(home.resolve("credentials"));
    String accessKey = env("SAGEBRUSH_ACCESS_KEY", stored.getProperty("access_key"));
    String secretKey = env("SAGEBRUSH_SECRET_KEY", stored.getProperty("secret_key"));
    String agentToken = env("SAGEBRUSH_AGENT_TOKEN", stored.getProperty("agent_token"));
    if (accessKey == null || secretKey == null || agentToken == null) {
      System.err.println(
          "Set SAGEBRUSH_ACCESS_KEY, SAGEBRUSH_SECRET_KEY and SAGEBRUSH_AGENT_TOKEN (or provide "
              + home.resolve("credentials")
              + ").");
      System.exit(2);
    }
    GatewayConfig.Builder config =
        GatewayConfig.builder()
            .bindAddress(env("SAGEBRUSH_GATEWAY_BIND", "0.0.0.0"))
            .port(Integer.parseInt(env("SAGEBRUSH_GATEWAY_PORT", "" + GatewayConfig.DEFAULT_PORT)))
            .tlsEnabled(Boolean.parseBoolean(env("SAGEBRUSH_GATEWAY_TLS", "true")))
            .home(home)
            .credentials(accessKey, secretKey)
            .accountId(env("SAGEBRUSH_ACCOUNT_ID", "000000000000"))
            .region(env("SAGEBRUSH_REGION", "us-east-1"))
            .upstreamIdleTimeout(
                Duration.ofMillis(
                    Long.parseLong(env("SAGEBRUSH_GATEWAY_UPSTREAM_IDLE_MS", "4000"))))
            .routeWait(
                Duration.ofMillis(Long.parseLong(env("SAGEBRUSH_GATEWAY_ROUTE_WAIT_MS", "500"))))
            .metricsInterval(
                Duration.ofMillis(
                    Long.parseLong(env("SAGEBRUSH_GATEWAY_METRICS_INTERVAL_MS", "10000"))));
    String cert = env("SAGEBRUSH_GATEWAY_CERT", null);
    String key = env("SAGEBRUSH_GATEWAY_KEY", null);
    if (cert != null && key != null) {
      config.pem(Path.of(cert), Path.of(key));
    }
    String names = env("SAGEBRUSH_GATEWAY_TLS_NAMES", null);
    if (names != null) {
      List<String> extra =
          Arrays.stream(names.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
      config.selfSignedNames(extra);
    }
    URI controlPlane = URI.create(env("SAGEBRUSH_CONTROL_PLANE_URL", "http://localhost:8080"));
    ControlPlaneRoutingTableSource routes =
        new ControlPlaneRoutingTableSource(
                controlPlane, agentToken, Duration.ofSeconds(20), Duration.ofSeconds(5))
            .start();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HttpServer metrics = null;
    String metricsPort = env("SAGEBRUSH_GATEWAY_METRICS_PORT", null);
    if (metricsPort != null) {
      metrics =
          HttpServer.create(
              new InetSocketAddress(
                  env("SAGEBRUSH_GATEWAY_BIND", "0.0.0.0"), Integer.parseInt(metricsPort)),
              16);
      metrics.createContext(
          "/metrics",
          exchange -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          });
      metrics.start();
    }
    HttpServer metricsServer = metrics;
    InferenceGateway gateway;
    try {
      gateway =
          InferenceGateway.start(
              config.build(),
              routes,
              registry,
              new ControlPlaneMetricSink(controlPlane, agentToken));
    } catch (RuntimeException e) {
      // the metrics server's thread would keep the process alive
      if (metricsServer != null) {
        metricsServer.stop(0);
      }
      routes.close();
      System.err.println(e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  gateway.close();
                  routes.close();
                  if (metricsServer != null) {
                    metricsServer.stop(0);
                  }
                  stopped.countDown();
                },
                "sagebrush-gateway-shutdown"));
    stopped.await();
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  private static Properties readCredentials(Path file) throws IOException {
    Properties properties = new Properties();
    if (Files.isRegularFile(file)) {
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        properties.load(reader);
      }
    }
    return properties;
  }
}
