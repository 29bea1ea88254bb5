package io.sagebrush.api.endpoint;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sagebrush.api.trainingjob.TrainingJobWire;
import java.time.Instant;
import java.util.List;

/** The SageMaker endpoint shapes as they travel (PascalCase members, absent = null). */
public final class EndpointWire {
  private EndpointWire() {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record CreateEndpointRequest(
      String endpointName,
      String endpointConfigName,
      DeploymentConfig deploymentConfig,
      List<TrainingJobWire.Tag> tags) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record EndpointArnResponse(String endpointArn) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record EndpointNameRequest(String endpointName) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record UpdateEndpointRequest(
      String endpointName,
      String endpointConfigName,
      Boolean retainAllVariantProperties,
      List<VariantProperty> excludeRetainedVariantProperties,
      DeploymentConfig deploymentConfig,
      Boolean retainDeploymentConfig) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record VariantProperty(String variantPropertyType) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record UpdateEndpointWeightsAndCapacitiesRequest(
      String endpointName, List<DesiredWeightAndCapacity> desiredWeightsAndCapacities) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record DesiredWeightAndCapacity(
      String variantName, Float desiredWeight, Integer desiredInstanceCount) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record DeploymentConfig(
      BlueGreenUpdatePolicy blueGreenUpdatePolicy,
      RollingUpdatePolicy rollingUpdatePolicy,
      AutoRollbackConfig autoRollbackConfiguration) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record BlueGreenUpdatePolicy(
      TrafficRoutingConfig trafficRoutingConfiguration,
      Integer terminationWaitInSeconds,
      Integer maximumExecutionTimeoutInSeconds) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record TrafficRoutingConfig(
      String type,
      Integer waitIntervalInSeconds,
      CapacitySize canarySize,
      CapacitySize linearStepSize) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record CapacitySize(String type, Integer value) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record RollingUpdatePolicy(
      CapacitySize maximumBatchSize,
      Integer waitIntervalInSeconds,
      Integer maximumExecutionTimeoutInSeconds,
      CapacitySize rollbackMaximumBatchSize) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record AutoRollbackConfig(List<Alarm> alarms) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record Alarm(String alarmName) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record ListEndpointsRequest(
      String sortBy,
      String sortOrder,
      String nextToken,
      Integer maxResults,
      String nameContains,
      Instant creationTimeBefore,
      Instant creationTimeAfter,
      Instant lastModifiedTimeBefore,
      Instant lastModifiedTimeAfter,
      String statusEquals) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record EndpointSummary(
      String endpointName,
      String endpointArn,
      Instant creationTime,
      Instant lastModifiedTime,
      String endpointStatus) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record ListEndpointsResponse(List<EndpointSummary> endpoints, String nextToken) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record ProductionVariantSummary(
      String variantName,
      List<DeployedImage> deployedImages,
      Float currentWeight,
      Float desiredWeight,
      Integer currentInstanceCount,
      Integer desiredInstanceCount,
      List<ProductionVariantStatus> variantStatus) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record DeployedImage(
      String specifiedImage, String resolvedImage, Instant resolutionTime) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record ProductionVariantStatus(String status, String statusMessage, Instant startTime) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record PendingDeploymentSummary(
      String endpointConfigName,
      List<ProductionVariantSummary> productionVariants,
      Instant startTime) {}
}
