package io.sagebrush.agent.runtime.adapter.docker;

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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serving tasks on the real Docker engine: the built-in XGBoost image ({@code algorithms/
 * build-image.sh}) serving a model trained by the algorithms jar, and the busybox-based test images
 * ({@code src-it/images/build.sh}) standing in for models that fail.
 */
class DockerServingIT {
  private static final String XGBOOST =
      "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1";
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @TempDir static Path dir;
  private static S3Fixture s3;
  private static DockerRuntime docker;
  private static String model;
  private static final Map<String, Thread> threads = new ConcurrentHashMap<>();
  private static final Map<String, Long> startedAt = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    for (String script :
        new String[] {"../algorithms/build-image.sh", "../src-it/images/build.sh"}) {
      Process build = new ProcessBuilder("bash", script).inheritIO().start();
      assertThat(build.waitFor()).as(script).isZero();
    }
    s3 = S3Fixture.start(dir);
    model = TrainedModels.xgboostRegressor(s3, dir);
    docker = DockerRuntime.connect(null);
    assertThat(docker.ping()).isTrue();
  }

  @AfterAll
  static void stop() {
    docker.close();
    s3.close();
  }

  private static ServingExecution start(
      TaskAssignment task, RecordingReporter reporter, ServingSettings settings) {
    ServingExecution execution =
        new ServingExecution(
            "agent-it",
            task,
            dir.resolve("jobs").resolve(task.taskId()),
            s3.store(),
            docker,
            reporter,
            settings,
            false);
    Thread t = new Thread(execution, "serving-" + task.taskId());
    t.setDaemon(true);
    t.start();
    startedAt.put(task.taskId(), System.nanoTime());
    threads.put(task.taskId(), t);
    return execution;
  }

  /**
   * Waits until the execution ended: a failed replica is reported first and its container removed
   * afterwards.
   *
   * @return how long the execution took from its start
   */
  private static Duration awaitEnd(TaskAssignment task) throws InterruptedException {
    long started = startedAt.get(task.taskId());
    Thread t = threads.get(task.taskId());
    t.join(TIMEOUT.toMillis());
    assertThat(t.isAlive()).as("the execution of " + task.taskId() + " ended").isFalse();
    return Duration.ofNanos(System.nanoTime() - started);
  }

  private static ServingExecution start(TaskAssignment task, RecordingReporter reporter) {
    return start(task, reporter, ServingSettings.of("127.0.0.1", "127.0.0.1"));
  }

  @Test
  void anXgboostModelServesPredictionsUntilStoppedAndItsContainerIsRemoved() throws Exception {
    TaskAssignment task =
        aServingTask("docker-xgb")
            .withImage(XGBOOST)
            .withModelData(model)
            .withResources(1, 512)
            .build();
    RecordingReporter reporter = new RecordingReporter();
    ServingExecution execution = start(task, reporter);

    reporter.awaitPhase(TaskPhase.READY, TIMEOUT);
    String address = reporter.address();
    HttpResponse<String> prediction = Invocations.invokeCsv(address, "2\n8\n");

    assertThat(address).matches("http://127\\.0\\.0\\.1:\\d+");
    assertThat(prediction.statusCode()).as(prediction.body()).isEqualTo(200);
    String[] values = prediction.body().strip().split("\\s*[\\n,]\\s*");
    assertThat(values).hasSize(2);
    assertThat(Double.parseDouble(values[0])).isBetween(1.0, 3.0);
    assertThat(Double.parseDouble(values[1])).isBetween(7.0, 9.0);
    assertThat(Invocations.containersOfTask(task.taskId())).hasSize(1);

    execution.stop();
    TaskEvent end = reporter.awaitResult(TIMEOUT);

    assertThat(end.phase()).as(end.failureReason()).isEqualTo(TaskPhase.STOPPED);
    assertThat(reporter.phases())
        .containsExactly(
            TaskPhase.PULLING_IMAGE, TaskPhase.DOWNLOADING, TaskPhase.RUNNING, TaskPhase.READY);
    assertThat(reporter.lines("AllTraffic/replica-1")).anyMatch(l -> l.contains("serving"));
    awaitEnd(task);
    assertThat(Invocations.containersOfTask(task.taskId())).isEmpty();
    assertThat(Invocations.ping(address)).isEqualTo(-1);
  }

  @Test
  void aServeCommandThatExitsFailsTheReplicaWithItsExitCodeAndLastLogLine() throws Exception {
    // the test trainer accepts only `train`: `serve` makes it complain and exit 64
    TaskAssignment task =
        aServingTask("docker-exits").withImage("sagebrush-test/trainer:1").build();
    RecordingReporter reporter = new RecordingReporter();
    start(task, reporter);

    TaskEvent end = reporter.awaitResult(TIMEOUT);

    assertThat(end.phase()).isEqualTo(TaskPhase.FAILED);
    assertThat(end.exitCode()).isEqualTo(64);
    assertThat(end.failureReason())
        .isEqualTo(
            "The container for production variant AllTraffic exited with code 64:"
                + " expected the argument 'train', got 'serve'");
    assertThat(reporter.phases()).doesNotContain(TaskPhase.READY);
    awaitEnd(task);
    assertThat(Invocations.containersOfTask(task.taskId())).isEmpty();
  }

  @Test
  void aBrokenModelArtifactFailsTheReplicaWithTheServersError() throws Exception {
    TaskAssignment task =
        aServingTask("docker-broken")
            .withImage(XGBOOST)
            .withModelData(TrainedModels.brokenXgboostModel(s3))
            .withResources(1, 512)
            .build();
    RecordingReporter reporter = new RecordingReporter();
    start(task, reporter);

    TaskEvent end = reporter.awaitResult(TIMEOUT);

    assertThat(end.phase()).isEqualTo(TaskPhase.FAILED);
    assertThat(end.failureReason())
        .startsWith("The container for production variant AllTraffic exited with code ");
    assertThat(end.failureReason())
        .contains(": ClientError: xgboost-model is not a model XGBoost 3 loads")
        .endsWith(reporter.allLines().get(reporter.allLines().size() - 1).strip());
    awaitEnd(task);
    assertThat(Invocations.containersOfTask(task.taskId())).isEmpty();
  }

  @Test
  void aContainerThatNeverAnswersPingFailsAfterTheStartupTimeoutAndIsRemoved() throws Exception {
    TaskAssignment task =
        aServingTask("docker-silent")
            .withImage("sagebrush-test/busybox:1")
            .runningShell("echo warming up; exec sleep 600")
            .withStartupTimeoutSeconds(3)
            .withStopGraceSeconds(60)
            .build();
    RecordingReporter reporter = new RecordingReporter();
    start(task, reporter);

    TaskEvent end = reporter.awaitResult(TIMEOUT);

    assertThat(end.phase()).isEqualTo(TaskPhase.FAILED);
    assertThat(end.failureReason())
        .startsWith(
            "The container for production variant AllTraffic did not pass the ping health check"
                + " within 3 seconds (last ping: ")
        .endsWith("): warming up");
    // killed with a short grace after the report, not with the 60 s stop grace
    assertThat(awaitEnd(task)).isLessThan(Duration.ofSeconds(30));
    assertThat(Invocations.containersOfTask(task.taskId())).isEmpty();
  }

  @Test
  void aReadyReplicaThatStopsAnsweringPingFailsAfterThreeMissesInARow() throws Exception {
    // busybox httpd serves /ping from a file; the script removes it after a while
    TaskAssignment task =
        aServingTask("docker-unhealthy")
            .withImage("sagebrush-test/busybox:1")
            .runningShell(
                "mkdir -p /www; touch /www/ping;"
                    + " (sleep 2; rm /www/ping; echo ping file removed) &"
                    + " exec httpd -f -p $SAGEMAKER_BIND_TO_PORT -h /www")
            .withStopGraceSeconds(60)
            .build();
    RecordingReporter reporter = new RecordingReporter();
    start(
        task,
        reporter,
        ServingSettings.of("127.0.0.1", "127.0.0.1").withPingInterval(Duration.ofMillis(300)));

    TaskEvent end = reporter.awaitResult(TIMEOUT);

    assertThat(reporter.phases()).contains(TaskPhase.READY);
    assertThat(end.phase()).isEqualTo(TaskPhase.FAILED);
    assertThat(end.failureReason())
        .isEqualTo(
            "The container for production variant AllTraffic failed 3 consecutive ping health"
                + " checks (last ping: HTTP 404): ping file removed");
    assertThat(awaitEnd(task)).isLessThan(Duration.ofSeconds(30));
    assertThat(Invocations.containersOfTask(task.taskId())).isEmpty();
  }

  @Test
  void aStopOrderBeforeTheReplicaIsReadyEndsItStoppedAndRemovesTheContainer() throws Exception {
    TaskAssignment task =
        aServingTask("docker-stop-early")
            .withImage("sagebrush-test/busybox:1")
            .runningShell("echo warming up; exec sleep 600")
            .withStopGraceSeconds(1)
            .build();
    RecordingReporter reporter = new RecordingReporter();
    ServingExecution execution = start(task, reporter);
    reporter.awaitPhase(TaskPhase.RUNNING, TIMEOUT);

    execution.stop();
    TaskEvent end = reporter.awaitResult(TIMEOUT);

    assertThat(end.phase()).isEqualTo(TaskPhase.STOPPED);
    assertThat(end.exitCode()).isEqualTo(137);
    assertThat(reporter.phases()).doesNotContain(TaskPhase.READY);
    awaitEnd(task);
    assertThat(Invocations.containersOfTask(task.taskId())).isEmpty();
  }
}
