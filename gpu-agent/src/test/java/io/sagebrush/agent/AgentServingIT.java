package io.sagebrush.agent;

import static io.sagebrush.agent.testing.TaskBuilder.aServingTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.agent.testing.FakeControlPlane;
import io.sagebrush.agent.testing.Invocations;
import io.sagebrush.agent.testing.S3Fixture;
import io.sagebrush.agent.testing.TrainedModels;
import io.sagebrush.protocol.TaskAssignment;
import io.sagebrush.protocol.TaskEvent;
import io.sagebrush.protocol.TaskPhase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A serving task through the agent loop (fake control plane over real HTTP, process runtime, the
 * algorithms jar): READY carries the address, the task counts as running until a stop order.
 */
class AgentServingIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir static Path shared;
  private static S3Fixture s3;
  private static String model;

  @TempDir Path workDir;
  private FakeControlPlane controlPlane;
  private Agent agent;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = S3Fixture.start(shared);
    model = TrainedModels.xgboostRegressor(s3, shared);
  }

  @AfterAll
  static void stopS3() {
    s3.close();
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    if (controlPlane != null) {
      controlPlane.close();
    }
  }

  private void startAgent() throws Exception {
    controlPlane = FakeControlPlane.start(s3.settings());
    agent =
        new Agent(
            new AgentConfig(controlPlane.url(), FakeControlPlane.TOKEN, workDir, "process")
                .withRetryMaxBackoff(Duration.ofMillis(300)));
    agent.start();
  }

  private List<TaskEvent> readyEvents(String taskId) {
    return controlPlane.events(taskId).stream().filter(e -> e.phase() == TaskPhase.READY).toList();
  }

  @Test
  void aServingTaskReportsReadyWithItsAddressAndRunsUntilTheStopOrder() throws Exception {
    startAgent();
    TaskAssignment task = aServingTask("agent-serving").withModelData(model).build();

    controlPlane.assign(task);
    controlPlane.awaitPhase(task.taskId(), TaskPhase.READY, TIMEOUT);
    TaskEvent ready = readyEvents(task.taskId()).get(0);
    int polls = controlPlane.polls();
    while (controlPlane.polls() < polls + 2) {
      Thread.sleep(50);
    }

    assertThat(ready.address()).matches("http://127\\.0\\.0\\.1:\\d+");
    assertThat(Invocations.invokeCsv(ready.address(), "5\n").statusCode()).isEqualTo(200);
    List<List<String>> running = controlPlane.pollRunningIds();
    assertThat(running.get(running.size() - 1)).contains(task.taskId());
    assertThat(controlPlane.phases(task.taskId()))
        .containsExactly(
            TaskPhase.ACCEPTED,
            TaskPhase.PULLING_IMAGE,
            TaskPhase.DOWNLOADING,
            TaskPhase.RUNNING,
            TaskPhase.READY);

    controlPlane.stopTask(task.taskId());
    TaskEvent end = controlPlane.awaitTerminal(task.taskId(), TIMEOUT);

    assertThat(end.phase()).isEqualTo(TaskPhase.STOPPED);
    assertThat(controlPlane.logMessages(task.taskId())).anyMatch(l -> l.contains("serving"));
    assertThat(Invocations.ping(ready.address())).isEqualTo(-1);
  }

  @Test
  void aReadyReplicaIsReportedAgainWhenTheAgentRegistersAgain() throws Exception {
    startAgent();
    TaskAssignment task = aServingTask("agent-reannounce").withModelData(model).build();
    controlPlane.assign(task);
    controlPlane.awaitPhase(task.taskId(), TaskPhase.READY, TIMEOUT);

    controlPlane.forgetAgents();
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (readyEvents(task.taskId()).size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }

    List<TaskEvent> ready = readyEvents(task.taskId());
    assertThat(ready).hasSize(2);
    assertThat(ready.get(1).address()).isEqualTo(ready.get(0).address());
    assertThat(controlPlane.registrations()).hasSize(2);
  }
}
