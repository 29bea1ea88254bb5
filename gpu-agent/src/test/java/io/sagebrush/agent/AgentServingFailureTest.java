package io.sagebrush.agent;

import static io.sagebrush.agent.testing.TaskBuilder.aServingTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.agent.testing.FakeControlPlane;
import io.sagebrush.agent.testing.FakeServingRuntime;
import io.sagebrush.protocol.StorageSettings;
import io.sagebrush.protocol.TaskAssignment;
import io.sagebrush.protocol.TaskEvent;
import io.sagebrush.protocol.TaskPhase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed replica through the agent loop (fake control plane over real HTTP, fake runtime): the
 * control plane hears FAILED while the container is still being ended, and the task stays in the
 * polls' running ids until its container is removed.
 */
class AgentServingFailureTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path workDir;
  private FakeControlPlane controlPlane;
  private Agent agent;
  private final FakeServingRuntime runtime = new FakeServingRuntime();

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    if (controlPlane != null) {
      controlPlane.close();
    }
  }

  @Test
  void aFailedReplicaIsReportedBeforeItsContainerIsRemovedAndCountsAsRunningUntilThen()
      throws Exception {
    // never used: the task has no model data
    controlPlane =
        FakeControlPlane.start(new StorageSettings("http://127.0.0.1:9", "us-east-1", "a", "b"));
    agent =
        new Agent(
            new AgentConfig(controlPlane.url(), FakeControlPlane.TOKEN, workDir, "process")
                .withRetryMaxBackoff(Duration.ofMillis(300)),
            runtime);
    agent.start();
    runtime.answerPing(503);
    runtime.heedSigterm(false);
    TaskAssignment task =
        aServingTask("agent-failing").withStartupTimeoutSeconds(1).withStopGraceSeconds(60).build();

    controlPlane.assign(task);
    TaskEvent end = controlPlane.awaitTerminal(task.taskId(), TIMEOUT);

    assertThat(end.phase()).isEqualTo(TaskPhase.FAILED);
    assertThat(runtime.timeline()).as("the container is still there").doesNotContain("removed");
    assertThat(agent.activeTaskIds()).contains(task.taskId());

    runtime.await("removed", TIMEOUT);
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (agent.activeTaskIds().contains(task.taskId()) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(agent.activeTaskIds()).doesNotContain(task.taskId());
    int polls = controlPlane.polls();
    while (controlPlane.polls() < polls + 2 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    List<List<String>> running = controlPlane.pollRunningIds();
    assertThat(running.get(running.size() - 1)).doesNotContain(task.taskId());
    assertThat(controlPlane.phases(task.taskId())).doesNotContain(TaskPhase.READY);
  }
}
