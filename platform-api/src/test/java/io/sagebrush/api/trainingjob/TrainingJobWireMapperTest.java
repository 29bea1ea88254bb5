package io.sagebrush.api.trainingjob;

import static io.sagebrush.api.support.TrainingJobs.aCreateRequest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sagebrush.api.awsjson.AwsJsonMapper;
import io.sagebrush.api.support.BotocoreModel;
import io.sagebrush.api.trainingjob.TrainingJobWire.CreateTrainingJobRequest;
import io.sagebrush.scheduler.trainingjob.domain.MetricValue;
import io.sagebrush.scheduler.trainingjob.domain.SecondaryStatus;
import io.sagebrush.scheduler.trainingjob.domain.StatusTransition;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobSpec;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobStatus;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobView;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingJobWireMapperTest {
  static final BotocoreModel SAGEMAKER = BotocoreModel.load("sagemaker");
  final AwsJsonMapper json = new AwsJsonMapper();
  final TrainingJobWireMapper mapper = new TrainingJobWireMapper(json);

  @Test
  void aCompletedJobDescribesAsTheModelSays() throws Exception {
    JsonNode described = json.mapper().readTree(json.write(mapper.toDescribe(aCompletedJob())));

    assertThat(SAGEMAKER.violations("DescribeTrainingJobResponse", described)).isEmpty();
    assertThat(described.get("TrainingJobStatus").asText()).isEqualTo("Completed");
    assertThat(described.get("HyperParameters").get("epochs").asText()).isEqualTo("2");
    assertThat(described.get("Environment").get("MODE").asText()).isEqualTo("test");
    assertThat(described.has("Tags")).isFalse();
    assertThat(described.get("CreationTime").isNumber()).isTrue();
    assertThat(described.get("TrainingTimeInSeconds").asLong()).isEqualTo(30);
    assertThat(described.get("SecondaryStatusTransitions"))
        .allSatisfy(t -> assertThat(t.has("StatusMessage")).isTrue());
    assertThat(described.get("FinalMetricDataList").get(0).get("Value").asDouble()).isEqualTo(0.25);
    assertThat(described.get("ModelArtifacts").get("S3ModelArtifacts").asText())
        .isEqualTo("s3://data/out/job-1/output/model.tar.gz");
  }

  @Test
  void aSummaryListConformsToTheModel() throws Exception {
    var response =
        new TrainingJobWire.ListTrainingJobsResponse(
            List.of(mapper.toSummary(aCompletedJob())), "t");

    assertThat(
            SAGEMAKER.violations(
                "ListTrainingJobsResponse", json.mapper().readTree(json.write(response))))
        .isEmpty();
  }

  @Test
  void theSpecCarriesDefaultsAndTheRawRequest() {
    TrainingJobSpec spec = aSpec();

    assertThat(spec.image()).isEqualTo("sagebrush-test/busybox:1");
    assertThat(spec.channels().get(0).distribution()).isEqualTo("FullyReplicated");
    assertThat(spec.compressed()).isTrue();
    assertThat(spec.maxRuntimeSeconds()).isEqualTo(600);
    assertThat(spec.tags()).hasSize(1);
    assertThat(spec.requestJson()).contains("\"TrainingJobName\":\"job-1\"");
  }

  private TrainingJobSpec aSpec() {
    JsonNode raw = json.readBody(aCreateRequest("job-1").getBytes(StandardCharsets.UTF_8));
    return mapper.toSpec(json.bind(raw, CreateTrainingJobRequest.class), raw);
  }

  private TrainingJobView aCompletedJob() {
    Instant t0 = Instant.parse("2026-11-26T10:00:00.123Z");
    return new TrainingJobView(
        aSpec(),
        "arn:aws:sagemaker:us-east-1:000000000000:training-job/job-1",
        TrainingJobStatus.Completed,
        SecondaryStatus.Completed,
        List.of(
            new StatusTransition(
                SecondaryStatus.Starting,
                t0,
                t0.plusSeconds(1),
                "Preparing the instances for training"),
            new StatusTransition(
                SecondaryStatus.Training, t0.plusSeconds(1), t0.plusSeconds(31), null),
            new StatusTransition(
                SecondaryStatus.Completed, t0.plusSeconds(31), null, "Training job completed")),
        null,
        null,
        t0,
        t0.plusSeconds(1),
        t0.plusSeconds(31),
        t0.plusSeconds(31),
        List.of(new MetricValue("loss", 0.25, t0.plusSeconds(20))),
        null);
  }
}
