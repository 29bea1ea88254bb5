package io.sagebrush.api.trainingjob;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The SageMaker training-job shapes as they travel (PascalCase members, absent = null). */
public final class TrainingJobWire {
  private TrainingJobWire() {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record CreateTrainingJobRequest(
      String trainingJobName,
      String roleArn,
      AlgorithmSpecification algorithmSpecification,
      Map<String, String> hyperParameters,
      List<Channel> inputDataConfig,
      OutputDataConfig outputDataConfig,
      ResourceConfig resourceConfig,
      StoppingCondition stoppingCondition,
      Map<String, String> environment,
      List<Tag> tags) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record AlgorithmSpecification(
      String trainingImage,
      String algorithmName,
      String trainingInputMode,
      List<String> containerEntrypoint,
      List<String> containerArguments,
      List<MetricDefinition> metricDefinitions,
      Boolean enableSageMakerMetricsTimeSeries) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record MetricDefinition(String name, String regex) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record Channel(
      String channelName,
      DataSource dataSource,
      String contentType,
      String compressionType,
      String recordWrapperType,
      String inputMode) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record DataSource(
      S3DataSource s3DataSource, Object fileSystemDataSource, Object datasetSource) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record S3DataSource(
      String s3DataType,
      String s3Uri,
      String s3DataDistributionType,
      List<String> attributeNames) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record OutputDataConfig(String s3OutputPath, String kmsKeyId, String compressionType) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record ResourceConfig(
      String instanceType,
      Integer instanceCount,
      Integer volumeSizeInGB,
      String volumeKmsKeyId,
      Integer keepAlivePeriodInSeconds,
      List<Object> instanceGroups) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record StoppingCondition(
      Long maxRuntimeInSeconds, Long maxWaitTimeInSeconds, Long maxPendingTimeInSeconds) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record Tag(String key, String value) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record CreateTrainingJobResponse(String trainingJobArn) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record TrainingJobNameRequest(String trainingJobName) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record ListTrainingJobsRequest(
      String nextToken,
      Integer maxResults,
      Instant creationTimeAfter,
      Instant creationTimeBefore,
      Instant lastModifiedTimeAfter,
      Instant lastModifiedTimeBefore,
      String nameContains,
      String statusEquals,
      String sortBy,
      String sortOrder,
      String warmPoolStatusEquals) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record ListTrainingJobsResponse(
      List<TrainingJobSummary> trainingJobSummaries, String nextToken) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record TrainingJobSummary(
      String trainingJobName,
      String trainingJobArn,
      Instant creationTime,
      Instant trainingEndTime,
      Instant lastModifiedTime,
      String trainingJobStatus,
      String secondaryStatus) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record ModelArtifacts(String s3ModelArtifacts) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record SecondaryStatusTransition(
      String status, Instant startTime, Instant endTime, String statusMessage) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record MetricData(String metricName, Double value, Instant timestamp) {}
}
