package io.sagebrush.agent;

import static io.sagebrush.agent.testing.TaskBuilder.aTrainingTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.agent.testing.FakeControlPlane;
import io.sagebrush.agent.testing.S3Fixture;
import io.sagebrush.agent.testing.TaskBuilder;
import io.sagebrush.protocol.AgentRegistration;
import io.sagebrush.protocol.TaskAssignment;
import io.sagebrush.protocol.TaskEvent;
import io.sagebrush.protocol.TaskPhase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent loop against a fake control plane that speaks the protocol over real HTTP, with the
 * real embedded S3 server and the process runtime running a small python3 script. (The real control
 * plane is exercised end to end in src-it.)
 */
class AgentIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String TRAIN_PY =
      String.join(
          "\n",
          "import argparse, os, signal, sys, time",
          "p = argparse.ArgumentParser()",
          "p.add_argument('--sleep', type=float, default=0)",
          "a = p.parse_args()",
          "signal.signal(signal.SIGTERM, lambda *_: (print('got-term', flush=True), sys.exit(143)))",
          "print('training started', flush=True)",
          "for i in range(3):",
          "    print('epoch %d' % i, flush=True)",
          "end = time.time() + a.sleep",
          "while time.time() < end:",
          "    time.sleep(0.05)",
          "open(os.path.join(os.environ['SM_MODEL_DIR'], 'model.txt'), 'w').write('trained')",
          "print('training done', flush=True)",
          "");

  @TempDir static Path shared;
  private static S3Fixture s3;
  private static Path code;

  @TempDir Path workDir;
  private FakeControlPlane controlPlane;
  private Agent agent;

  @BeforeAll
  static void startS3() throws IOException {
    s3 = S3Fixture.start(shared);
    s3.bucket("out");
    code = Files.createDirectories(shared.resolve("code"));
    Files.writeString(code.resolve("train.py"), TRAIN_PY);
  }

  @AfterAll
  static void stopS3() {
    s3.close();
  }

  @BeforeEach
  void startControlPlane() throws IOException {
    controlPlane = FakeControlPlane.start(s3.settings());
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    controlPlane.close();
  }

  private Agent startAgent(String token) {
    AgentConfig config =
        new AgentConfig(controlPlane.url(), token, workDir, "process")
            .withName("test-agent")
            .withCapacity(2, 4096L)
            .withRetryMaxBackoff(Duration.ofMillis(300));
    Agent a = new Agent(config);
    a.start();
    return a;
  }

  private static TaskBuilder scriptTask(String job, double sleepSeconds) {
    return aTrainingTask(job)
        .withImage("sagebrush/script:1")
        .withHyperParameter("sagemaker_program", "train.py")
        .withHyperParameter("sagemaker_submit_directory", code.toString())
        .withHyperParameter("sleep", String.valueOf(sleepSeconds));
  }

  @Test
  void registersThenRunsAnAssignedTaskReportingEveryPhaseInOrderWithItsLogs() throws Exception {
    agent = startAgent(FakeControlPlane.TOKEN);
    await(agent::isRegistered);
    TaskBuilder builder = scriptTask("agent-success", 0);
    TaskAssignment task = builder.build();

    controlPlane.assign(task);
    TaskEvent end = controlPlane.awaitTerminal(task.taskId(), TIMEOUT);

    assertThat(end.phase()).as(end.failureReason()).isEqualTo(TaskPhase.SUCCEEDED);
    assertThat(controlPlane.phases(task.taskId()))
        .containsExactly(
            TaskPhase.ACCEPTED,
            TaskPhase.PULLING_IMAGE,
            TaskPhase.DOWNLOADING,
            TaskPhase.RUNNING,
            TaskPhase.UPLOADING,
            TaskPhase.SUCCEEDED);
    assertThat(controlPlane.logMessages(task.taskId()))
        .containsSubsequence("training started", "epoch 0", "epoch 1", "epoch 2", "training done");
    assertThat(s3.tarContents(builder.modelUri())).containsEntry("model.txt", "trained");
    AgentRegistration registration = controlPlane.registrations().get(0);
    assertThat(registration.agentId()).isNull();
    assertThat(registration.name()).isEqualTo("test-agent");
    assertThat(registration.cpus()).isEqualTo(2);
    assertThat(registration.memoryMb()).isEqualTo(4096);
    assertThat(registration.runtime()).isEqualTo("process");
    assertThat(agent.runtimeName()).isEqualTo("process");
    assertThat(Files.readString(workDir.resolve("agent-id")).trim()).isEqualTo(agent.agentId());
    await(() -> agent.activeTaskIds().isEmpty());
  }

  @Test
  void reRegistersWithTheSameIdWhenThePollAnswers404() throws Exception {
    agent = startAgent(FakeControlPlane.TOKEN);
    await(agent::isRegistered);
    String id = agent.agentId();

    controlPlane.forgetAgents();
    await(() -> controlPlane.registrations().size() >= 2);

    assertThat(controlPlane.registrations().get(1).agentId()).isEqualTo(id);
    await(agent::isRegistered);
    int polls = controlPlane.polls();
    await(() -> controlPlane.polls() > polls);
  }

  @Test
  void aRestartedAgentRegistersWithItsPersistedId() throws Exception {
    agent = startAgent(FakeControlPlane.TOKEN);
    await(agent::isRegistered);
    String id = agent.agentId();
    agent.close();

    agent = startAgent(FakeControlPlane.TOKEN);
    await(() -> controlPlane.registrations().size() >= 2);

    assertThat(controlPlane.registrations().get(1).agentId()).isEqualTo(id);
  }

  @Test
  void registrationIsRetriedUntilTheControlPlaneAnswers() throws Exception {
    controlPlane.stop();
    agent = startAgent(FakeControlPlane.TOKEN);
    Thread.sleep(1500);
    assertThat(agent.isRegistered()).isFalse();

    controlPlane.restart();

    await(agent::isRegistered);
  }

  @Test
  void aWrongTokenKeepsTheAgentRetryingUnregistered() throws Exception {
    agent = startAgent("wrong-token");

    await(() -> controlPlane.unauthorized() >= 3);

    assertThat(agent.isRegistered()).isFalse();
  }

  @Test
  void theTerminalEventSurvivesAControlPlaneOutageAndTheTaskRunsOn() throws Exception {
    agent = startAgent(FakeControlPlane.TOKEN);
    await(agent::isRegistered);
    TaskAssignment task = scriptTask("agent-outage", 2).build();
    controlPlane.assign(task);
    controlPlane.awaitPhase(task.taskId(), TaskPhase.RUNNING, TIMEOUT);

    controlPlane.stop();
    Thread.sleep(4000);
    assertThat(controlPlane.phases(task.taskId())).doesNotContain(TaskPhase.SUCCEEDED);
    controlPlane.restart();
    TaskEvent end = controlPlane.awaitTerminal(task.taskId(), TIMEOUT);

    assertThat(end.phase()).isEqualTo(TaskPhase.SUCCEEDED);
    assertThat(controlPlane.phases(task.taskId()))
        .containsExactly(
            TaskPhase.ACCEPTED,
            TaskPhase.PULLING_IMAGE,
            TaskPhase.DOWNLOADING,
            TaskPhase.RUNNING,
            TaskPhase.UPLOADING,
            TaskPhase.SUCCEEDED);
    assertThat(controlPlane.logMessages(task.taskId())).contains("training done");
    await(() -> agent.activeTaskIds().isEmpty());
  }

  @Test
  void aTaskIsReportedAsRunningUntilItsTerminalEventIsDelivered() throws Exception {
    agent = startAgent(FakeControlPlane.TOKEN);
    await(agent::isRegistered);
    TaskAssignment task = scriptTask("agent-running-ids", 1).build();

    controlPlane.assign(task);
    controlPlane.awaitTerminal(task.taskId(), TIMEOUT);
    await(() -> agent.activeTaskIds().isEmpty());

    List<List<String>> ids = controlPlane.pollRunningIds();
    assertThat(ids).anyMatch(list -> list.contains(task.taskId()));
  }

  @Test
  void aStopOrderFromThePollStopsTheTask() throws Exception {
    agent = startAgent(FakeControlPlane.TOKEN);
    await(agent::isRegistered);
    TaskAssignment task = scriptTask("agent-stop", 120).build();
    controlPlane.assign(task);
    controlPlane.awaitPhase(task.taskId(), TaskPhase.RUNNING, TIMEOUT);
    await(() -> controlPlane.logMessages(task.taskId()).contains("training started"));

    controlPlane.stopTask(task.taskId());
    TaskEvent end = controlPlane.awaitTerminal(task.taskId(), TIMEOUT);

    assertThat(end.phase()).isEqualTo(TaskPhase.STOPPED);
    assertThat(end.maxRuntimeExceeded()).isFalse();
    await(() -> controlPlane.logMessages(task.taskId()).contains("got-term"));
  }

  @Test
  void aRepeatedAssignmentOfTheSameTaskRunsItOnce() throws Exception {
    agent = startAgent(FakeControlPlane.TOKEN);
    await(agent::isRegistered);
    TaskAssignment task = scriptTask("agent-duplicate", 1).build();

    controlPlane.assign(task);
    controlPlane.awaitPhase(task.taskId(), TaskPhase.ACCEPTED, TIMEOUT);
    controlPlane.assign(task);
    controlPlane.awaitTerminal(task.taskId(), TIMEOUT);
    controlPlane.assign(task);
    Thread.sleep(1500);

    assertThat(controlPlane.phases(task.taskId()))
        .filteredOn(p -> p == TaskPhase.ACCEPTED)
        .hasSize(1);
  }

  @Test
  void autoRuntimePicksDockerWhenTheEngineAnswers() {
    try (Agent auto = new Agent(new AgentConfig(controlPlane.url(), "t", workDir, "auto"))) {
      assertThat(auto.runtimeName()).isEqualTo("docker");
    }
  }

  @Test
  void autoRuntimeFallsBackToProcessWithoutAnEngine() {
    AgentConfig config =
        new AgentConfig(
            controlPlane.url(),
            "t",
            workDir,
            "auto",
            null,
            null,
            null,
            null,
            "unix://" + workDir.resolve("no-docker.sock"),
            null,
            null,
            false,
            null);
    try (Agent auto = new Agent(config)) {
      assertThat(auto.runtimeName()).isEqualTo("process");
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + TIMEOUT);
      }
      Thread.sleep(20);
    }
  }
}
