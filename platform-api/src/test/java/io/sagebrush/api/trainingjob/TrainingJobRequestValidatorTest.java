package io.sagebrush.api.trainingjob;

import static io.sagebrush.api.support.TrainingJobs.aCreateRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sagebrush.api.awsjson.AwsJsonMapper;
import io.sagebrush.api.trainingjob.TrainingJobWire.CreateTrainingJobRequest;
import io.sagebrush.common.error.ErrorCode;
import io.sagebrush.common.error.SagebrushException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class TrainingJobRequestValidatorTest {
  final AwsJsonMapper json = new AwsJsonMapper();

  @Test
  void aCompleteClassicRequestIsValid() {
    assertThatCode(() -> validate(r -> {})).doesNotThrowAnyException();
  }

  @Test
  void aNameWithAnUnderscoreNamesTheMemberAndThePattern() {
    assertThatThrownBy(() -> validate(r -> r.put("TrainingJobName", "bad_name")))
        .isInstanceOf(SagebrushException.class)
        .satisfies(e -> assertThat(((SagebrushException) e).code()).isEqualTo(ErrorCode.VALIDATION))
        .hasMessage(
            "1 validation error detected: Value 'bad_name' at 'trainingJobName' failed to"
                + " satisfy constraint: Member must satisfy regular expression pattern:"
                + " [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
  }

  @Test
  void aNameOfSixtyFourCharactersIsTooLong() {
    assertThatThrownBy(() -> validate(r -> r.put("TrainingJobName", "a".repeat(64))))
        .hasMessageContaining(
            "at 'trainingJobName' failed to satisfy constraint: Member must have length less than or equal to 63");
  }

  @Test
  void aShortRoleArnIsRejected() {
    assertThatThrownBy(() -> validate(r -> r.put("RoleArn", "arn:aws:iam::1:r")))
        .hasMessageContaining("at 'roleArn'")
        .hasMessageContaining("2 validation errors detected");
  }

  @Test
  void aBadChannelNameNamesItsPathInTheList() {
    assertThatThrownBy(
            () ->
                validate(
                    r ->
                        ((ObjectNode) r.withArray("InputDataConfig").get(0))
                            .put("ChannelName", "tr ain")))
        .hasMessageContaining("at 'inputDataConfig.1.member.channelName'");
  }

  @Test
  void anHttpsChannelUriIsRejectedBecauseSagebrushReadsS3Only() {
    assertThatThrownBy(
            () ->
                validate(
                    r ->
                        ((ObjectNode)
                                r.withArray("InputDataConfig")
                                    .get(0)
                                    .get("DataSource")
                                    .get("S3DataSource"))
                            .put("S3Uri", "https://example.com/x")))
        .hasMessageContaining("at 'inputDataConfig.1.member.dataSource.s3DataSource.s3Uri'");
  }

  @Test
  void anUnknownInputModeFailsTheEnum() {
    assertThatThrownBy(
            () ->
                validate(r -> r.with("AlgorithmSpecification").put("TrainingInputMode", "Stream")))
        .hasMessageContaining(
            "at 'algorithmSpecification.trainingInputMode' failed to satisfy constraint: Member must satisfy enum value set");
  }

  @Test
  void neitherImageNorAlgorithmNameIsRejected() {
    assertThatThrownBy(
            () -> validate(r -> r.with("AlgorithmSpecification").remove("TrainingImage")))
        .hasMessageContaining("algorithmSpecification.trainingImage");
  }

  @Test
  void moreThanOneHundredHyperParametersAreRejected() {
    assertThatThrownBy(
            () ->
                validate(
                    r -> {
                      ObjectNode hp = r.with("HyperParameters");
                      for (int i = 0; i < 101; i++) {
                        hp.put("k" + i, "v");
                      }
                    }))
        .hasMessageContaining("at 'hyperParameters'");
  }

  @Test
  void aHyperParameterValueOverTwoThousandFiveHundredCharsIsRejected() {
    assertThatThrownBy(() -> validate(r -> r.with("HyperParameters").put("big", "x".repeat(2501))))
        .hasMessageContaining("at 'hyperParameters.big'");
  }

  @Test
  void anEnvironmentKeyWithADashIsRejected() {
    assertThatThrownBy(() -> validate(r -> r.with("Environment").put("MY-VAR", "1")))
        .hasMessageContaining("at 'environment'");
  }

  @Test
  void fiftyOneTagsAreTooMany() {
    assertThatThrownBy(
            () ->
                validate(
                    r -> {
                      ArrayNode tags = r.putArray("Tags");
                      for (int i = 0; i < 51; i++) {
                        tags.addObject().put("Key", "k" + i).put("Value", "v");
                      }
                    }))
        .hasMessageContaining("at 'tags'");
  }

  @Test
  void aTagKeyWithAnAsteriskFailsThePattern() {
    assertThatThrownBy(
            () -> validate(r -> ((ObjectNode) r.withArray("Tags").get(0)).put("Key", "a*b")))
        .hasMessageContaining("at 'tags.1.member.key'");
  }

  @Test
  void aMetricRegexThatDoesNotCompileIsRejected() {
    assertThatThrownBy(
            () ->
                validate(
                    r ->
                        ((ObjectNode)
                                r.with("AlgorithmSpecification")
                                    .withArray("MetricDefinitions")
                                    .get(0))
                            .put("Regex", "loss=([0-9")))
        .hasMessageContaining("at 'algorithmSpecification.metricDefinitions.1.member.regex'");
  }

  @Test
  void zeroInstancesAreRejected() {
    assertThatThrownBy(() -> validate(r -> r.with("ResourceConfig").put("InstanceCount", 0)))
        .hasMessageContaining(
            "at 'resourceConfig.instanceCount' failed to satisfy constraint: Member must have value greater than or equal to 1");
  }

  @Test
  void aMissingResourceConfigIsRequiredForAClassicJob() {
    assertThatThrownBy(() -> validate(r -> r.remove("ResourceConfig")))
        .hasMessageContaining(
            "Value null at 'resourceConfig' failed to satisfy constraint: Member must not be null");
  }

  @Test
  void aMissingStoppingConditionIsAllowed() {
    assertThatCode(() -> validate(r -> r.remove("StoppingCondition"))).doesNotThrowAnyException();
  }

  @Test
  void aMaxRuntimeBeyondTwentyEightDaysIsRejected() {
    assertThatThrownBy(
            () -> validate(r -> r.with("StoppingCondition").put("MaxRuntimeInSeconds", 2_419_201L)))
        .hasMessageContaining("at 'stoppingCondition.maxRuntimeInSeconds'");
    assertThatCode(
            () -> validate(r -> r.with("StoppingCondition").put("MaxRuntimeInSeconds", 2_419_200L)))
        .doesNotThrowAnyException();
  }

  @Test
  void aMaxRuntimeOfZeroIsRejected() {
    assertThatThrownBy(
            () -> validate(r -> r.with("StoppingCondition").put("MaxRuntimeInSeconds", 0)))
        .hasMessageContaining("at 'stoppingCondition.maxRuntimeInSeconds'");
  }

  @Test
  void listMaxResultsAboveOneHundredIsRejected() {
    assertThatThrownBy(
            () ->
                TrainingJobRequestValidator.validateList(
                    new TrainingJobWire.ListTrainingJobsRequest(
                        null, 101, null, null, null, null, null, null, null, null, null)))
        .hasMessageContaining("at 'maxResults'");
  }

  private void validate(Consumer<ObjectNode> change) {
    ObjectNode body =
        (ObjectNode) json.readBody(aCreateRequest("job-1").getBytes(StandardCharsets.UTF_8));
    change.accept(body);
    TrainingJobRequestValidator.validateCreate(json.bind(body, CreateTrainingJobRequest.class));
  }
}
