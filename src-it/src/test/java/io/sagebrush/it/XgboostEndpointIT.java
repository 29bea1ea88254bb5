package io.sagebrush.it;

import static io.sagebrush.it.BuiltInJobs.XGBOOST_IMAGE;
import static io.sagebrush.it.BuiltInJobs.aBuiltInJob;
import static io.sagebrush.it.BuiltInJobs.aChannel;
import static io.sagebrush.it.BuiltInJobs.regressionCsv;
import static io.sagebrush.it.BuiltInJobs.uploadCsv;
import static io.sagebrush.it.Endpoints.START_TIMEOUT;
import static io.sagebrush.it.Endpoints.awaitDeleted;
import static io.sagebrush.it.Endpoints.awaitInService;
import static io.sagebrush.it.Endpoints.csv;
import static io.sagebrush.it.support.TrainingJobs.awaitEnded;
import static io.sagebrush.it.support.TrainingJobs.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sagebrush.it.support.AwsClients;
import io.sagebrush.it.support.SagebrushServerProcess;
import io.sagebrush.it.support.SharedServer;
import io.sagebrush.it.support.TrainingJobs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.ContainerDefinition;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;

/**
 * SageMaker's notebook path for built-in XGBoost: train with the real ECR image URI, deploy the
 * job's model.tar.gz behind an endpoint with the same image URI, and predict on text/csv.
 */
@ExtendWith(SharedServer.class)
class XgboostEndpointIT {
  private static AwsClients clients;
  private static SageMakerClient sm;
  private static String job;
  private static String endpoint;

  @BeforeAll
  static void train(SagebrushServerProcess server) {
    Endpoints.ensureImages();
    clients = server.clients();
    sm = clients.sageMaker();
    job = uniqueName("xgb-serve");
    String train = uploadCsv(clients.s3(), job + "/train", regressionCsv(300, 11));
    sm.createTrainingJob(
        aBuiltInJob(
            job,
            XGBOOST_IMAGE,
            Map.of(
                "num_round", "30",
                "objective", "reg:squarederror",
                "max_depth", "4",
                "eta", "0.3"),
            List.of(),
            aChannel("train", train, "text/csv")));
  }

  @AfterAll
  static void cleanUp() {
    if (clients != null) {
      Endpoints.deleteQuietly(sm, endpoint);
      clients.close();
    }
  }

  @Test
  void xgboostTrainedByATrainingJobServesPredictionsBehindAnEndpoint() {
    DescribeTrainingJobResponse trained = awaitEnded(sm, job, Duration.ofSeconds(240));
    assertThat(trained.trainingJobStatus())
        .as("failure: %s", trained.failureReason())
        .isEqualTo(TrainingJobStatus.COMPLETED);

    endpoint = uniqueName("ep-xgb");
    sm.createModel(
        b ->
            b.modelName(endpoint)
                .executionRoleArn(TrainingJobs.ROLE_ARN)
                .primaryContainer(
                    ContainerDefinition.builder()
                        .image(XGBOOST_IMAGE)
                        .modelDataUrl(trained.modelArtifacts().s3ModelArtifacts())
                        .build()));
    Endpoints.createConfig(sm, endpoint, Endpoints.variant("AllTraffic", endpoint, 1, 1f));
    Endpoints.createEndpoint(sm, endpoint, endpoint);
    awaitInService(sm, endpoint, START_TIMEOUT);

    // y = 2*x1 - x2: rows (1, 0.5) -> 1.5 and (-1, 1) -> -3
    InvokeEndpointResponse response =
        clients
            .runtime()
            .invokeEndpoint(
                csv(endpoint, "1.0,0.5\n-1.0,1.0\n").toBuilder().accept("text/csv").build());

    assertThat(response.invokedProductionVariant()).isEqualTo("AllTraffic");
    List<Double> predictions = numbers(response.body().asUtf8String());
    assertThat(predictions).as(response.body().asUtf8String()).hasSize(2);
    assertThat(predictions.get(0)).isCloseTo(1.5, within(0.6));
    assertThat(predictions.get(1)).isCloseTo(-3.0, within(0.6));

    clients.sageMaker().deleteEndpoint(b -> b.endpointName(endpoint));
    awaitDeleted(sm, endpoint, Duration.ofSeconds(60));
  }

  private static List<Double> numbers(String text) {
    List<Double> found = new ArrayList<>();
    Matcher m = Pattern.compile(BuiltInJobs.FLOAT).matcher(text);
    while (m.find()) {
      found.add(Double.parseDouble(m.group(1)));
    }
    return found;
  }
}
