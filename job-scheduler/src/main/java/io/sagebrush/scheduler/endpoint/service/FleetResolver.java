package io.sagebrush.scheduler.endpoint.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebrush.common.arn.Arns;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.scheduler.endpoint.domain.Fleet;
import io.sagebrush.scheduler.model.adapter.persistence.ModelStore;
import io.sagebrush.scheduler.model.domain.EndpointConfig;
import io.sagebrush.scheduler.model.domain.Model;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an endpoint config (its stored echo JSON) and the models it names into fleets, copying what
 * replicas need (image, model data, environment, instance type, weight, timeouts) so the endpoint
 * keeps serving when the config or a model is deleted. Runs in the caller's transaction.
 */
class FleetResolver {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ModelStore models;
  private final Arns arns;
  private final int defaultStartupTimeoutSeconds;
  private final int defaultDownloadTimeoutSeconds;

  FleetResolver(
      ModelStore models,
      Arns arns,
      int defaultStartupTimeoutSeconds,
      int defaultDownloadTimeoutSeconds) {
    this.models = models;
    this.arns = arns;
    this.defaultStartupTimeoutSeconds = defaultStartupTimeoutSeconds;
    this.defaultDownloadTimeoutSeconds = defaultDownloadTimeoutSeconds;
  }

  /**
   * The config's production variants as fleets of {@code generation}.
   *
   * @throws SagebrushException VALIDATION when a model is missing or a variant is serverless
   */
  List<Fleet> resolve(EndpointConfig config, int generation, Instant now) {
    JsonNode echo = parse(config.echoJson());
    List<Fleet> out = new ArrayList<>();
    for (JsonNode v : echo.path("ProductionVariants")) {
      String variant = v.path("VariantName").asText();
      String modelName = v.path("ModelName").asText(null);
      if (!v.hasNonNull("InstanceType")) {
        throw SagebrushException.validation(
            "Production variant "
                + variant
                + " of endpoint configuration "
                + config.name()
                + " has no InstanceType; serverless variants are not supported.");
      }
      Model model =
          models
              .findByName(modelName == null ? "" : modelName)
              .orElseThrow(
                  () ->
                      SagebrushException.validation(
                          "Could not find model \""
                              + arns.model(modelName == null ? "" : modelName)
                              + "\"."));
      JsonNode container = container(model);
      double weight =
          v.hasNonNull("InitialVariantWeight") ? v.get("InitialVariantWeight").asDouble() : 1.0;
      out.add(
          new Fleet(
              generation,
              variant,
              model.name(),
              container.path("Image").asText(""),
              modelData(container),
              environment(container),
              v.get("InstanceType").asText(),
              Math.max(0, v.path("InitialInstanceCount").asInt(1)),
              weight,
              weight,
              v.path("ContainerStartupHealthCheckTimeoutInSeconds")
                  .asInt(defaultStartupTimeoutSeconds),
              v.path("ModelDataDownloadTimeoutInSeconds").asInt(defaultDownloadTimeoutSeconds),
              now,
              null,
              null));
    }
    return out;
  }

  /** PrimaryContainer, else the first of Containers. */
  private static JsonNode container(Model model) {
    if (model.primaryContainerJson() != null) {
      return parse(model.primaryContainerJson());
    }
    if (model.containersJson() != null) {
      JsonNode containers = parse(model.containersJson());
      if (containers.isArray() && !containers.isEmpty()) {
        return containers.get(0);
      }
    }
    return JSON.createObjectNode();
  }

  /** ModelDataUrl, else ModelDataSource.S3DataSource.S3Uri; null when the model has none. */
  private static String modelData(JsonNode container) {
    if (container.hasNonNull("ModelDataUrl")) {
      return container.get("ModelDataUrl").asText();
    }
    JsonNode s3 = container.path("ModelDataSource").path("S3DataSource");
    return s3.hasNonNull("S3Uri") ? s3.get("S3Uri").asText() : null;
  }

  private static Map<String, String> environment(JsonNode container) {
    Map<String, String> env = new LinkedHashMap<>();
    container
        .path("Environment")
        .fields()
        .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    return env;
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot read a stored endpoint config or model", e);
    }
  }
}
