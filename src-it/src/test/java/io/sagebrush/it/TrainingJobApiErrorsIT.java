package io.sagebrush.it;

import static io.sagebrush.it.support.TrainingJobs.aChannel;
import static io.sagebrush.it.support.TrainingJobs.aTrainerJob;
import static io.sagebrush.it.support.TrainingJobs.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sagebrush.it.support.AwsClients;
import io.sagebrush.it.support.SagebrushServerProcess;
import io.sagebrush.it.support.SharedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.CreateTrainingJobRequest;
import software.amazon.awssdk.services.sagemaker.model.OutputDataConfig;
import software.amazon.awssdk.services.sagemaker.model.ResourceConfig;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

/** SageMaker error shapes for bad input, duplicates, unknown jobs and bad credentials. */
@ExtendWith(SharedServer.class)
class TrainingJobApiErrorsIT {
  private static SagebrushServerProcess server;
  private static AwsClients clients;
  private static SageMakerClient sm;

  @BeforeAll
  static void connect(SagebrushServerProcess shared) {
    server = shared;
    clients = shared.clients();
    sm = clients.sageMaker();
  }

  @AfterAll
  static void disconnect() {
    clients.close();
  }

  private static SageMakerException rejected(CreateTrainingJobRequest request) {
    SageMakerException e =
        catchThrowableOfType(SageMakerException.class, () -> sm.createTrainingJob(request));
    assertThat(e).as("CreateTrainingJob should have been rejected").isNotNull();
    return e;
  }

  private static void assertValidation(SageMakerException e, String member) {
    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
    assertThat(e.awsErrorDetails().errorMessage()).containsIgnoringCase(member);
  }

  @Test
  void invalidJobNameIsValidationExceptionNamingTheMember() {
    assertValidation(rejected(aTrainerJob("bad_name!", Map.of()).build()), "trainingJobName");
  }

  @Test
  void tooLongJobNameIsValidationExceptionNamingTheMember() {
    assertValidation(rejected(aTrainerJob("a".repeat(64), Map.of()).build()), "trainingJobName");
  }

  @Test
  void nonS3OutputPathIsValidationExceptionNamingTheMember() {
    CreateTrainingJobRequest request =
        aTrainerJob(uniqueName("bad-output"), Map.of())
            .outputDataConfig(OutputDataConfig.builder().s3OutputPath("http:/nowhere").build())
            .build();
    assertValidation(rejected(request), "s3OutputPath");
  }

  @Test
  void nonS3ChannelUriIsValidationExceptionNamingTheMember() {
    CreateTrainingJobRequest request =
        aTrainerJob(uniqueName("bad-channel"), Map.of())
            .inputDataConfig(aChannel("train", "not-an-s3-uri"))
            .build();
    assertValidation(rejected(request), "s3Uri");
  }

  @Test
  void unknownInstanceTypeIsValidationExceptionNamingTheMember() {
    CreateTrainingJobRequest request =
        aTrainerJob(uniqueName("bad-type"), Map.of())
            .resourceConfig(
                ResourceConfig.builder()
                    .instanceType("ml.bogus.huge")
                    .instanceCount(1)
                    .volumeSizeInGB(1)
                    .build())
            .build();
    assertValidation(rejected(request), "instanceType");
  }

  @Test
  void tooManyHyperparametersIsValidationException() {
    Map<String, String> many = new java.util.HashMap<>();
    for (int i = 0; i < 101; i++) {
      many.put("hp" + i, "v");
    }
    assertValidation(
        rejected(aTrainerJob(uniqueName("many-hps"), many).build()), "hyperParameters");
  }

  @Test
  void duplicateNameIsResourceInUse() {
    String name = uniqueName("dup");
    sm.createTrainingJob(aTrainerJob(name, Map.of("mode", "noop")).build());

    SageMakerException e = rejected(aTrainerJob(name, Map.of("mode", "noop")).build());

    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceInUse");
    assertThat(e.awsErrorDetails().errorMessage()).contains(name.toLowerCase());
  }

  @Test
  void describeOfAnUnknownJobIsValidationException() {
    SageMakerException e =
        catchThrowableOfType(
            SageMakerException.class,
            () -> sm.describeTrainingJob(r -> r.trainingJobName("no-such-job-anywhere")));
    assertThat(e).isNotNull();
    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Requested resource not found.");
  }

  @Test
  void stopOfAnUnknownJobIsValidationException() {
    SageMakerException e =
        catchThrowableOfType(
            SageMakerException.class,
            () -> sm.stopTrainingJob(r -> r.trainingJobName("no-such-job-to-stop")));
    assertThat(e).isNotNull();
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
  }

  @Test
  void wrongSecretKeyIsForbidden() {
    try (AwsClients wrong =
        AwsClients.withCredentials(
            server, SagebrushServerProcess.ACCESS_KEY, "not-the-secret-key-at-all")) {
      SageMakerException e =
          catchThrowableOfType(
              SageMakerException.class, () -> wrong.sageMaker().listTrainingJobs());
      assertThat(e).isNotNull();
      assertThat(e.statusCode()).isEqualTo(403);
      assertThat(e.awsErrorDetails().errorCode()).isNotBlank();
    }
  }

  @Test
  void unknownAccessKeyIsForbidden() {
    try (AwsClients wrong =
        AwsClients.withCredentials(server, "AKIAUNKNOWNKEY000000", "whatever-secret")) {
      SageMakerException e =
          catchThrowableOfType(
              SageMakerException.class, () -> wrong.sageMaker().listTrainingJobs());
      assertThat(e).isNotNull();
      assertThat(e.statusCode()).isEqualTo(403);
    }
  }

  @Test
  void unsignedRequestIsForbiddenInTheAwsErrorShape() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(server.apiEndpoint().resolve("/"))
                    .header("Content-Type", "application/x-amz-json-1.1")
                    .header("X-Amz-Target", "SageMaker.ListTrainingJobs")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("__type");
  }

  @Test
  void unknownOperationIsAClear400() {
    AwsClients.RawResponse response = clients.postJson("SageMaker.FlyToTheMoon", "{}");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.errorType()).isEqualTo("UnknownOperationException");
    assertThat(response.body()).contains("FlyToTheMoon");
  }

  @Test
  void healthIsOpenWithoutCredentials() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.apiEndpoint() + "/actuator/health"))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"UP\"");
  }
}
