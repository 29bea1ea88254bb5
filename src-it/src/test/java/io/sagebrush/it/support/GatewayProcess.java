package io.sagebrush.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

/**
 * A standalone inference gateway ({@code inference-gateway/target/sagebrush-gateway.jar}, main
 * class {@code GatewayMain}) started as a child process that follows a control plane's routing
 * table: a free port on 127.0.0.1, its own temporary {@code SAGEBRUSH_HOME} (where it generates its
 * self-signed certificate, {@code tls/gateway-cert.pem}), the test server's credentials and agent
 * token, and a Prometheus {@code /metrics} port. Output goes to {@code target/it-logs/<name>.log}.
 */
public final class GatewayProcess implements AutoCloseable {
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private final String name;
  private final Path home;
  private final int port;
  private final int metricsPort;
  private final boolean tls;
  private final Map<String, String> env;
  private final JavaProcess process;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private SageMakerRuntimeClient runtime;

  private GatewayProcess(String name, URI controlPlane, boolean tls, Map<String, String> extraEnv) {
    this.name = name;
    this.tls = tls;
    this.home = JavaProcess.workDirectory("gateway-" + name + "-");
    this.port = Ports.free();
    this.metricsPort = Ports.free();
    Map<String, String> e = new LinkedHashMap<>();
    e.put("SAGEBRUSH_CONTROL_PLANE_URL", controlPlane.toString());
    e.put("SAGEBRUSH_HOME", home.toString());
    e.put("SAGEBRUSH_ACCESS_KEY", SagebrushServerProcess.ACCESS_KEY);
    e.put("SAGEBRUSH_SECRET_KEY", SagebrushServerProcess.SECRET_KEY);
    e.put("SAGEBRUSH_AGENT_TOKEN", SagebrushServerProcess.AGENT_TOKEN);
    e.put("SAGEBRUSH_REGION", SagebrushServerProcess.REGION);
    e.put("SAGEBRUSH_ACCOUNT_ID", SagebrushServerProcess.ACCOUNT_ID);
    e.put("SAGEBRUSH_GATEWAY_BIND", "127.0.0.1");
    e.put("SAGEBRUSH_GATEWAY_PORT", Integer.toString(port));
    e.put("SAGEBRUSH_GATEWAY_TLS", Boolean.toString(tls));
    e.put("SAGEBRUSH_GATEWAY_METRICS_PORT", Integer.toString(metricsPort));
    // CloudWatch datapoints every second, so that a test sees them soon
    e.put("SAGEBRUSH_GATEWAY_METRICS_INTERVAL_MS", "1000");
    e.putAll(extraEnv);
    this.env = Map.copyOf(e);
    Path jar =
        JavaProcess.requiredFile(
            "sagebrush.gateway.jar", "../inference-gateway/target/sagebrush-gateway.jar");
    this.process =
        new JavaProcess(
            "gateway " + name,
            jar,
            JavaProcess.logDirectory().resolve(name + ".log"),
            List.of("-Xmx128m", "-XX:+UseSerialGC"));
  }

  /**
   * Starts a gateway following {@code server}'s control plane and waits until it listens (it may
   * not have its first routing table yet).
   *
   * @param tls HTTPS with a certificate it generates into its home, else plain HTTP
   */
  public static GatewayProcess start(String name, SagebrushServerProcess server, boolean tls) {
    return start(name, server.apiEndpoint(), tls);
  }

  /** Starts a gateway following the control plane at {@code controlPlane} (may be unreachable). */
  public static GatewayProcess start(String name, URI controlPlane, boolean tls) {
    GatewayProcess gateway = launch(name, controlPlane, tls, Map.of());
    gateway.awaitListening();
    return gateway;
  }

  /**
   * Starts a gateway process and returns at once, without waiting for it to listen.
   *
   * @param extraEnv settings that override the defaults (e.g. a {@code SAGEBRUSH_GATEWAY_PORT} that
   *     is taken)
   */
  public static GatewayProcess launch(
      String name, URI controlPlane, boolean tls, Map<String, String> extraEnv) {
    GatewayProcess gateway = new GatewayProcess(name, controlPlane, tls, extraEnv);
    gateway.process.start(gateway.env);
    return gateway;
  }

  /** Waits up to {@code timeout} for the process to exit by itself; its exit code, or empty. */
  public OptionalInt awaitExit(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (process.isAlive() && Instant.now().isBefore(deadline)) {
      sleep(Duration.ofMillis(100));
    }
    return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitCodeOrMinusOne());
  }

  private void awaitListening() {
    Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
    String last = "no attempt";
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "gateway "
                + name
                + " exited with "
                + process.exitCodeOrMinusOne()
                + " while starting; log "
                + process.logFile()
                + ":\n"
                + process.logTail(60));
      }
      if (accepts(port) && accepts(metricsPort)) {
        if (!tls || Files.isRegularFile(certificate())) {
          return;
        }
        last = "listening, but no " + certificate();
      } else {
        last = "ports " + port + "/" + metricsPort + " not accepting yet";
      }
      sleep(Duration.ofMillis(250));
    }
    throw new IllegalStateException(
        "gateway "
            + name
            + " not listening after "
            + STARTUP_TIMEOUT
            + " ("
            + last
            + "); log "
            + process.logFile()
            + ":\n"
            + process.logTail(60));
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String name() {
    return name;
  }

  public boolean tls() {
    return tls;
  }

  public Path home() {
    return home;
  }

  public int port() {
    return port;
  }

  /** The SageMaker runtime API: {@code https://localhost:<port>} (or http when TLS is off). */
  public URI endpoint() {
    return URI.create((tls ? "https" : "http") + "://localhost:" + port);
  }

  /** The certificate it generated: {@code <home>/tls/gateway-cert.pem}. */
  public Path certificate() {
    return home.resolve("tls").resolve("gateway-cert.pem");
  }

  /**
   * A runtime client of this gateway (made on first use, closed with the gateway) signing with the
   * server's credentials, trusting exactly this gateway's certificate, never retrying.
   */
  public synchronized SageMakerRuntimeClient runtime() {
    if (runtime == null) {
      AwsBasicCredentials credentials =
          AwsBasicCredentials.create(
              SagebrushServerProcess.ACCESS_KEY, SagebrushServerProcess.SECRET_KEY);
      if (tls) {
        runtime = GatewayClients.runtime(endpoint(), certificate(), credentials);
      } else {
        runtime =
            SageMakerRuntimeClient.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(
                    ApacheHttpClient.builder()
                        .maxConnections(64)
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(75))
                        .build())
                .overrideConfiguration(
                    o ->
                        o.apiCallTimeout(Duration.ofSeconds(90))
                            .retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
      }
    }
    return runtime;
  }

  /** The Prometheus text of {@code http://127.0.0.1:<metrics port>/metrics}. */
  public String metrics() {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                  .timeout(Duration.ofSeconds(10))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "GET /metrics of gateway " + name + " answered " + response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The value of the sample {@code metric} whose labels include {@code EndpointName=endpoint} and
   * {@code VariantName=variant} in {@code text} (Prometheus exposition), or 0 when there is none.
   */
  public static double sample(String text, String metric, String endpoint, String variant) {
    Pattern line =
        Pattern.compile("^" + Pattern.quote(metric) + "\\{([^}]*)\\}\\s+(\\S+)", Pattern.MULTILINE);
    Matcher m = line.matcher(text);
    while (m.find()) {
      String labels = m.group(1);
      if (labels.contains("EndpointName=\"" + endpoint + "\"")
          && labels.contains("VariantName=\"" + variant + "\"")) {
        return Double.parseDouble(m.group(2));
      }
    }
    return 0;
  }

  /** {@code sagemaker_invocations_total} of {@code endpoint}/{@code variant}, now. */
  public double invocations(String endpoint, String variant) {
    return sample(metrics(), "sagemaker_invocations_total", endpoint, variant);
  }

  public Path logFile() {
    return process.logFile();
  }

  public String logTail(int lines) {
    return process.logTail(lines);
  }

  /** What the gateway wrote since its last start (the log file is appended to across runs). */
  public String log() {
    try {
      String all = Files.readString(process.logFile());
      int start = all.lastIndexOf("==== starting ");
      return start < 0 ? all : all.substring(start);
    } catch (IOException e) {
      return "";
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * SIGTERM, then up to 20 s for a clean exit. Returns the exit code (-1 if it had to be killed).
   */
  public int stop() {
    synchronized (this) {
      if (runtime != null) {
        runtime.close();
        runtime = null;
      }
    }
    return process.stop(Duration.ofSeconds(20));
  }

  @Override
  public void close() {
    stop();
  }
}
