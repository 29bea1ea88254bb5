package io.sagebrush.agent.execution;

import io.sagebrush.agent.runtime.LaunchedHost;
import io.sagebrush.agent.runtime.LaunchedJob;
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
 *   <li>The container exiting at any point fails it, with its exit code: its state is checked every
 *       {@value #TICK_MILLIS} ms, whatever the ping schedule.
 *   <li>A stop order: SIGTERM, the task's stop grace, SIGKILL; the stage returns normally.
 * </ol>
 *
 * A failure throws a {@link StageFailure} whose reason quotes the container's last log lines
 * ({@link ServingFailures}) at once, leaving a container that still runs to the caller: it reports
 * the failure first, so that the replica leaves the routing table and a replacement is placed, and
 * only then ends the container ({@link #endFailed}).
 */
final class ServeContainerStage implements Stage {
  static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofMinutes(4);
  static final long TICK_MILLIS = 200;

  /**
   * How long a failed (unhealthy, never ready) container gets between SIGTERM and SIGKILL. Only a
   * stop order grants the task's full stop grace: a failed replica serves nobody any more.
   */
  static final Duration FAILED_GRACE = Duration.ofSeconds(3);

  private static final Duration TICK = Duration.ofMillis(TICK_MILLIS);
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
      failIfExited(context, server, host.hostName(), variant, tail);
      if (health.pingDue(System.nanoTime())) {
        HttpPing.Result result =
            port > 0 ? ping.ping(local) : new HttpPing.Result(false, "no port published");
        lastPing = result.detail();
        ReplicaHealth.Verdict verdict = health.observe(result.ok(), System.nanoTime());
        if (verdict == ReplicaHealth.Verdict.UNHEALTHY
            || verdict == ReplicaHealth.Verdict.STARTUP_TIMED_OUT) {
          // pings that failed because the container just died: say that it exited
          failIfExited(context, server, host.hostName(), variant, tail);
        }
        switch (verdict) {
          case BECAME_READY -> {
            if (context.stopRequested()) {
              continue;
            }
            context.readyAddress = address;
            context.reporter.ready(
                address, "The container answers GET /ping; serving at " + address);
          }
          case UNHEALTHY ->
              fail(
                  context,
                  host.hostName(),
                  ServingFailures.unhealthy(
                      variant, health.failuresInARow(), lastPing, tail.lines()));
          case STARTUP_TIMED_OUT ->
              fail(
                  context,
                  host.hostName(),
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

  /** Fails the stage when the container ended, quoting its exit code and last log lines. */
  private static void failIfExited(
      TaskContext context, LaunchedServer server, String hostName, String variant, LogTail tail) {
    OptionalInt exit = server.hosts().get(0).exitCode();
    if (exit.isPresent()) {
      // the log stream ends with the container; the last lines are the reason's substance
      server.awaitLogs(LOG_DRAIN);
      context.outcome = new TaskContext.RunOutcome(false, hostName, exit.getAsInt());
      throw StageFailure.fatal(ServingFailures.exited(variant, exit.getAsInt(), tail.lines()));
    }
  }

  /**
   * Fails the stage with {@code reason}, leaving the container running: the caller reports the
   * failure, then ends it with {@link #endFailed}.
   */
  private static void fail(TaskContext context, String hostName, String reason) {
    context.outcome = new TaskContext.RunOutcome(false, hostName, null);
    throw StageFailure.fatal(reason);
  }

  /**
   * Ends what is left of a failed replica: SIGTERM, {@link #FAILED_GRACE}, SIGKILL, then a short
   * wait for its last log lines. Returns at once when it already ended.
   */
  static void endFailed(LaunchedJob job) {
    List<LaunchedHost> hosts = job.hosts();
    if (hosts.stream().allMatch(h -> h.exitCode().isPresent())) {
      return;
    }
    RunContainerStage.endAll(hosts, FAILED_GRACE);
    job.awaitLogs(FAILED_GRACE);
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
