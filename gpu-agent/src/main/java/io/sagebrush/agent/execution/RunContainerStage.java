package io.sagebrush.agent.execution;

import io.sagebrush.agent.runtime.LaunchedHost;
import io.sagebrush.agent.runtime.LaunchedJob;
import io.sagebrush.protocol.HostSpec;
import io.sagebrush.protocol.TaskAssignment;
import io.sagebrush.protocol.TaskPhase;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Starts every host and waits until all ended. A stop order or the runtime limit sends SIGTERM,
 * waits the grace period, then SIGKILL; a host exiting non-zero ends the others the same way.
 */
final class RunContainerStage implements Stage {
  private static final Duration TICK = Duration.ofMillis(100);
  private static final Duration KILL_WAIT = Duration.ofSeconds(30);
  private static final Duration LOG_DRAIN = Duration.ofSeconds(10);

  @Override
  public String name() {
    return "run containers";
  }

  @Override
  public void run(TaskContext context) {
    TaskAssignment task = context.task();
    Map<String, String> streams = new HashMap<>();
    for (HostSpec h : task.hosts()) {
      streams.put(
          h.hostName(),
          h.logStream() != null ? h.logStream() : task.jobName() + "/" + h.hostName());
    }
    LaunchedJob job =
        context.runtime.launch(
            context.run,
            (host, line) ->
                context.reporter.log(
                    streams.getOrDefault(host, task.jobName() + "/" + host), line));
    context.launched = job;
    context.reporter.phase(
        TaskPhase.RUNNING, "Training image download completed. Training in progress.");
    List<LaunchedHost> hosts = job.hosts();
    Duration grace = Duration.ofSeconds(Math.max(0, task.stopGraceSeconds()));
    String failedHost = null;
    Integer failedCode = null;
    boolean stopped = false;
    boolean ended = false;
    while (true) {
      if (context.stopRequested() && !stopped && failedHost == null) {
        stopped = true;
        endAll(hosts, grace);
        ended = true;
      }
      boolean allEnded = true;
      for (LaunchedHost host : hosts) {
        OptionalInt code = host.exitCode();
        if (code.isEmpty()) {
          allEnded = false;
        } else if (code.getAsInt() != 0 && failedHost == null && !stopped) {
          failedHost = host.hostName();
          failedCode = code.getAsInt();
        }
      }
      // after SIGTERM, grace and SIGKILL there is nothing more to wait for
      if (allEnded || ended) {
        break;
      }
      if (failedHost != null) {
        endAll(hosts, grace);
        ended = true;
        continue;
      }
      sleep(TICK);
    }
    job.awaitLogs(LOG_DRAIN);
    Integer exitCode = failedCode;
    if (exitCode == null) {
      OptionalInt first = hosts.get(0).exitCode();
      exitCode = first.isPresent() ? first.getAsInt() : null;
    }
    context.outcome = new TaskContext.RunOutcome(stopped, failedHost, exitCode);
  }

  /** SIGTERM to every host, the grace period, SIGKILL to the ones left, then waits for them. */
  static void endAll(List<LaunchedHost> hosts, Duration grace) {
    hosts.forEach(LaunchedHost::terminate);
    if (!awaitAll(hosts, grace)) {
      hosts.forEach(LaunchedHost::kill);
      awaitAll(hosts, KILL_WAIT);
    }
  }

  private static boolean awaitAll(List<LaunchedHost> hosts, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (hosts.stream().allMatch(h -> h.exitCode().isPresent())) {
        return true;
      }
      if (System.nanoTime() >= deadline) {
        return false;
      }
      sleep(TICK);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the containers run", e);
    }
  }
}
