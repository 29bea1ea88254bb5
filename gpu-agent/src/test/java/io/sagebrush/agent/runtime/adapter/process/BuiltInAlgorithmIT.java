package io.sagebrush.agent.runtime.adapter.process;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Built-in algorithms in the process runtime: the real {@code sagebrush-algorithms.jar} (built by
 * the algorithms module, which this module's build follows) trains on CSV from the embedded S3
 * server and its model ends up in {@code model.tar.gz}.
 */
class BuiltInAlgorithmIT {
  private static final Path JAR =
      Path.of("")
          .toAbsolutePath()
          .getParent()
          .resolve("algorithms/target/sagebrush-algorithms.jar");

  @TempDir static Path dir;
  private static S3Fixture s3;
  private static ProcessRuntime runtime;
  private static final ScheduledExecutorService timer = Executors.newScheduledThreadPool(1);

  @BeforeAll
  static void start() throws IOException {
    assertThat(JAR)
        .as("build the algorithms module first (./mvnw -pl algorithms package)")
        .isRegularFile();
    s3 = S3Fixture.start(dir);
    s3.bucket("out");
    s3.put("s3://data/kmeans/train/part-0.csv", "0,0\n0,1\n1,0\n10,10\n10,11\n11,10\n");
    s3.put("s3://data/linear/train/a.csv", "1,0\n3,1\n5,2\n7,3\n9,4\n11,5\n13,6\n15,7\n");
    s3.put("s3://data/linear/bad/a.csv", "1,0\n3,1,2\n");
    runtime =
        new ProcessRuntime(
            "python3", List.of(new AlgorithmsJar(Map.of(AlgorithmsJar.JAR_ENV, JAR.toString()))));
  }

  @AfterAll
  static void stop() {
    timer.shutdownNow();
    s3.close();
  }

  private TaskEvent run(TaskAssignment task) throws Exception {
    RecordingReporter reporter = new RecordingReporter();
    new TaskExecution(
            "agent-it",
            task,
            dir.resolve("jobs").resolve(task.taskId()),
            s3.store(),
            runtime,
            reporter,
            timer,
            false)
        .run();
    return reporter.awaitResult(Duration.ofSeconds(1));
  }

  @Test
  void kMeansFromTheEcrImageTrainsAndUploadsItsCentroids() throws Exception {
    TaskBuilder builder =
        aTrainingTask("builtin-kmeans")
            .withImage("382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans:1")
            .withChannel(
                "train", "s3://data/kmeans/train/", "ShardedByS3Key", "text/csv;label_size=0")
            .withHyperParameter("k", "2")
            .withHyperParameter("feature_dim", "2")
            .withHyperParameter("force_dense", "True");

    TaskEvent result = run(builder.build());

    assertThat(result.phase()).as(result.failureReason()).isEqualTo(TaskPhase.SUCCEEDED);
    Map<String, String> model = s3.tarContents(builder.modelUri());
    assertThat(model).containsOnlyKeys("model_algo-1");
    assertThat(model.get("model_algo-1")).contains("\"algorithm\":\"kmeans\"", "\"k\":2");
  }

  @Test
  void linearLearnerAliasTrainsARegressor() throws Exception {
    TaskBuilder builder =
        aTrainingTask("builtin-linear")
            .withImage("sagebrush/linear-learner")
            .withChannel("train", "s3://data/linear/train/", "FullyReplicated", "text/csv")
            .withHyperParameter("predictor_type", "regressor")
            .withHyperParameter("mini_batch_size", "2")
            .withHyperParameter("epochs", "5");

    TaskEvent result = run(builder.build());

    assertThat(result.phase()).as(result.failureReason()).isEqualTo(TaskPhase.SUCCEEDED);
    assertThat(s3.tarContents(builder.modelUri()).get("model_algo-1"))
        .contains("\"algorithm\":\"linear-learner\"", "\"predictor_type\":\"regressor\"");
  }

  @Test
  void badDataFailsTheJobWithTheFileAndLine() throws Exception {
    TaskEvent result =
        run(
            aTrainingTask("builtin-bad")
                .withImage("sagebrush/linear-learner:1")
                .withChannel("train", "s3://data/linear/bad/", "FullyReplicated", "text/csv")
                .withHyperParameter("predictor_type", "regressor")
                .build());

    assertThat(result.phase()).isEqualTo(TaskPhase.FAILED);
    assertThat(result.failureReason())
        .isEqualTo(
            "ClientError: file train/a.csv line 2: expected 2 columns (as in train/a.csv line 1),"
                + " found 3");
  }

  @Test
  void missingRequiredHyperparameterIsTheFailureReason() throws Exception {
    TaskEvent result =
        run(
            aTrainingTask("builtin-no-k")
                .withImage("sagebrush/kmeans:1")
                .withChannel("train", "s3://data/kmeans/train/", "FullyReplicated", "text/csv")
                .withHyperParameter("feature_dim", "2")
                .build());

    assertThat(result.phase()).isEqualTo(TaskPhase.FAILED);
    assertThat(result.failureReason())
        .isEqualTo("ClientError: missing required hyperparameter 'k'");
    assertThat(Files.exists(JAR)).isTrue();
  }
}
