package io.sagebrush.agent.runtime.adapter.docker;

import static io.sagebrush.agent.testing.TaskBuilder.aTrainingTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.agent.execution.TaskExecution;
import io.sagebrush.agent.testing.RecordingReporter;
import io.sagebrush.agent.testing.S3Fixture;
import io.sagebrush.agent.testing.TaskBuilder;
import io.sagebrush.protocol.TaskAssignment;
import io.sagebrush.protocol.TaskEvent;
import io.sagebrush.protocol.TaskPhase;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SageMaker built-in images on the real Docker engine: the ECR URI runs as the local {@code
 * sagebrush/xgboost:1}, built from {@code algorithms/target/sagebrush-algorithms.jar} by {@code
 * algorithms/build-image.sh} (offline, from the local JDK when no Java base image is present).
 */
class BuiltInAlgorithmDockerIT {
  private static final String XGBOOST =
      "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1";

  @TempDir static Path dir;
  private static S3Fixture s3;
  private static DockerRuntime docker;
  private static final ScheduledExecutorService timer = Executors.newScheduledThreadPool(1);

  @BeforeAll
  static void start() throws IOException, InterruptedException {
    Process build = new ProcessBuilder("bash", "../algorithms/build-image.sh").inheritIO().start();
    assertThat(build.waitFor()).as("algorithms/build-image.sh").isZero();
    s3 = S3Fixture.start(dir);
    s3.bucket("out");
    s3.put("s3://data/xgb/train/a.csv", "1,1\n2,2\n3,3\n4,4\n5,5\n6,6\n");
    s3.put("s3://data/xgb/validation/a.csv", "1.5,1.5\n4.5,4.5\n");
    docker = DockerRuntime.connect(null);
    assertThat(docker.ping()).isTrue();
  }

  @AfterAll
  static void stop() {
    timer.shutdownNow();
    docker.close();
    s3.close();
  }

  private TaskEvent run(TaskAssignment task, RecordingReporter reporter) throws Exception {
    new TaskExecution(
            "agent-it",
            task,
            dir.resolve("jobs").resolve(task.taskId()),
            s3.store(),
            docker,
            reporter,
            timer,
            false)
        .run();
    return reporter.awaitResult(Duration.ofMillis(1));
  }

  @Test
  void xgboostFromTheEcrImageTrainsPrintsMetricsAndUploadsTheModel() throws Exception {
    TaskBuilder builder =
        aTrainingTask("docker-xgboost")
            .withImage(XGBOOST)
            .withResources(1, 512)
            .withChannel("train", "s3://data/xgb/train/", "FullyReplicated", "text/csv")
            .withChannel("validation", "s3://data/xgb/validation/", "FullyReplicated", "text/csv")
            .withHyperParameter("num_round", "3")
            .withHyperParameter("max_depth", "2");
    RecordingReporter reporter = new RecordingReporter();

    TaskEvent result = run(builder.build(), reporter);

    assertThat(result.phase()).as(result.failureReason()).isEqualTo(TaskPhase.SUCCEEDED);
    assertThat(s3.tarContents(builder.modelUri()).get("xgboost-model")).startsWith("{\"learner\"");
    assertThat(reporter.lines("docker-xgboost/algo-1-1732600000"))
        .anyMatch(l -> l.matches("\\[2\\]#011train-rmse:[0-9.]+#011validation-rmse:[0-9.]+"));
  }

  @Test
  void aMissingHyperparameterIsTheFailureReason() throws Exception {
    TaskEvent result =
        run(
            aTrainingTask("docker-xgboost-bad")
                .withImage(XGBOOST)
                .withResources(1, 512)
                .withChannel("train", "s3://data/xgb/train/", "FullyReplicated", "text/csv")
                .build(),
            new RecordingReporter());

    assertThat(result.phase()).isEqualTo(TaskPhase.FAILED);
    assertThat(result.failureReason())
        .isEqualTo("ClientError: missing required hyperparameter 'num_round'");
  }
}
