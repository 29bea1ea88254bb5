package io.sagebrush.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sagebrush.api.trainingjob.TrainingJobWire;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The SageMaker model shapes as they travel (PascalCase members, absent = null). */
public final class ModelWire {
  private ModelWire() {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record CreateModelRequest(
      String modelName,
      ContainerDefinition primaryContainer,
      List<ContainerDefinition> containers,
      String executionRoleArn,
      Boolean enableNetworkIsolation,
      List<TrainingJobWire.Tag> tags) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record ContainerDefinition(
      String containerHostname,
      String image,
      String mode,
      String modelDataUrl,
      Map<String, String> environment) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record CreateModelResponse(String modelArn) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record ModelNameRequest(String modelName) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record ListModelsRequest(
      String sortBy,
      String sortOrder,
      String nextToken,
      Integer maxResults,
      String nameContains,
      Instant creationTimeBefore,
      Instant creationTimeAfter) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record ModelSummary(String modelName, String modelArn, Instant creationTime) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record ListModelsResponse(List<ModelSummary> models, String nextToken) {}
}
