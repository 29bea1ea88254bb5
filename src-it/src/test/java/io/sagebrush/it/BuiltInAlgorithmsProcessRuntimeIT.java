package io.sagebrush.it;

import static io.sagebrush.it.BuiltInJobs.LINEAR_LEARNER_IMAGE;
import static io.sagebrush.it.BuiltInJobs.XGBOOST_IMAGE;
import static io.sagebrush.it.BuiltInJobs.aBuiltInJob;
import static io.sagebrush.it.BuiltInJobs.aChannel;
import static io.sagebrush.it.BuiltInJobs.binaryCsv;
import static io.sagebrush.it.BuiltInJobs.modelFiles;
import static io.sagebrush.it.BuiltInJobs.uploadCsv;
import static io.sagebrush.it.BuiltInJobs.xgboostMetric;
import static io.sagebrush.it.support.TrainingJobs.awaitEnded;
import static io.sagebrush.it.support.TrainingJobs.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.it.support.AwsClients;
import io.sagebrush.it.support.SagebrushServerProcess;
import io.sagebrush.it.support.TrainingJobs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

/**
 * Built-in algorithms on the process runtime: the agent runs the algorithms jar with its own Java
 * ({@code SAGEBRUSH_ALGORITHMS_JAR}) instead of a container.
 */
class BuiltInAlgorithmsProcessRuntimeIT {
  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(240);

  private static SagebrushServerProcess server;
  private static AwsClients clients;

  @BeforeAll
  static void startProcessRuntimeServer() {
    server =
        SagebrushServerProcess.start(
            "process-builtins",
            Map.of(
                "SAGEBRUSH_RUNTIME",
                "process",
                "SAGEBRUSH_ALGORITHMS_JAR",
                BuiltInJobs.algorithmsJar().toString()));
    clients = server.clients();
    TrainingJobs.ensureBucket(clients.s3(), TrainingJobs.BUCKET);
  }

  @AfterAll
  static void stop() {
    if (clients != null) {
      clients.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void xgboostBinaryClassifierRunsFromTheAlgorithmsJar() {
    String name = uniqueName("proc-xgb");
    String train = uploadCsv(clients.s3(), name + "/train", binaryCsv(200, 11));
    String validation = uploadCsv(clients.s3(), name + "/validation", binaryCsv(60, 12));
    clients
        .sageMaker()
        .createTrainingJob(
            aBuiltInJob(
                name,
                XGBOOST_IMAGE,
                Map.of(
                    "num_round", "20",
                    "objective", "binary:logistic",
                    "max_depth", "3",
                    "eta", "0.3",
                    "eval_metric", "error"),
                List.of(xgboostMetric("validation", "error")),
                aChannel("train", train, "text/csv"),
                aChannel("validation", validation, "text/csv")));

    DescribeTrainingJobResponse job = awaitEnded(clients.sageMaker(), name, JOB_TIMEOUT);

    assertThat(job.trainingJobStatus())
        .as("failure: %s", job.failureReason())
        .isEqualTo(TrainingJobStatus.COMPLETED);
    assertThat(job.finalMetricDataList())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.metricName()).isEqualTo("validation:error");
              assertThat(m.value()).isLessThan(0.2f);
            });
    assertThat(modelFiles(clients.s3(), job)).containsKey("xgboost-model");
  }

  @Test
  void linearLearnerWithAStringFeatureDimFailsNamingTheHyperparameter() {
    String name = uniqueName("proc-ll-bad");
    String train = uploadCsv(clients.s3(), name + "/train", binaryCsv(50, 13));
    clients
        .sageMaker()
        .createTrainingJob(
            aBuiltInJob(
                name,
                LINEAR_LEARNER_IMAGE,
                Map.of("predictor_type", "binary_classifier", "feature_dim", "two"),
                List.of(),
                aChannel("train", train, "text/csv")));

    DescribeTrainingJobResponse job = awaitEnded(clients.sageMaker(), name, JOB_TIMEOUT);

    assertThat(job.trainingJobStatus()).isEqualTo(TrainingJobStatus.FAILED);
    assertThat(job.failureReason()).startsWith("ClientError").contains("feature_dim");
  }
}
