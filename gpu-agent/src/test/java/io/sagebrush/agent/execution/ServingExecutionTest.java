package io.sagebrush.agent.execution;

import static io.sagebrush.agent.testing.TaskBuilder.aServingTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.agent.testing.FakeServingRuntime;
import io.sagebrush.protocol.TaskAssignment;
import io.sagebrush.protocol.TaskEvent;
import io.sagebrush.protocol.TaskPhase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order in which a replica's end is reported and its container ended, against a fake runtime: a
 * failed replica is reported FAILED first and ended quickly afterwards; a stop order ends it with
 * the task's full grace before STOPPED.
 */
class ServingExecutionTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final ServingSettings FAST =
      new ServingSettings(
          "127.0.0.1",
          "127.0.0.1",
          Duration.ofMillis(50),
          Duration.ofMillis(100),
          Duration.ofSeconds(1),
          3,
          5);

  @TempDir Path dir;
  private final FakeServingRuntime runtime = new FakeServingRuntime();
  private final TimelineReporter reporter = new TimelineReporter();
  private Thread thread;
  private Path jobDir;

  /** Puts the reporter's events into the runtime's timeline. */
  private final class TimelineReporter implements TaskReporter {
    private volatile TaskEvent result;

    @Override
    public void phase(TaskPhase phase, String message) {
      runtime.record(phase.name());
    }

    @Override
    public void ready(String address, String message) {
      runtime.record("READY");
    }

    @Override
    public void log(String logStream, String line) {}

    @Override
    public void finish(TaskEvent event) {
      result = event;
      runtime.record(event.phase().name());
    }
  }

  private ServingExecution start(TaskAssignment task, ServingSettings settings) {
    jobDir = dir.resolve(task.taskId());
    ServingExecution execution =
        new ServingExecution("agent", task, jobDir, null, runtime, reporter, settings, false);
    thread = new Thread(execution, "serving-" + task.taskId());
    thread.setDaemon(true);
    thread.start();
    return execution;
  }

  private void awaitEnd() throws InterruptedException {
    thread.join(TIMEOUT.toMillis());
    assertThat(thread.isAlive()).as("the execution ended").isFalse();
  }

  private static long millisBetween(long fromNanos, long toNanos) {
    return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
  }

  private void assertInOrder(String... events) {
    List<String> timeline = runtime.timeline();
    int previous = -1;
    for (String e : events) {
      int at = timeline.indexOf(e);
      assertThat(at).as("%s after the events before it in %s", e, timeline).isGreaterThan(previous);
      previous = at;
    }
  }

  @Test
  void anUnhealthyReplicaIsReportedFailedFirstAndThenKilledWithAShortGrace() throws Exception {
    TaskAssignment task = aServingTask("ep").withStopGraceSeconds(30).build();
    runtime.heedSigterm(false);
    ServingExecution execution = start(task, FAST);
    runtime.await("READY", TIMEOUT);

    runtime.answerPing(500);
    runtime.await("FAILED", TIMEOUT);
    awaitEnd();
    execution.reannounce();

    assertThat(reporter.result.failureReason())
        .startsWith(
            "The container for production variant AllTraffic failed 3 consecutive ping health"
                + " checks (last ping: HTTP 500)");
    assertInOrder("RUNNING", "READY", "FAILED", "SIGTERM", "SIGKILL", "removed");
    long graceMillis = millisBetween(runtime.nanosOf("SIGTERM"), runtime.nanosOf("SIGKILL"));
    assertThat(graceMillis)
        .isBetween(
            ServeContainerStage.FAILED_GRACE.toMillis() - 100,
            ServeContainerStage.FAILED_GRACE.toMillis() + 2000);
    assertThat(runtime.timeline().stream().filter("READY"::equals)).hasSize(1);
    assertThat(Files.exists(jobDir)).isFalse();
  }

  @Test
  void aReplicaThatNeverAnswersPingIsReportedFailedBeforeItsContainerIsEnded() throws Exception {
    TaskAssignment task =
        aServingTask("ep").withStartupTimeoutSeconds(1).withStopGraceSeconds(30).build();
    runtime.heedSigterm(false);
    runtime.answerPing(503);
    start(task, FAST);

    runtime.await("FAILED", TIMEOUT);
    awaitEnd();

    assertThat(reporter.result.failureReason())
        .startsWith(
            "The container for production variant AllTraffic did not pass the ping health check"
                + " within 1 seconds (last ping: HTTP 503)");
    assertInOrder("RUNNING", "FAILED", "SIGTERM", "SIGKILL", "removed");
    assertThat(runtime.timeline()).doesNotContain("READY");
    assertThat(millisBetween(runtime.nanosOf("FAILED"), runtime.nanosOf("removed")))
        .isLessThan(ServeContainerStage.FAILED_GRACE.toMillis() + 2000);
  }

  @Test
  void aContainerThatExitsIsReportedAtOnceWhateverThePingSchedule() throws Exception {
    // a ping every 5 s once ready: the exit must not wait for the next one
    TaskAssignment task = aServingTask("ep").withStopGraceSeconds(30).build();
    start(task, ServingSettings.of("127.0.0.1", "127.0.0.1"));
    runtime.await("READY", TIMEOUT);

    runtime.exit(1, "killed: out of memory");
    runtime.await("FAILED", TIMEOUT);
    awaitEnd();

    assertThat(millisBetween(runtime.nanosOf("exited 1"), runtime.nanosOf("FAILED")))
        .isLessThan(1500);
    assertThat(reporter.result.exitCode()).isEqualTo(1);
    assertThat(reporter.result.failureReason())
        .startsWith("The container for production variant AllTraffic exited with code 1: ")
        .endsWith("\nkilled: out of memory");
    assertInOrder("READY", "exited 1", "FAILED", "removed");
    assertThat(runtime.timeline()).doesNotContain("SIGTERM", "SIGKILL");
  }

  @Test
  void aStopOrderEndsTheContainerWithTheFullGraceBeforeStoppedIsReported() throws Exception {
    long grace = ServeContainerStage.FAILED_GRACE.toSeconds() + 1;
    TaskAssignment task = aServingTask("ep").withStopGraceSeconds(grace).build();
    runtime.heedSigterm(false);
    ServingExecution execution = start(task, FAST);
    runtime.await("READY", TIMEOUT);

    execution.stop();
    awaitEnd();

    assertThat(reporter.result.phase()).isEqualTo(TaskPhase.STOPPED);
    assertInOrder("READY", "SIGTERM", "SIGKILL", "removed", "STOPPED");
    assertThat(millisBetween(runtime.nanosOf("SIGTERM"), runtime.nanosOf("SIGKILL")))
        .isGreaterThanOrEqualTo(grace * 1000 - 100);
  }
}
