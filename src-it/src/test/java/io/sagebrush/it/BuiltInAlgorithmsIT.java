package io.sagebrush.it;

import static io.sagebrush.it.BuiltInJobs.BLOB_CENTRES;
import static io.sagebrush.it.BuiltInJobs.KMEANS_IMAGE;
import static io.sagebrush.it.BuiltInJobs.LINEAR_LEARNER_IMAGE;
import static io.sagebrush.it.BuiltInJobs.XGBOOST_IMAGE;
import static io.sagebrush.it.BuiltInJobs.aBuiltInJob;
import static io.sagebrush.it.BuiltInJobs.aChannel;
import static io.sagebrush.it.BuiltInJobs.binaryCsv;
import static io.sagebrush.it.BuiltInJobs.blobsCsv;
import static io.sagebrush.it.BuiltInJobs.modelFiles;
import static io.sagebrush.it.BuiltInJobs.regressionCsv;
import static io.sagebrush.it.BuiltInJobs.uploadCsv;
import static io.sagebrush.it.BuiltInJobs.xgboostMetric;
import static io.sagebrush.it.support.TrainingJobs.BUCKET;
import static io.sagebrush.it.support.TrainingJobs.awaitEnded;
import static io.sagebrush.it.support.TrainingJobs.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebrush.it.support.AwsClients;
import io.sagebrush.it.support.SagebrushServerProcess;
import io.sagebrush.it.support.SharedServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.Channel;
import software.amazon.awssdk.services.sagemaker.model.DataSource;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.MetricData;
import software.amazon.awssdk.services.sagemaker.model.MetricDefinition;
import software.amazon.awssdk.services.sagemaker.model.S3DataDistribution;
import software.amazon.awssdk.services.sagemaker.model.S3DataSource;
import software.amazon.awssdk.services.sagemaker.model.S3DataType;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

/**
 * SageMaker's built-in XGBoost, Linear Learner and K-Means requested with their real ECR image URIs
 * run on the docker runtime as the local {@code sagebrush/<algo>:1} images. All jobs are submitted
 * up front so their containers overlap; each test waits for its own.
 */
@ExtendWith(SharedServer.class)
class BuiltInAlgorithmsIT {
  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(240);
  private static final String CSV = "text/csv";

  private static AwsClients clients;
  private static SageMakerClient sm;
  private static S3Client s3;

  private static String xgboostJob;
  private static String linearLearnerJob;
  private static String kmeansJob;
  private static String xgboostWithoutNumRoundJob;
  private static String kmeansWithZeroClustersJob;
  private static String xgboostOnANonNumericCellJob;
  private static String linearLearnerOnRecordSetJob;

  @BeforeAll
  static void submitJobs(SagebrushServerProcess server) {
    BuiltInJobs.ensureLocalImages();
    clients = server.clients();
    sm = clients.sageMaker();
    s3 = clients.s3();

    xgboostJob = uniqueName("builtin-xgb");
    String xgbTrain = uploadCsv(s3, xgboostJob + "/train", regressionCsv(200, 1));
    String xgbValidation = uploadCsv(s3, xgboostJob + "/validation", regressionCsv(60, 2));
    sm.createTrainingJob(
        aBuiltInJob(
            xgboostJob,
            XGBOOST_IMAGE,
            Map.of(
                "num_round", "20",
                "objective", "reg:squarederror",
                "max_depth", "3",
                "eta", "0.3",
                "eval_metric", "rmse"),
            List.of(xgboostMetric("train", "rmse"), xgboostMetric("validation", "rmse")),
            aChannel("train", xgbTrain, CSV),
            aChannel("validation", xgbValidation, CSV)));

    linearLearnerJob = uniqueName("builtin-ll");
    String llTrain = uploadCsv(s3, linearLearnerJob + "/train", binaryCsv(200, 3));
    String llTest = uploadCsv(s3, linearLearnerJob + "/test", binaryCsv(100, 4));
    sm.createTrainingJob(
        aBuiltInJob(
            linearLearnerJob,
            LINEAR_LEARNER_IMAGE,
            Map.of(
                "predictor_type", "binary_classifier",
                "feature_dim", "2",
                "mini_batch_size", "32",
                "epochs", "10"),
            List.of(
                MetricDefinition.builder()
                    .name("test:binary_classification_accuracy")
                    .regex(
                        "#quality_metric: host=\\S+, test binary_classification_accuracy"
                            + " <score>=(\\S+)")
                    .build()),
            aChannel("train", llTrain, CSV),
            aChannel("test", llTest, CSV)));

    kmeansJob = uniqueName("builtin-km");
    String kmTrain = uploadCsv(s3, kmeansJob + "/train", blobsCsv(50, 5));
    sm.createTrainingJob(
        aBuiltInJob(
            kmeansJob,
            KMEANS_IMAGE,
            // as the Python SDK's KMeans estimator sends them
            Map.of("k", "3", "feature_dim", "2", "force_dense", "True"),
            List.of(),
            aChannel("train", kmTrain, "text/csv;label_size=0")));

    xgboostWithoutNumRoundJob = uniqueName("builtin-xgb-bad");
    sm.createTrainingJob(
        aBuiltInJob(
            xgboostWithoutNumRoundJob,
            XGBOOST_IMAGE,
            Map.of("objective", "reg:squarederror", "max_depth", "3"),
            List.of(),
            aChannel("train", xgbTrain, CSV)));

    kmeansWithZeroClustersJob = uniqueName("builtin-km-bad");
    sm.createTrainingJob(
        aBuiltInJob(
            kmeansWithZeroClustersJob,
            "sagebrush/kmeans",
            Map.of("k", "0", "feature_dim", "2"),
            List.of(),
            aChannel("train", kmTrain, "text/csv;label_size=0")));

    xgboostOnANonNumericCellJob = uniqueName("builtin-xgb-badcsv");
    String badTrain =
        uploadCsv(s3, xgboostOnANonNumericCellJob + "/train", "1.5,0.1,0.2\n0.5,1,2\n0.2,abc,1\n");
    sm.createTrainingJob(
        aBuiltInJob(
            xgboostOnANonNumericCellJob,
            XGBOOST_IMAGE,
            Map.of("num_round", "5", "objective", "reg:squarederror"),
            List.of(),
            aChannel("train", badTrain, CSV)));

    linearLearnerOnRecordSetJob = uniqueName("builtin-ll-pbr");
    sm.createTrainingJob(
        aBuiltInJob(
            linearLearnerOnRecordSetJob,
            LINEAR_LEARNER_IMAGE,
            Map.of(
                "predictor_type", "regressor",
                "feature_dim", "2",
                "mini_batch_size", "32",
                "epochs", "20",
                // the auto rate (0.02 / sqrt(epoch) with Adam) moves the weights too little in
                // the 7 mini-batches an epoch of this tiny set
                "learning_rate", "0.1"),
            List.of(),
            aRecordSetChannel(linearLearnerOnRecordSetJob, regressionCsv(200, 6))));
  }

  /**
   * What {@code estimator.record_set(x, labels=y)} uploads and {@code fit(records)} sends: one
   * {@code matrix_0.pbr} shard, a {@code .amazon.manifest} naming it, and a ManifestFile channel
   * with ShardedByS3Key and no ContentType.
   */
  private static Channel aRecordSetChannel(String job, String labelledCsv) {
    String prefix = job + "/records/";
    s3.putObject(
        b -> b.bucket(BUCKET).key(prefix + "matrix_0.pbr"),
        RequestBody.fromBytes(BuiltInJobs.recordIoProtobuf(labelledCsv)));
    String manifest = "[{\"prefix\": \"s3://" + BUCKET + "/" + prefix + "\"}, \"matrix_0.pbr\"]";
    s3.putObject(
        b -> b.bucket(BUCKET).key(prefix + ".amazon.manifest"),
        RequestBody.fromBytes(manifest.getBytes(StandardCharsets.UTF_8)));
    return Channel.builder()
        .channelName("train")
        .dataSource(
            DataSource.builder()
                .s3DataSource(
                    S3DataSource.builder()
                        .s3DataType(S3DataType.MANIFEST_FILE)
                        .s3Uri("s3://" + BUCKET + "/" + prefix + ".amazon.manifest")
                        .s3DataDistributionType(S3DataDistribution.SHARDED_BY_S3_KEY)
                        .build())
                .build())
        .build();
  }

  @AfterAll
  static void disconnect() {
    if (clients != null) {
      clients.close();
    }
  }

  @Test
  void xgboostFromTheSageMakerImageUriTrainsOnCsvAndReportsFinalValidationMetric()
      throws Exception {
    DescribeTrainingJobResponse job = awaitEnded(sm, xgboostJob, JOB_TIMEOUT);

    assertThat(job.trainingJobStatus())
        .as("failure: %s", job.failureReason())
        .isEqualTo(TrainingJobStatus.COMPLETED);
    assertThat(job.algorithmSpecification().trainingImage()).isEqualTo(XGBOOST_IMAGE);
    assertThat(job.finalMetricDataList())
        .extracting(MetricData::metricName)
        .containsExactlyInAnyOrder("train:rmse", "validation:rmse");
    // y = 2*x1 - x2 spans about +-6 (sd 2.6); 20 rounds of depth-3 trees fit it far better
    assertThat(metric(job, "validation:rmse")).isBetween(0.0f, 1.0f);
    Map<String, String> model = modelFiles(s3, job);
    assertThat(model).containsKey("xgboost-model");
    JsonNode booster = new ObjectMapper().readTree(model.get("xgboost-model"));
    assertThat(booster.at("/learner/gradient_booster/model/trees").size()).isEqualTo(20);
  }

  @Test
  void linearLearnerBinaryClassifierTrainsOnCsvAndWritesItsModel() throws Exception {
    DescribeTrainingJobResponse job = awaitEnded(sm, linearLearnerJob, JOB_TIMEOUT);

    assertThat(job.trainingJobStatus())
        .as("failure: %s", job.failureReason())
        .isEqualTo(TrainingJobStatus.COMPLETED);
    // the two classes are split by the line x1 + x2 = 0
    assertThat(metric(job, "test:binary_classification_accuracy")).isGreaterThan(0.9f);
    Map<String, String> model = modelFiles(s3, job);
    assertThat(model).containsKey("model_algo-1");
    JsonNode written = new ObjectMapper().readTree(model.get("model_algo-1"));
    assertThat(written.path("algorithm").asText()).isEqualTo("linear-learner");
    assertThat(written.path("predictor_type").asText()).isEqualTo("binary_classifier");
    assertThat(written.path("feature_dim").asInt()).isEqualTo(2);
  }

  @Test
  void kmeansFindsTheThreeClustersOfUnlabelledCsv() throws Exception {
    DescribeTrainingJobResponse job = awaitEnded(sm, kmeansJob, JOB_TIMEOUT);

    assertThat(job.trainingJobStatus())
        .as("failure: %s", job.failureReason())
        .isEqualTo(TrainingJobStatus.COMPLETED);
    Map<String, String> model = modelFiles(s3, job);
    assertThat(model).containsKey("model_algo-1");
    JsonNode written = new ObjectMapper().readTree(model.get("model_algo-1"));
    assertThat(written.path("k").asInt()).isEqualTo(3);
    List<double[]> centroids = new ArrayList<>();
    written
        .path("centroids")
        .forEach(c -> centroids.add(new double[] {c.get(0).asDouble(), c.get(1).asDouble()}));
    assertThat(centroids).hasSize(3);
    for (double[] centre : BLOB_CENTRES) {
      assertThat(centroids)
          .as("a centroid near (%s, %s)", centre[0], centre[1])
          .anySatisfy(
              c -> assertThat(Math.hypot(c[0] - centre[0], c[1] - centre[1])).isLessThan(1.0));
    }
  }

  @Test
  void xgboostWithoutNumRoundFailsNamingTheHyperparameter() {
    DescribeTrainingJobResponse job = awaitEnded(sm, xgboostWithoutNumRoundJob, JOB_TIMEOUT);

    assertThat(job.trainingJobStatus()).isEqualTo(TrainingJobStatus.FAILED);
    assertThat(job.failureReason()).startsWith("ClientError").contains("num_round");
  }

  @Test
  void kmeansWithZeroClustersFailsNamingTheHyperparameter() {
    DescribeTrainingJobResponse job = awaitEnded(sm, kmeansWithZeroClustersJob, JOB_TIMEOUT);

    assertThat(job.trainingJobStatus()).isEqualTo(TrainingJobStatus.FAILED);
    assertThat(job.failureReason()).startsWith("ClientError").contains("'k'");
  }

  @Test
  void xgboostOnCsvWithANonNumericCellFailsNamingTheFileAndLine() {
    DescribeTrainingJobResponse job = awaitEnded(sm, xgboostOnANonNumericCellJob, JOB_TIMEOUT);

    assertThat(job.trainingJobStatus()).isEqualTo(TrainingJobStatus.FAILED);
    assertThat(job.failureReason())
        .startsWith("ClientError")
        .contains("data.csv")
        .contains("line 3");
  }

  @Test
  void linearLearnerRegressorTrainsOnARecordSetAsThePythonSdkUploadsIt() throws Exception {
    DescribeTrainingJobResponse job = awaitEnded(sm, linearLearnerOnRecordSetJob, JOB_TIMEOUT);

    assertThat(job.trainingJobStatus())
        .as("failure: %s", job.failureReason())
        .isEqualTo(TrainingJobStatus.COMPLETED);
    JsonNode written = new ObjectMapper().readTree(modelFiles(s3, job).get("model_algo-1"));
    assertThat(written.path("predictor_type").asText()).isEqualTo("regressor");
    assertThat(written.path("feature_dim").asInt()).isEqualTo(2);
    // features and labels were read in the right places: the fit recovers y = 2*x1 - x2;
    // weights act on (x - mean) / scale and the output is z * label_scale + label_mean
    double labelScale = written.path("label_scale").asDouble(1.0);
    double[] slopes = new double[2];
    for (int i = 0; i < 2; i++) {
      slopes[i] =
          written.path("weights").get(i).asDouble()
              * labelScale
              / written.path("scale").get(i).asDouble(1.0);
    }
    assertThat(slopes[0]).as("slope of x1 in %s", written).isCloseTo(2.0, within(0.3));
    assertThat(slopes[1]).as("slope of x2 in %s", written).isCloseTo(-1.0, within(0.3));
  }

  private static float metric(DescribeTrainingJobResponse job, String name) {
    return job.finalMetricDataList().stream()
        .filter(m -> m.metricName().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no final metric " + name + ": " + job.finalMetricDataList()))
        .value();
  }
}
