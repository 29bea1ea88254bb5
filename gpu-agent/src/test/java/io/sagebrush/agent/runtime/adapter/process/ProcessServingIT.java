package io.sagebrush.agent.runtime.adapter.process;

import static io.sagebrush.agent.testing.TaskBuilder.aServingTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.agent.execution.ServingExecution;
import io.sagebrush.agent.execution.ServingSettings;
import io.sagebrush.agent.testing.Invocations;
import io.sagebrush.agent.testing.RecordingReporter;
import io.sagebrush.agent.testing.S3Fixture;
import io.sagebrush.agent.testing.TrainedModels;
import io.sagebrush.protocol.TaskAssignment;
import io.sagebrush.protocol.TaskEvent;
import io.sagebrush.protocol.TaskPhase;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serving tasks in the process runtime: the algorithms jar's {@code serve} on a free local port,
 * with a model it trained itself.
 */
class ProcessServingIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  private static S3Fixture s3;
  private static String model;
  private static final ProcessRuntime runtime = new ProcessRuntime("python3");

  @BeforeAll
  static void start() throws Exception {
    s3 = S3Fixture.start(dir);
    model = TrainedModels.xgboostRegressor(s3, dir);
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  private static ServingExecution start(TaskAssignment task, RecordingReporter reporter) {
    ServingExecution execution =
        new ServingExecution(
            "agent-it",
            task,
            dir.resolve("jobs").resolve(task.taskId()),
            s3.store(),
            runtime,
            reporter,
            ServingSettings.of("127.0.0.1", "127.0.0.1"),
            false);
    Thread t = new Thread(execution, "serving-" + task.taskId());
    t.setDaemon(true);
    t.start();
    return execution;
  }

  @Test
  void anXgboostAliasServesItsModelFromTheAlgorithmsJarUntilStopped() throws Exception {
    TaskAssignment task = aServingTask("process-xgb").withModelData(model).build();
    RecordingReporter reporter = new RecordingReporter();
    ServingExecution execution = start(task, reporter);

    reporter.awaitPhase(TaskPhase.READY, TIMEOUT);
    String address = reporter.address();
    HttpResponse<String> prediction = Invocations.invokeCsv(address, "8\n");

    assertThat(address).matches("http://127\\.0\\.0\\.1:\\d+");
    assertThat(prediction.statusCode()).as(prediction.body()).isEqualTo(200);
    assertThat(Double.parseDouble(prediction.body().strip())).isBetween(7.0, 9.0);

    execution.stop();
    TaskEvent end = reporter.awaitResult(TIMEOUT);

    assertThat(end.phase()).as(end.failureReason()).isEqualTo(TaskPhase.STOPPED);
    assertThat(reporter.phases())
        .containsExactly(
            TaskPhase.PULLING_IMAGE, TaskPhase.DOWNLOADING, TaskPhase.RUNNING, TaskPhase.READY);
    assertThat(reporter.lines("AllTraffic/replica-1")).anyMatch(l -> l.contains("serving"));
    assertThat(Invocations.ping(address)).isEqualTo(-1);
  }

  @Test
  void anImageThatIsNoBuiltInAlgorithmFailsBeforeAnythingRuns() throws Exception {
    TaskAssignment task =
        aServingTask("process-custom").withImage("registry.example/custom-model:1").build();
    RecordingReporter reporter = new RecordingReporter();
    start(task, reporter);

    TaskEvent end = reporter.awaitResult(TIMEOUT);

    assertThat(end.phase()).isEqualTo(TaskPhase.FAILED);
    assertThat(end.failureReason())
        .isEqualTo(
            "ClientError: The process runtime serves only built-in algorithms; image"
                + " registry.example/custom-model:1 needs the docker runtime");
    assertThat(reporter.phases()).containsExactly(TaskPhase.PULLING_IMAGE);
  }

  @Test
  void aBrokenModelFailsTheReplicaWithTheServersLastLine() throws Exception {
    TaskAssignment task =
        aServingTask("process-broken").withModelData(TrainedModels.brokenXgboostModel(s3)).build();
    RecordingReporter reporter = new RecordingReporter();
    start(task, reporter);

    TaskEvent end = reporter.awaitResult(TIMEOUT);

    assertThat(end.phase()).isEqualTo(TaskPhase.FAILED);
    assertThat(end.exitCode()).isEqualTo(1);
    assertThat(end.failureReason())
        .startsWith(
            "The container for production variant AllTraffic exited with code 1: ClientError:"
                + " xgboost-model is not a model XGBoost 3 loads");
  }
}
