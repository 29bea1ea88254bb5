package io.sagebrush.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.sagebrush.api.awsjson.AwsOperation;
import io.sagebrush.api.awsjson.AwsOperationProvider;
import io.sagebrush.api.awsjson.StoredJson;
import io.sagebrush.api.awsjson.Violations;
import io.sagebrush.api.model.ModelWire.ContainerDefinition;
import io.sagebrush.api.model.ModelWire.CreateModelRequest;
import io.sagebrush.api.model.ModelWire.CreateModelResponse;
import io.sagebrush.api.model.ModelWire.ListModelsRequest;
import io.sagebrush.api.model.ModelWire.ListModelsResponse;
import io.sagebrush.api.model.ModelWire.ModelNameRequest;
import io.sagebrush.api.model.ModelWire.ModelSummary;
import io.sagebrush.api.trainingjob.TrainingJobRequestValidator;
import io.sagebrush.artifacts.S3Uri;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.scheduler.common.Page;
import io.sagebrush.scheduler.common.SortOrder;
import io.sagebrush.scheduler.model.domain.Model;
import io.sagebrush.scheduler.model.domain.ModelQuery;
import io.sagebrush.scheduler.model.domain.ModelSpec;
import io.sagebrush.scheduler.model.service.ModelService;
import io.sagebrush.scheduler.trainingjob.domain.Tag;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * CreateModel, DescribeModel, ListModels and DeleteModel. The container members are stored as the
 * JSON the client sent and echoed by DescribeModel.
 */
@Component
public class ModelOperations implements AwsOperationProvider {
  static final Pattern MODEL_NAME = Pattern.compile("[a-zA-Z0-9]([\\-a-zA-Z0-9]*[a-zA-Z0-9])?");
  static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+");
  static final Pattern NAME_CONTAINS = Pattern.compile("[a-zA-Z0-9-]+");
  static final Pattern IMAGE = Pattern.compile("[\\S]+");
  static final List<String> MODES = List.of("SingleModel", "MultiModel");
  static final List<String> SORT_BY = List.of("Name", "CreationTime");

  private final ModelService service;

  public ModelOperations(ModelService service) {
    this.service = service;
  }

  @Override
  public List<AwsOperation<?>> operations() {
    return List.of(
        new AwsOperation<>("SageMaker.CreateModel", CreateModelRequest.class, this::create),
        AwsOperation.of(
            "SageMaker.DescribeModel", ModelNameRequest.class, r -> describe(r.modelName())),
        AwsOperation.of("SageMaker.ListModels", ListModelsRequest.class, this::list),
        AwsOperation.of(
            "SageMaker.DeleteModel",
            ModelNameRequest.class,
            r -> {
              delete(r.modelName());
              return null;
            }));
  }

  CreateModelResponse create(CreateModelRequest r, JsonNode raw) {
    Violations v = Violations.validation();
    if (v.required("modelName", r.modelName())) {
      name(v, "modelName", r.modelName());
    }
    v.length("executionRoleArn", r.executionRoleArn(), 20, 2048);
    v.pattern("executionRoleArn", r.executionRoleArn(), ROLE_ARN);
    if (r.primaryContainer() != null) {
      container(v, "primaryContainer", r.primaryContainer());
    }
    if (r.containers() != null) {
      v.size("containers", r.containers(), 1, 15);
      for (int i = 0; i < r.containers().size(); i++) {
        String p = "containers." + (i + 1) + ".member";
        if (v.required(p, r.containers().get(i))) {
          container(v, p, r.containers().get(i));
        }
      }
    }
    TrainingJobRequestValidator.tags(v, "tags", r.tags());
    v.throwIfAny();
    if (r.primaryContainer() == null && (r.containers() == null || r.containers().isEmpty())) {
      throw SagebrushException.validation(
          "Either PrimaryContainer or Containers must be provided for model " + r.modelName());
    }
    if (r.primaryContainer() != null && r.containers() != null) {
      throw SagebrushException.validation(
          "Only one of PrimaryContainer or Containers may be provided for model " + r.modelName());
    }
    List<Tag> tags =
        r.tags() == null
            ? List.of()
            : r.tags().stream().map(t -> new Tag(t.key(), t.value())).toList();
    Model model =
        service.create(
            new ModelSpec(
                r.modelName(),
                r.executionRoleArn(),
                member(raw, "PrimaryContainer"),
                member(raw, "Containers"),
                Boolean.TRUE.equals(r.enableNetworkIsolation()),
                tags));
    return new CreateModelResponse(model.arn());
  }

  Map<String, Object> describe(String name) {
    requireName(name);
    Model m = service.describe(name);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("ModelName", m.name());
    if (m.primaryContainerJson() != null) {
      out.put("PrimaryContainer", StoredJson.parse(m.primaryContainerJson(), "model container"));
    }
    if (m.containersJson() != null) {
      out.put("Containers", StoredJson.parse(m.containersJson(), "model container"));
    }
    if (m.executionRoleArn() != null) {
      out.put("ExecutionRoleArn", m.executionRoleArn());
    }
    out.put("CreationTime", m.creationTime());
    out.put("ModelArn", m.arn());
    out.put("EnableNetworkIsolation", m.enableNetworkIsolation());
    return out;
  }

  ListModelsResponse list(ListModelsRequest r) {
    Page<Model> page =
        service.list(
            query(
                r.nameContains(),
                r.creationTimeAfter(),
                r.creationTimeBefore(),
                r.sortBy(),
                r.sortOrder(),
                r.maxResults(),
                r.nextToken()));
    return new ListModelsResponse(
        page.items().stream()
            .map(m -> new ModelSummary(m.name(), m.arn(), m.creationTime()))
            .toList(),
        page.nextToken());
  }

  /**
   * The validated query of ListModels and ListEndpointConfigs (same members and rules).
   *
   * @throws io.sagebrush.common.error.SagebrushException VALIDATION naming the member
   */
  static ModelQuery query(
      String nameContains,
      Instant creationTimeAfter,
      Instant creationTimeBefore,
      String sortBy,
      String sortOrder,
      Integer maxResults,
      String nextToken) {
    Violations v = Violations.validation();
    v.listing(maxResults, nameContains, NAME_CONTAINS);
    v.sort(sortBy, SORT_BY, sortOrder);
    v.nextToken(nextToken);
    v.throwIfAny();
    return new ModelQuery(
        nameContains,
        creationTimeAfter,
        creationTimeBefore,
        sortBy,
        sortOrder == null ? null : SortOrder.valueOf(sortOrder),
        maxResults == null ? 10 : maxResults,
        nextToken);
  }

  void delete(String name) {
    requireName(name);
    service.delete(name);
  }

  private static void requireName(String name) {
    Violations.requireName("modelName", name, 1, MODEL_NAME);
  }

  private static void name(Violations v, String path, String name) {
    v.name(path, name, 1, MODEL_NAME);
  }

  private static void container(Violations v, String path, ContainerDefinition c) {
    if (v.required(path + ".image", c.image())) {
      v.length(path + ".image", c.image(), 1, 255);
      v.pattern(path + ".image", c.image(), IMAGE);
    }
    v.oneOf(path + ".mode", c.mode(), MODES);
    v.length(path + ".modelDataUrl", c.modelDataUrl(), 0, 1024);
    if (c.modelDataUrl() != null && !S3Uri.isValid(c.modelDataUrl())) {
      v.add(path + ".modelDataUrl", c.modelDataUrl(), "Member must be an s3:// URI");
    }
    if (c.environment() != null) {
      v.size(path + ".environment", c.environment(), 100);
      c.environment()
          .forEach(
              (key, value) -> {
                v.length(path + ".environment.key", key, 0, 1024);
                v.length(path + ".environment.value", value, 0, 1024);
              });
    }
  }

  private static String member(JsonNode raw, String field) {
    JsonNode node = raw == null ? null : raw.get(field);
    return node == null || node.isNull() ? null : node.toString();
  }
}
