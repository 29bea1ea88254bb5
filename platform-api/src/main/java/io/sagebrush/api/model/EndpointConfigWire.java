package io.sagebrush.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sagebrush.api.trainingjob.TrainingJobWire;
import java.time.Instant;
import java.util.List;

/** The SageMaker endpoint-config shapes as they travel (PascalCase members, absent = null). */
public final class EndpointConfigWire {
  private EndpointConfigWire() {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record CreateEndpointConfigRequest(
      String endpointConfigName,
      List<ProductionVariant> productionVariants,
      List<TrainingJobWire.Tag> tags) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record ProductionVariant(
      String variantName,
      String modelName,
      Integer initialInstanceCount,
      String instanceType,
      Float initialVariantWeight,
      Integer containerStartupHealthCheckTimeoutInSeconds,
      Integer modelDataDownloadTimeoutInSeconds) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record CreateEndpointConfigResponse(String endpointConfigArn) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record EndpointConfigNameRequest(String endpointConfigName) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record ListEndpointConfigsRequest(
      String sortBy,
      String sortOrder,
      String nextToken,
      Integer maxResults,
      String nameContains,
      Instant creationTimeBefore,
      Instant creationTimeAfter) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record EndpointConfigSummary(
      String endpointConfigName, String endpointConfigArn, Instant creationTime) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record ListEndpointConfigsResponse(
      List<EndpointConfigSummary> endpointConfigs, String nextToken) {}
}
