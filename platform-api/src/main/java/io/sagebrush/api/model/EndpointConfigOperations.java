package io.sagebrush.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sagebrush.api.awsjson.AwsOperation;
import io.sagebrush.api.awsjson.AwsOperationProvider;
import io.sagebrush.api.awsjson.StoredJson;
import io.sagebrush.api.awsjson.Violations;
import io.sagebrush.api.model.EndpointConfigWire.CreateEndpointConfigRequest;
import io.sagebrush.api.model.EndpointConfigWire.CreateEndpointConfigResponse;
import io.sagebrush.api.model.EndpointConfigWire.EndpointConfigNameRequest;
import io.sagebrush.api.model.EndpointConfigWire.EndpointConfigSummary;
import io.sagebrush.api.model.EndpointConfigWire.ListEndpointConfigsRequest;
import io.sagebrush.api.model.EndpointConfigWire.ListEndpointConfigsResponse;
import io.sagebrush.api.model.EndpointConfigWire.ProductionVariant;
import io.sagebrush.api.trainingjob.TrainingJobRequestValidator;
import io.sagebrush.scheduler.common.Page;
import io.sagebrush.scheduler.model.domain.EndpointConfig;
import io.sagebrush.scheduler.model.domain.EndpointConfigSpec;
import io.sagebrush.scheduler.model.domain.ProductionVariantSpec;
import io.sagebrush.scheduler.model.service.EndpointConfigService;
import io.sagebrush.scheduler.trainingjob.domain.Tag;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * CreateEndpointConfig, DescribeEndpointConfig, ListEndpointConfigs and DeleteEndpointConfig. The
 * request (less name and tags, with InitialVariantWeight defaulted to 1.0) is stored as JSON and
 * echoed by Describe.
 */
@Component
public class EndpointConfigOperations implements AwsOperationProvider {
  static final Pattern NAME = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");

  private final EndpointConfigService service;

  public EndpointConfigOperations(EndpointConfigService service) {
    this.service = service;
  }

  @Override
  public List<AwsOperation<?>> operations() {
    return List.of(
        new AwsOperation<>(
            "SageMaker.CreateEndpointConfig", CreateEndpointConfigRequest.class, this::create),
        AwsOperation.of(
            "SageMaker.DescribeEndpointConfig",
            EndpointConfigNameRequest.class,
            r -> describe(r.endpointConfigName())),
        AwsOperation.of(
            "SageMaker.ListEndpointConfigs", ListEndpointConfigsRequest.class, this::list),
        AwsOperation.of(
            "SageMaker.DeleteEndpointConfig",
            EndpointConfigNameRequest.class,
            r -> {
              delete(r.endpointConfigName());
              return null;
            }));
  }

  CreateEndpointConfigResponse create(CreateEndpointConfigRequest r, JsonNode raw) {
    Violations v = Violations.validation();
    if (v.required("endpointConfigName", r.endpointConfigName())) {
      name(v, "endpointConfigName", r.endpointConfigName());
    }
    if (v.required("productionVariants", r.productionVariants())) {
      v.size("productionVariants", r.productionVariants(), 1, 10);
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < r.productionVariants().size(); i++) {
        String p = "productionVariants." + (i + 1) + ".member";
        ProductionVariant pv = r.productionVariants().get(i);
        if (!v.required(p, pv)) {
          continue;
        }
        if (v.required(p + ".variantName", pv.variantName())) {
          name(v, p + ".variantName", pv.variantName());
          if (!seen.add(pv.variantName().toLowerCase(Locale.ROOT))) {
            v.addMessage(
                "The variant name(s) ["
                    + pv.variantName()
                    + "] must be unique within endpoint configuration "
                    + r.endpointConfigName()
                    + ".");
          }
        }
        if (v.required(p + ".modelName", pv.modelName())) {
          v.length(p + ".modelName", pv.modelName(), 1, 63);
          v.pattern(p + ".modelName", pv.modelName(), ModelOperations.MODEL_NAME);
        }
        if (v.required(p + ".initialInstanceCount", pv.initialInstanceCount())) {
          v.range(p + ".initialInstanceCount", pv.initialInstanceCount(), 1, Integer.MAX_VALUE);
        }
        v.required(p + ".instanceType", pv.instanceType());
        if (pv.initialVariantWeight() != null && pv.initialVariantWeight() < 0) {
          v.add(
              p + ".initialVariantWeight",
              pv.initialVariantWeight(),
              "Member must have value greater than or equal to 0");
        }
        v.range(
            p + ".containerStartupHealthCheckTimeoutInSeconds",
            pv.containerStartupHealthCheckTimeoutInSeconds(),
            60,
            3600);
        v.range(
            p + ".modelDataDownloadTimeoutInSeconds",
            pv.modelDataDownloadTimeoutInSeconds(),
            60,
            3600);
      }
    }
    TrainingJobRequestValidator.tags(v, "tags", r.tags());
    v.throwIfAny();
    List<Tag> tags =
        r.tags() == null
            ? List.of()
            : r.tags().stream().map(t -> new Tag(t.key(), t.value())).toList();
    List<ProductionVariantSpec> variants =
        r.productionVariants().stream()
            .map(
                pv ->
                    new ProductionVariantSpec(
                        pv.variantName(),
                        pv.modelName(),
                        pv.initialInstanceCount(),
                        pv.instanceType()))
            .toList();
    EndpointConfig config =
        service.create(new EndpointConfigSpec(r.endpointConfigName(), variants, echo(raw), tags));
    return new CreateEndpointConfigResponse(config.arn());
  }

  /** The request less name and tags, each variant's InitialVariantWeight defaulted to 1.0. */
  private static String echo(JsonNode raw) {
    ObjectNode copy = ((ObjectNode) raw).deepCopy();
    copy.remove("EndpointConfigName");
    copy.remove("Tags");
    for (JsonNode variant : copy.withArray("ProductionVariants")) {
      if (variant instanceof ObjectNode o && !o.has("InitialVariantWeight")) {
        o.put("InitialVariantWeight", 1.0f);
      }
    }
    return copy.toString();
  }

  Map<String, Object> describe(String name) {
    requireName(name);
    EndpointConfig c = service.describe(name);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("EndpointConfigName", c.name());
    out.put("EndpointConfigArn", c.arn());
    JsonNode echoed = StoredJson.parse(c.echoJson(), "endpoint configuration");
    Iterator<Map.Entry<String, JsonNode>> fields = echoed.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      out.put(e.getKey(), e.getValue());
    }
    out.put("CreationTime", c.creationTime());
    return out;
  }

  ListEndpointConfigsResponse list(ListEndpointConfigsRequest r) {
    Page<EndpointConfig> page =
        service.list(
            ModelOperations.query(
                r.nameContains(),
                r.creationTimeAfter(),
                r.creationTimeBefore(),
                r.sortBy(),
                r.sortOrder(),
                r.maxResults(),
                r.nextToken()));
    return new ListEndpointConfigsResponse(
        page.items().stream()
            .map(c -> new EndpointConfigSummary(c.name(), c.arn(), c.creationTime()))
            .toList(),
        page.nextToken());
  }

  void delete(String name) {
    requireName(name);
    service.delete(name);
  }

  private static void requireName(String name) {
    Violations.requireName("endpointConfigName", name, 1, NAME);
  }

  private static void name(Violations v, String path, String name) {
    v.name(path, name, 1, NAME);
  }
}
