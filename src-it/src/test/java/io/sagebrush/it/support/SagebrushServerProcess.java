package io.sagebrush.it.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * The Sagebrush server ({@code platform-api/target/sagebrush-server.jar}) started as a child
 * process on free ports with its own temporary {@code SAGEBRUSH_HOME} and fixed credentials.
 *
 * <p>The process keeps its ports and home across {@link #stop()} / {@link #start()}, so a restart
 * sees the same jobs, logs and objects, and a standalone agent registered against it can carry on.
 * Its output is appended to {@code target/it-logs/<name>.log}.
 */
public final class SagebrushServerProcess implements AutoCloseable {
  public static final String ACCESS_KEY = "AKIASAGEBRUSHITEST01";
  public static final String SECRET_KEY = "sagebrush-it-secret-0123456789abcdefghij";
  public static final String AGENT_TOKEN = "sagebrush-it-agent-token-0123456789";
  public static final String REGION = "us-east-1";
  public static final String ACCOUNT_ID = "000000000000";

  /** Scheduler settings that keep lifecycle tests short; callers may override any of them. */
  private static final Map<String, String> QUICK_SCHEDULER =
      Map.of("SAGEBRUSH_SCHEDULER_TRAINING_STOP_GRACE", "5s");

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

  private final String name;
  private final Path home;
  private final int apiPort;
  private final int s3Port;
  private final int gatewayPort;
  private final Map<String, String> env;
  private final JavaProcess process;

  private SagebrushServerProcess(String name, Map<String, String> extraEnv) {
    this.name = name;
    this.home = JavaProcess.workDirectory("home-" + name + "-");
    this.apiPort = Ports.free();
    this.s3Port = Ports.free();
    this.gatewayPort = Ports.free();
    Map<String, String> e = new LinkedHashMap<>(QUICK_SCHEDULER);
    e.put("SAGEBRUSH_HOME", home.toString());
    e.put("SAGEBRUSH_API_PORT", Integer.toString(apiPort));
    e.put("SAGEBRUSH_S3_PORT", Integer.toString(s3Port));
    e.put("SAGEBRUSH_GATEWAY_PORT", Integer.toString(gatewayPort));
    e.put("SAGEBRUSH_ACCESS_KEY", ACCESS_KEY);
    e.put("SAGEBRUSH_SECRET_KEY", SECRET_KEY);
    e.put("SAGEBRUSH_AGENT_TOKEN", AGENT_TOKEN);
    e.put("SAGEBRUSH_REGION", REGION);
    e.put("SAGEBRUSH_ACCOUNT_ID", ACCOUNT_ID);
    e.putAll(extraEnv);
    this.env = Map.copyOf(e);
    Path jar =
        JavaProcess.requiredFile(
            "sagebrush.server.jar", "../platform-api/target/sagebrush-server.jar");
    this.process =
        new JavaProcess(
            "server " + name,
            jar,
            JavaProcess.logDirectory().resolve(name + ".log"),
            List.of("-Xmx768m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + home.resolve("tmp")));
  }

  /**
   * Starts a server and waits until {@code /actuator/health} says UP.
   *
   * @param name names the log file and the home directory
   * @param extraEnv e.g. {@code SAGEBRUSH_RUNTIME=process} or {@code
   *     SAGEBRUSH_EMBEDDED_AGENT=false}
   */
  public static SagebrushServerProcess start(String name, Map<String, String> extraEnv) {
    TestImages.ensureBuilt();
    SagebrushServerProcess server = new SagebrushServerProcess(name, extraEnv);
    server.start();
    return server;
  }

  /** Starts (or restarts) the process on the same home and ports and waits for health UP. */
  public void start() {
    try {
      java.nio.file.Files.createDirectories(home.resolve("tmp"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    process.start(env);
    awaitHealthy();
  }

  /** SIGTERM, then waits up to a minute for a clean exit. Returns the exit code (-1 if killed). */
  public int stop() {
    return process.stop(Duration.ofSeconds(60));
  }

  @Override
  public void close() {
    stop();
  }

  private void awaitHealthy() {
    Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    String last = "no answer";
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "server "
                + name
                + " exited with "
                + process.exitCodeOrMinusOne()
                + " while starting; log "
                + process.logFile()
                + ":\n"
                + process.logTail(60));
      }
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(apiEndpoint().resolve("/actuator/health"))
                    .timeout(Duration.ofSeconds(5))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        last = response.statusCode() + " " + response.body();
        if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(Duration.ofMillis(500));
    }
    throw new IllegalStateException(
        "server "
            + name
            + " not healthy after "
            + STARTUP_TIMEOUT
            + " (last: "
            + last
            + "); log "
            + process.logFile()
            + ":\n"
            + process.logTail(60));
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

  public Path home() {
    return home;
  }

  /** The control plane: SageMaker API, CloudWatch Logs API, REST, agent API. */
  public URI apiEndpoint() {
    return URI.create("http://localhost:" + apiPort);
  }

  /** The embedded S3 server. */
  public URI s3Endpoint() {
    return URI.create("http://localhost:" + s3Port);
  }

  /** The inference gateway (SageMaker runtime API): HTTPS with the server's own certificate. */
  public URI gatewayEndpoint() {
    return URI.create("https://localhost:" + gatewayPort);
  }

  public int gatewayPort() {
    return gatewayPort;
  }

  /**
   * The PEM certificate the embedded gateway serves, generated once by the server as {@code
   * $SAGEBRUSH_HOME/tls/gateway-cert.pem} (also accepted: {@code tls/gateway.crt}, or either one
   * directory deeper). Waits up to 30 s for it to appear.
   */
  public Path gatewayCertificate() {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (true) {
      java.util.Optional<Path> found = findGatewayCertificate();
      if (found.isPresent()) {
        return found.get();
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "no gateway certificate (tls/gateway-cert.pem or tls/gateway.crt) under "
                + home
                + "; log tail:\n"
                + logTail(40));
      }
      sleep(Duration.ofMillis(250));
    }
  }

  private java.util.Optional<Path> findGatewayCertificate() {
    List<String> names = List.of("gateway-cert.pem", "gateway.crt");
    for (String name : names) {
      Path direct = home.resolve("tls").resolve(name);
      if (java.nio.file.Files.isRegularFile(direct)) {
        return java.util.Optional.of(direct);
      }
    }
    try (java.util.stream.Stream<Path> files =
        java.nio.file.Files.find(
            home,
            3,
            (p, attributes) ->
                attributes.isRegularFile()
                    && names.contains(p.getFileName().toString())
                    && p.getParent().getFileName().toString().equals("tls"))) {
      return files.sorted().findFirst();
    } catch (IOException | java.io.UncheckedIOException e) {
      return java.util.Optional.empty();
    }
  }

  public Path logFile() {
    return process.logFile();
  }

  public String logTail(int lines) {
    return process.logTail(lines);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** AWS SDK clients for this server with the right credentials. */
  public AwsClients clients() {
    return AwsClients.forServer(this, ACCESS_KEY, SECRET_KEY);
  }

  /** A new CloudWatch (metrics and alarms) client for this server with the right credentials. */
  public CloudWatchClient cloudWatch() {
    return CloudWatchClient.builder()
        .endpointOverride(apiEndpoint())
        .region(Region.of(REGION))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build();
  }
}
