package io.sagebrush.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.protocol.TaskAssignment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link ContainerRuntime} must do, run against each implementation: exit codes, log
 * lines in order, the {@code /opt/ml} layout, SIGTERM and SIGKILL.
 */
public abstract class ContainerRuntimeContract {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dir;

  /** The runtime under test. */
  protected abstract ContainerRuntime runtime();

  /** A single-host task whose host runs {@code sh -c script} with SM_* set. */
  protected abstract TaskAssignment shellTask(String script);

  private final List<String> lines = new CopyOnWriteArrayList<>();

  private LaunchedJob launch(String script) {
    TaskAssignment task = shellTask(script);
    JobWorkspace ws = new JobWorkspace(dir.resolve(UUID.randomUUID().toString()));
    ws.create(List.of("algo-1"));
    TaskRun run = new TaskRun("contract-agent", task, ws);
    runtime()
        .resolveImage(
            run,
            (uri, file) -> {
              throw new IllegalStateException("no downloads expected");
            });
    lastWorkspace = ws;
    return runtime().launch(run, (host, line) -> lines.add(host + ": " + line));
  }

  private JobWorkspace lastWorkspace;

  private static int awaitExit(LaunchedHost host) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      OptionalInt code = host.exitCode();
      if (code.isPresent()) {
        return code.getAsInt();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("host did not end within " + TIMEOUT);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void exitCodeAndOutputLinesInOrderAreReported() throws Exception {
    try (LaunchedJob job = launch("echo one; echo two; echo three; exit 4")) {
      assertThat(awaitExit(job.hosts().get(0))).isEqualTo(4);
      job.awaitLogs(TIMEOUT);
    }
    assertThat(lines).containsExactly("algo-1: one", "algo-1: two", "algo-1: three");
  }

  @Test
  void theHostWritesItsModelWhereSmModelDirPoints() throws Exception {
    try (LaunchedJob job = launch("echo weights > $SM_MODEL_DIR/w.txt")) {
      assertThat(awaitExit(job.hosts().get(0))).isZero();
    }
    assertThat(Files.readString(lastWorkspace.modelDir("algo-1").resolve("w.txt")))
        .isEqualTo("weights\n");
  }

  @Test
  void terminateDeliversSigterm() throws Exception {
    try (LaunchedJob job =
        launch("trap 'echo term; exit 42' TERM; echo ready; while true; do sleep 0.1; done")) {
      awaitLine("algo-1: ready");
      job.hosts().get(0).terminate();
      assertThat(awaitExit(job.hosts().get(0))).isEqualTo(42);
      job.awaitLogs(TIMEOUT);
    }
    assertThat(lines).contains("algo-1: term");
  }

  @Test
  void killEndsAHostThatIgnoresSigterm() throws Exception {
    try (LaunchedJob job = launch("trap '' TERM; echo ready; while true; do sleep 0.1; done")) {
      awaitLine("algo-1: ready");
      job.hosts().get(0).terminate();
      Thread.sleep(500);
      assertThat(job.hosts().get(0).exitCode()).isEmpty();
      job.hosts().get(0).kill();
      assertThat(awaitExit(job.hosts().get(0))).isEqualTo(137);
    }
  }

  private void awaitLine(String line) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!lines.contains(line)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no line '" + line + "' in " + lines);
      }
      Thread.sleep(20);
    }
  }
}
