package io.sagebrush.agent.execution;

import io.sagebrush.agent.runtime.LaunchedHost;
import io.sagebrush.agent.runtime.LaunchedServer;
import io.sagebrush.agent.runtime.StageFailure;
import io.sagebrush.protocol.HostSpec;
import io.sagebrush.protocol.ServingSpec;
import io.sagebrush.protocol.TaskAssignment;
import io.sagebrush.protocol.TaskPhase;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * Starts the serving container and watches it until a stop order or its failure.
 *
 * <ol>
 *   <li>{@code <image> serve} starts with its port published; RUNNING is reported.
 *   <li>{@code GET /ping} every {@link ServingSettings#startupPingInterval()} until a 200: READY
 *       with the address gateways use. No 200 within the startup timeout fails the replica.
 *   <li>Then a ping every {@link ServingSettings#pingInterval()}; {@link
 *       ServingSettings#unhealthyThreshold()} failures in a row fail it.
 *   <li>The container exiting at any point fails it, with its exit code.
 *   <li>A stop order: SIGTERM, grace, SIGKILL; the stage returns normally.
 * </ol>
 *
 * A failure ends the container the same way and throws a {@link StageFailure} whose reason quotes
 * the container's last log lines ({@link ServingFailures}).
 */
final class ServeContainerStage implements Stage {
  static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofMinutes(4);
  private static final Duration TICK = Duration.ofMillis(200);
  private static final Duration LOG_DRAIN = Duration.ofSeconds(5);

  private final ServingSettings settings;
  private final HttpPing ping;

  ServeContainerStage(ServingSettings settings) {
    this.settings = settings;
    this.ping = new HttpPing(settings.pingTimeout());
  }

  @Override
  public String name() {
    return "serve";
  }

  /** A container that failed is not started again: the control plane places a new replica. */
  @Override
  public int attempts() {
    return 1;
  }

  @Override
  public void run(TaskContext context) {
    TaskAssignment task = context.task();
    ServingSpec spec = task.serving();
    HostSpec host = task.hosts().get(0);
    String stream =
        host.logStream() != null ? host.logStream() : task.jobName() + "/" + host.hostName();
    String variant = spec.variantName() != null ? spec.variantName() : task.jobName();
    LogTail tail = new LogTail(settings.logTailLines());
    LaunchedServer server =
        context.runtime.serve(
            context.run,
            settings.bindAddress(),
            (h, line) -> {
              tail.add(line);
              context.reporter.log(stream, line);
            });
    context.launched = server;
    List<LaunchedHost> hosts = server.hosts();
    LaunchedHost container = hosts.get(0);
    int port = server.published().getPort();
    URI local = settings.pingUrl(server.published());
    String address = settings.address(port);
    context.reporter.phase(
        TaskPhase.RUNNING, "Container started; waiting for it to answer GET /ping with 200");

    Duration startup =
        spec.startupTimeoutSeconds() > 0
            ? Duration.ofSeconds(spec.startupTimeoutSeconds())
            : DEFAULT_STARTUP_TIMEOUT;
    Duration grace = Duration.ofSeconds(Math.max(0, task.stopGraceSeconds()));
    ReplicaHealth health =
        new ReplicaHealth(
            System.nanoTime(),
            startup,
            settings.startupPingInterval(),
            settings.pingInterval(),
            settings.unhealthyThreshold());
    String lastPing = null;
    while (true) {
      if (context.stopRequested()) {
        RunContainerStage.endAll(hosts, grace);
        server.awaitLogs(LOG_DRAIN);
        context.outcome = new TaskContext.RunOutcome(true, null, exitCode(container));
        return;
      }
      OptionalInt exit = container.exitCode();
      if (exit.isPresent()) {
        server.awaitLogs(LOG_DRAIN);
        context.outcome = new TaskContext.RunOutcome(false, host.hostName(), exit.getAsInt());
        throw StageFailure.fatal(ServingFailures.exited(variant, exit.getAsInt(), tail.lines()));
      }
      if (health.pingDue(System.nanoTime())) {
        HttpPing.Result result =
            port > 0 ? ping.ping(local) : new HttpPing.Result(false, "no port published");
        lastPing = result.detail();
        switch (health.observe(result.ok(), System.nanoTime())) {
          case BECAME_READY -> {
            context.readyAddress = address;
            context.reporter.ready(
                address, "The container answers GET /ping; serving at " + address);
          }
          case UNHEALTHY ->
              fail(
                  context,
                  hosts,
                  grace,
                  ServingFailures.unhealthy(
                      variant, health.failuresInARow(), lastPing, tail.lines()));
          case STARTUP_TIMED_OUT ->
              fail(
                  context,
                  hosts,
                  grace,
                  ServingFailures.startupTimedOut(
                      variant, startup.toSeconds(), lastPing, tail.lines()));
          default -> {
            // starting or healthy: keep watching
          }
        }
      }
      sleep(TICK);
    }
  }

  /** Ends the container (SIGTERM, grace, SIGKILL) and fails the stage with {@code reason}. */
  private static void fail(
      TaskContext context, List<LaunchedHost> hosts, Duration grace, String reason) {
    RunContainerStage.endAll(hosts, grace);
    context.outcome =
        new TaskContext.RunOutcome(false, hosts.get(0).hostName(), exitCode(hosts.get(0)));
    throw StageFailure.fatal(reason);
  }

  private static Integer exitCode(LaunchedHost host) {
    OptionalInt code = host.exitCode();
    return code.isPresent() ? code.getAsInt() : null;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the replica runs", e);
    }
  }
}
