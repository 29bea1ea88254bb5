package io.sagebrush.api;

import static io.sagebrush.api.support.TrainingJobs.aCreateRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebrush.api.support.BotocoreModel;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.sagemaker.model.AlgorithmSpecification;
import software.amazon.awssdk.services.sagemaker.model.Channel;
import software.amazon.awssdk.services.sagemaker.model.CreateTrainingJobRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.ResourceConfig;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.SecondaryStatus;
import software.amazon.awssdk.services.sagemaker.model.SortOrder;
import software.amazon.awssdk.services.sagemaker.model.Tag;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

/**
 * The SageMaker edge of a real embedded server (PostgreSQL, S3, scheduler; no agent, so jobs stay
 * queued) driven with the AWS SDK for Java v2 and raw signed HTTP.
 */
class SageMakerApiIT extends EmbeddedServerTestBase {
  static final BotocoreModel MODEL = BotocoreModel.load("sagemaker");
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aJobCreatedThroughTheSdkIsDescribedListedAndStopped() {
    String name = unique("Job");
    String arn = sagemaker.createTrainingJob(aJob(name)).trainingJobArn();
    assertThat(arn)
        .isEqualTo("arn:aws:sagemaker:us-east-1:000000000000:training-job/" + name.toLowerCase());

    DescribeTrainingJobResponse described =
        sagemaker.describeTrainingJob(r -> r.trainingJobName(name));
    assertThat(described.trainingJobName()).isEqualTo(name);
    assertThat(described.trainingJobStatus()).isEqualTo(TrainingJobStatus.IN_PROGRESS);
    assertThat(described.modelArtifacts().s3ModelArtifacts())
        .isEqualTo("s3://data/out/" + name + "/output/model.tar.gz");
    assertThat(described.hyperParameters()).containsEntry("epochs", "2");
    assertThat(described.stoppingCondition().maxRuntimeInSeconds()).isEqualTo(600);
    assertThat(described.creationTime()).isNotNull();
    assertThat(described.secondaryStatusTransitions())
        .isNotEmpty()
        .allSatisfy(t -> assertThat(t.statusMessage()).isNotBlank());

    assertThat(
            sagemaker
                .listTrainingJobs(r -> r.nameContains(name).sortOrder(SortOrder.DESCENDING))
                .trainingJobSummaries())
        .singleElement()
        .satisfies(s -> assertThat(s.trainingJobArn()).isEqualTo(arn));

    sagemaker.stopTrainingJob(r -> r.trainingJobName(name));
    DescribeTrainingJobResponse stopped =
        sagemaker.describeTrainingJob(r -> r.trainingJobName(name));
    assertThat(stopped.trainingJobStatus())
        .isIn(TrainingJobStatus.STOPPED, TrainingJobStatus.STOPPING);
    assertThat(stopped.secondaryStatus()).isIn(SecondaryStatus.STOPPED, SecondaryStatus.STOPPING);
  }

  @Test
  void listingPagesWithNextToken() {
    String prefix = unique("page");
    for (int i = 0; i < 3; i++) {
      sagemaker.createTrainingJob(aJob(prefix + "-" + i));
    }
    var first = sagemaker.listTrainingJobs(r -> r.nameContains(prefix).maxResults(2));
    assertThat(first.trainingJobSummaries()).hasSize(2);
    assertThat(first.nextToken()).isNotBlank();
    var second =
        sagemaker.listTrainingJobs(
            r -> r.nameContains(prefix).maxResults(2).nextToken(first.nextToken()));
    assertThat(second.trainingJobSummaries()).hasSize(1);
    assertThat(second.nextToken()).isNull();
  }

  @Test
  void anInvalidNameIsAValidationExceptionNamingTheMember() {
    assertThatThrownBy(() -> sagemaker.createTrainingJob(aJob("bad_name")))
        .isInstanceOfSatisfying(
            SageMakerException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
              assertThat(e.awsErrorDetails().errorMessage()).contains("'trainingJobName'");
            });
  }

  @Test
  void anUnknownInstanceTypeIsAValidationException() {
    String name = unique("type");
    CreateTrainingJobRequest request =
        aJob(name).toBuilder()
            .resourceConfig(
                ResourceConfig.builder()
                    .instanceType("ml.nonexistent.large")
                    .instanceCount(1)
                    .volumeSizeInGB(1)
                    .build())
            .build();
    assertThatThrownBy(() -> sagemaker.createTrainingJob(request))
        .isInstanceOfSatisfying(
            SageMakerException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
              assertThat(e.awsErrorDetails().errorMessage()).contains("instanceType");
            });
  }

  @Test
  void aDuplicateNameIsResourceInUseRegardlessOfCase() {
    String name = unique("dup");
    sagemaker.createTrainingJob(aJob(name));
    assertThatThrownBy(() -> sagemaker.createTrainingJob(aJob(name.toUpperCase())))
        .isInstanceOfSatisfying(
            SageMakerException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceInUse"));
  }

  @Test
  void describingAnUnknownJobIsAValidationExceptionAsOnAws() {
    assertThatThrownBy(() -> sagemaker.describeTrainingJob(r -> r.trainingJobName("no-such-job")))
        .isInstanceOfSatisfying(
            SageMakerException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo("Requested resource not found.");
            });
  }

  @Test
  void tagsGivenAtCreationAreListedAddedAndDeleted() {
    String name = unique("tags");
    String arn = sagemaker.createTrainingJob(aJob(name)).trainingJobArn();
    assertThat(sagemaker.listTags(r -> r.resourceArn(arn)).tags())
        .contains(Tag.builder().key("team").value("ml").build());

    sagemaker.addTags(
        r -> r.resourceArn(arn).tags(Tag.builder().key("stage").value("dev").build()));
    sagemaker.deleteTags(r -> r.resourceArn(arn).tagKeys("team"));

    assertThat(sagemaker.listTags(r -> r.resourceArn(arn).maxResults(50)).tags())
        .containsExactly(Tag.builder().key("stage").value("dev").build());
  }

  @Test
  void anUnknownOperationIsA400NamingIt() throws Exception {
    HttpResponse<String> response = http.awsJson("sagemaker", "SageMaker.CreateSpaceship", "{}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("x-amzn-ErrorType"))
        .hasValue("UnknownOperationException");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("__type").asText()).isEqualTo("UnknownOperationException");
    assertThat(body.get("message").asText()).contains("SageMaker.CreateSpaceship");
  }

  @Test
  void malformedJsonIsASerializationException() throws Exception {
    HttpResponse<String> response =
        http.awsJson("sagemaker", "SageMaker.DescribeTrainingJob", "{\"TrainingJobName\":");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).get("__type").asText())
        .isEqualTo("SerializationException");
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("application/x-amz-json-1.1");
    assertThat(response.headers().allValues("x-amzn-RequestId")).hasSize(1);
  }

  @Test
  void aWrongSecretIsA403InvalidSignature() {
    assertThatThrownBy(() -> sageMaker("wrong-secret").listTrainingJobs(r -> {}))
        .isInstanceOfSatisfying(
            SdkServiceException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(403);
              assertThat(((SageMakerException) e).awsErrorDetails().errorCode())
                  .isEqualTo("InvalidSignatureException");
            });
  }

  @Test
  void anUnsignedRequestIsA403MissingAuthenticationToken() throws Exception {
    HttpResponse<String> response =
        http.plain(
            "POST",
            "/",
            Map.of(
                "X-Amz-Target",
                "SageMaker.ListTrainingJobs",
                "Content-Type",
                "application/x-amz-json-1.1"),
            "{}",
            false);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(response.body()).get("__type").asText())
        .isEqualTo("MissingAuthenticationTokenException");
  }

  @Test
  void describeAndListResponsesConformToTheBotocoreModel() throws Exception {
    String name = unique("model");
    sagemaker.createTrainingJob(aJob(name));

    HttpResponse<String> described =
        http.awsJson(
            "sagemaker", "SageMaker.DescribeTrainingJob", "{\"TrainingJobName\":\"" + name + "\"}");
    HttpResponse<String> listed =
        http.awsJson("sagemaker", "SageMaker.ListTrainingJobs", "{\"MaxResults\":5}");
    HttpResponse<String> created =
        http.awsJson("sagemaker", "SageMaker.CreateTrainingJob", aCreateRequest(unique("raw")));

    assertThat(described.statusCode()).isEqualTo(200);
    assertThat(MODEL.violations("DescribeTrainingJobResponse", JSON.readTree(described.body())))
        .isEmpty();
    assertThat(MODEL.violations("ListTrainingJobsResponse", JSON.readTree(listed.body())))
        .isEmpty();
    assertThat(MODEL.violations("CreateTrainingJobResponse", JSON.readTree(created.body())))
        .isEmpty();
    assertThat(described.headers().allValues("x-amzn-RequestId")).hasSize(1);
    assertThat(described.headers().firstValue("Content-Type"))
        .hasValue("application/x-amz-json-1.1");
  }

  @Test
  void healthIsOpenWithoutCredentials() throws Exception {
    HttpResponse<String> health = http.plain("GET", "/actuator/health", Map.of(), null, false);

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(health.body()).get("status").asText()).isEqualTo("UP");
  }

  @Test
  void metricsNeedCredentials() {
    assertThat(http.plain("GET", "/actuator/prometheus", Map.of(), null, false).statusCode())
        .isEqualTo(401);
    assertThat(http.plain("GET", "/actuator/prometheus", Map.of(), null, true).statusCode())
        .isEqualTo(200);
  }

  static CreateTrainingJobRequest aJob(String name) {
    return CreateTrainingJobRequest.builder()
        .trainingJobName(name)
        .roleArn("arn:aws:iam::000000000000:role/sagebrush")
        .algorithmSpecification(
            AlgorithmSpecification.builder()
                .trainingImage("sagebrush-test/busybox:1")
                .trainingInputMode("File")
                .build())
        .hyperParameters(Map.of("epochs", "2"))
        .inputDataConfig(
            Channel.builder()
                .channelName("train")
                .dataSource(
                    d -> d.s3DataSource(s -> s.s3DataType("S3Prefix").s3Uri("s3://data/train/")))
                .build())
        .outputDataConfig(o -> o.s3OutputPath("s3://data/out"))
        .resourceConfig(r -> r.instanceType("ml.m5.large").instanceCount(1).volumeSizeInGB(1))
        .stoppingCondition(s -> s.maxRuntimeInSeconds(600))
        .tags(Tag.builder().key("team").value("ml").build())
        .build();
  }
}
