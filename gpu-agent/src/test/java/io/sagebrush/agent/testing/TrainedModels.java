package io.sagebrush.agent.testing;

import static io.sagebrush.agent.testing.TaskBuilder.aTrainingTask;

import io.sagebrush.agent.execution.TaskExecution;
import io.sagebrush.agent.runtime.adapter.process.ProcessRuntime;
import io.sagebrush.protocol.TaskEvent;
import io.sagebrush.protocol.TaskPhase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Real models for serving tests, trained with {@code algorithms/target/sagebrush-algorithms.jar} on
 * the process runtime (the jar is found beside this checkout) and uploaded as {@code model.tar.gz}.
 */
public final class TrainedModels {
  /** The jar the algorithms module builds (this module's build follows it). */
  public static final Path ALGORITHMS_JAR =
      Path.of("")
          .toAbsolutePath()
          .getParent()
          .resolve("algorithms/target/sagebrush-algorithms.jar");

  private TrainedModels() {}

  /**
   * Trains an XGBoost regressor on {@code label = feature} (one feature, CSV) and returns the S3
   * URI of its {@code model.tar.gz} (which holds {@code xgboost-model}).
   */
  public static String xgboostRegressor(S3Fixture s3, Path dir) throws InterruptedException {
    if (!Files.isRegularFile(ALGORITHMS_JAR)) {
      throw new AssertionError(
          "build the algorithms module first (./mvnw -pl algorithms package): " + ALGORITHMS_JAR);
    }
    StringBuilder csv = new StringBuilder();
    for (int x = 0; x <= 10; x++) {
      csv.append(x).append(',').append(x).append('\n');
    }
    s3.put("s3://model-data/xgb-regressor/train/a.csv", csv.toString());
    s3.bucket("models");
    TaskBuilder builder =
        aTrainingTask("xgb-regressor")
            .withImage("sagebrush/xgboost:1")
            .withOutputPath("s3://models/trained")
            .withChannel(
                "train", "s3://model-data/xgb-regressor/train/", "FullyReplicated", "text/csv")
            .withHyperParameter("num_round", "20")
            .withHyperParameter("max_depth", "3")
            .withHyperParameter("eta", "0.5");
    RecordingReporter reporter = new RecordingReporter();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try {
      new TaskExecution(
              "model-trainer",
              builder.build(),
              dir.resolve("xgb-regressor-training"),
              s3.store(),
              new ProcessRuntime("python3"),
              reporter,
              timer,
              false)
          .run();
    } finally {
      timer.shutdownNow();
    }
    TaskEvent result = reporter.awaitResult(Duration.ofSeconds(1));
    if (result.phase() != TaskPhase.SUCCEEDED) {
      throw new AssertionError("training the test model failed: " + result.failureReason());
    }
    return builder.modelUri();
  }

  /** Uploads a {@code model.tar.gz} whose {@code xgboost-model} is not a model at all. */
  public static String brokenXgboostModel(S3Fixture s3) {
    String uri = "s3://models/broken/model.tar.gz";
    s3.putTarGz(uri, Map.of("xgboost-model", "this is not a model\n"));
    return uri;
  }
}
