package io.sagebrush.api.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import io.sagebrush.api.awsjson.AwsOperation;
import io.sagebrush.api.awsjson.AwsOperationProvider;
import io.sagebrush.api.awsjson.StoredJson;
import io.sagebrush.api.awsjson.Violations;
import io.sagebrush.api.endpoint.EndpointWire.CapacitySize;
import io.sagebrush.api.endpoint.EndpointWire.CreateEndpointRequest;
import io.sagebrush.api.endpoint.EndpointWire.DeploymentConfig;
import io.sagebrush.api.endpoint.EndpointWire.EndpointArnResponse;
import io.sagebrush.api.endpoint.EndpointWire.EndpointNameRequest;
import io.sagebrush.api.endpoint.EndpointWire.EndpointSummary;
import io.sagebrush.api.endpoint.EndpointWire.ListEndpointsRequest;
import io.sagebrush.api.endpoint.EndpointWire.ListEndpointsResponse;
import io.sagebrush.api.endpoint.EndpointWire.PendingDeploymentSummary;
import io.sagebrush.api.endpoint.EndpointWire.ProductionVariantStatus;
import io.sagebrush.api.endpoint.EndpointWire.ProductionVariantSummary;
import io.sagebrush.api.endpoint.EndpointWire.TrafficRoutingConfig;
import io.sagebrush.api.endpoint.EndpointWire.UpdateEndpointRequest;
import io.sagebrush.api.endpoint.EndpointWire.UpdateEndpointWeightsAndCapacitiesRequest;
import io.sagebrush.api.trainingjob.TrainingJobRequestValidator;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.scheduler.common.Page;
import io.sagebrush.scheduler.common.SortOrder;
import io.sagebrush.scheduler.endpoint.domain.DeploymentPolicy;
import io.sagebrush.scheduler.endpoint.domain.DesiredWeightAndCapacity;
import io.sagebrush.scheduler.endpoint.domain.EndpointQuery;
import io.sagebrush.scheduler.endpoint.domain.EndpointStatus;
import io.sagebrush.scheduler.endpoint.domain.EndpointUpdate;
import io.sagebrush.scheduler.endpoint.domain.EndpointView;
import io.sagebrush.scheduler.endpoint.service.EndpointService;
import io.sagebrush.scheduler.trainingjob.domain.Tag;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * CreateEndpoint, DescribeEndpoint, ListEndpoints, UpdateEndpoint,
 * UpdateEndpointWeightsAndCapacities and DeleteEndpoint: validation against the service model, then
 * the {@link EndpointService}.
 */
@Component
public class EndpointOperations implements AwsOperationProvider {
  static final Pattern NAME = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
  static final Pattern NAME_CONTAINS = Pattern.compile("[a-zA-Z0-9-]+");
  static final Pattern ALARM_NAME = Pattern.compile("(?!\\s*$).+");
  static final List<String> SORT_BY = List.of("Name", "CreationTime", "Status");
  static final List<String> ROUTING_TYPES = List.of("ALL_AT_ONCE", "CANARY", "LINEAR");
  static final List<String> CAPACITY_TYPES = List.of("INSTANCE_COUNT", "CAPACITY_PERCENT");
  static final List<String> VARIANT_PROPERTIES =
      List.of("DesiredInstanceCount", "DesiredWeight", "DataCaptureConfig");

  private final EndpointService service;

  public EndpointOperations(EndpointService service) {
    this.service = service;
  }

  @Override
  public List<AwsOperation<?>> operations() {
    return List.of(
        new AwsOperation<>("SageMaker.CreateEndpoint", CreateEndpointRequest.class, this::create),
        AwsOperation.of(
            "SageMaker.DescribeEndpoint",
            EndpointNameRequest.class,
            r -> describe(r.endpointName())),
        AwsOperation.of("SageMaker.ListEndpoints", ListEndpointsRequest.class, this::list),
        new AwsOperation<>("SageMaker.UpdateEndpoint", UpdateEndpointRequest.class, this::update),
        AwsOperation.of(
            "SageMaker.UpdateEndpointWeightsAndCapacities",
            UpdateEndpointWeightsAndCapacitiesRequest.class,
            this::updateWeightsAndCapacities),
        AwsOperation.of(
            "SageMaker.DeleteEndpoint",
            EndpointNameRequest.class,
            r -> {
              requireName(r.endpointName());
              service.delete(r.endpointName());
              return null;
            }));
  }

  EndpointArnResponse create(CreateEndpointRequest r, JsonNode raw) {
    Violations v = Violations.validation();
    if (v.required("endpointName", r.endpointName())) {
      name(v, "endpointName", r.endpointName());
    }
    if (v.required("endpointConfigName", r.endpointConfigName())) {
      name(v, "endpointConfigName", r.endpointConfigName());
    }
    deploymentConfig(v, r.deploymentConfig());
    TrainingJobRequestValidator.tags(v, "tags", r.tags());
    v.throwIfAny();
    List<Tag> tags =
        r.tags() == null
            ? List.of()
            : r.tags().stream().map(t -> new Tag(t.key(), t.value())).toList();
    String arn =
        service.create(
            r.endpointName(), r.endpointConfigName(), policy(r.deploymentConfig(), raw), tags);
    return new EndpointArnResponse(arn);
  }

  Map<String, Object> describe(String name) {
    requireName(name);
    EndpointView e = service.describe(name);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("EndpointName", e.name());
    out.put("EndpointArn", e.arn());
    out.put("EndpointConfigName", e.configName());
    if (!e.variants().isEmpty()) {
      out.put(
          "ProductionVariants", e.variants().stream().map(EndpointOperations::summary).toList());
    }
    out.put("EndpointStatus", e.status().wireName());
    if (e.failureReason() != null) {
      out.put("FailureReason", e.failureReason());
    }
    out.put("CreationTime", e.creationTime());
    out.put("LastModifiedTime", e.lastModifiedTime());
    if (e.lastDeploymentConfigJson() != null) {
      out.put(
          "LastDeploymentConfig",
          StoredJson.parse(e.lastDeploymentConfigJson(), "deployment configuration"));
    }
    if (e.pending() != null) {
      out.put(
          "PendingDeploymentSummary",
          new PendingDeploymentSummary(
              e.pending().endpointConfigName(),
              e.pending().variants().stream().map(EndpointOperations::summary).toList(),
              e.pending().startTime()));
    }
    return out;
  }

  private static ProductionVariantSummary summary(EndpointView.VariantSummary s) {
    return new ProductionVariantSummary(
        s.variantName(),
        s.deployedImages().stream()
            .map(
                i ->
                    new EndpointWire.DeployedImage(
                        i.specifiedImage(), i.resolvedImage(), i.resolutionTime()))
            .toList(),
        (float) s.currentWeight(),
        (float) s.desiredWeight(),
        s.currentInstanceCount(),
        s.desiredInstanceCount(),
        s.statuses().isEmpty()
            ? null
            : s.statuses().stream()
                .map(
                    st ->
                        new ProductionVariantStatus(
                            st.status(), st.statusMessage(), st.startTime()))
                .toList());
  }

  ListEndpointsResponse list(ListEndpointsRequest r) {
    Violations v = Violations.validation();
    v.listing(r.maxResults(), r.nameContains(), NAME_CONTAINS);
    v.sort(r.sortBy(), SORT_BY, r.sortOrder());
    v.oneOf(
        "statusEquals",
        r.statusEquals(),
        Arrays.stream(EndpointStatus.values()).map(EndpointStatus::wireName).toList());
    v.nextToken(r.nextToken());
    v.throwIfAny();
    Page<EndpointView> page =
        service.list(
            new EndpointQuery(
                r.nameContains(),
                r.creationTimeAfter(),
                r.creationTimeBefore(),
                r.lastModifiedTimeAfter(),
                r.lastModifiedTimeBefore(),
                r.statusEquals() == null ? null : EndpointStatus.fromWire(r.statusEquals()),
                r.sortBy(),
                r.sortOrder() == null ? null : SortOrder.valueOf(r.sortOrder()),
                r.maxResults() == null ? 10 : r.maxResults(),
                r.nextToken()));
    return new ListEndpointsResponse(
        page.items().stream()
            .map(
                e ->
                    new EndpointSummary(
                        e.name(),
                        e.arn(),
                        e.creationTime(),
                        e.lastModifiedTime(),
                        e.status().wireName()))
            .toList(),
        page.nextToken());
  }

  EndpointArnResponse update(UpdateEndpointRequest r, JsonNode raw) {
    Violations v = Violations.validation();
    if (v.required("endpointName", r.endpointName())) {
      name(v, "endpointName", r.endpointName());
    }
    if (v.required("endpointConfigName", r.endpointConfigName())) {
      name(v, "endpointConfigName", r.endpointConfigName());
    }
    Set<String> excluded = new LinkedHashSet<>();
    if (r.excludeRetainedVariantProperties() != null) {
      v.size("excludeRetainedVariantProperties", r.excludeRetainedVariantProperties(), 0, 3);
      for (int i = 0; i < r.excludeRetainedVariantProperties().size(); i++) {
        String p = "excludeRetainedVariantProperties." + (i + 1) + ".member";
        EndpointWire.VariantProperty vp = r.excludeRetainedVariantProperties().get(i);
        if (v.required(p, vp) && v.required(p + ".variantPropertyType", vp.variantPropertyType())) {
          v.oneOf(p + ".variantPropertyType", vp.variantPropertyType(), VARIANT_PROPERTIES);
          excluded.add(vp.variantPropertyType());
        }
      }
    }
    deploymentConfig(v, r.deploymentConfig());
    v.throwIfAny();
    if (!Boolean.TRUE.equals(r.retainAllVariantProperties()) && !excluded.isEmpty()) {
      throw SagebrushException.validation(
          "ExcludeRetainedVariantProperties can be specified only when"
              + " RetainAllVariantProperties is true.");
    }
    if (Boolean.TRUE.equals(r.retainDeploymentConfig()) && r.deploymentConfig() != null) {
      throw SagebrushException.validation(
          "DeploymentConfig cannot be specified when RetainDeploymentConfig is true.");
    }
    String arn =
        service.update(
            new EndpointUpdate(
                r.endpointName(),
                r.endpointConfigName(),
                Boolean.TRUE.equals(r.retainAllVariantProperties()),
                Set.copyOf(excluded),
                policy(r.deploymentConfig(), raw),
                Boolean.TRUE.equals(r.retainDeploymentConfig())));
    return new EndpointArnResponse(arn);
  }

  EndpointArnResponse updateWeightsAndCapacities(UpdateEndpointWeightsAndCapacitiesRequest r) {
    Violations v = Violations.validation();
    if (v.required("endpointName", r.endpointName())) {
      name(v, "endpointName", r.endpointName());
    }
    Set<String> seen = new HashSet<>();
    if (v.required("desiredWeightsAndCapacities", r.desiredWeightsAndCapacities())) {
      v.size("desiredWeightsAndCapacities", r.desiredWeightsAndCapacities(), 1, Integer.MAX_VALUE);
      for (int i = 0; i < r.desiredWeightsAndCapacities().size(); i++) {
        String p = "desiredWeightsAndCapacities." + (i + 1) + ".member";
        EndpointWire.DesiredWeightAndCapacity d = r.desiredWeightsAndCapacities().get(i);
        if (!v.required(p, d)) {
          continue;
        }
        if (v.required(p + ".variantName", d.variantName())) {
          name(v, p + ".variantName", d.variantName());
          if (!seen.add(d.variantName())) {
            v.addMessage(
                "The variant name " + d.variantName() + " appears more than once in the request.");
          }
        }
        if (d.desiredWeight() != null && !(d.desiredWeight() >= 0)) {
          v.add(
              p + ".desiredWeight",
              d.desiredWeight(),
              "Member must have value greater than or equal to 0");
        }
        v.range(p + ".desiredInstanceCount", d.desiredInstanceCount(), 0, Integer.MAX_VALUE);
        if (d.desiredWeight() == null && d.desiredInstanceCount() == null) {
          v.addMessage(
              "Either DesiredWeight or DesiredInstanceCount must be specified for variant "
                  + d.variantName()
                  + ".");
        }
      }
    }
    v.throwIfAny();
    String arn =
        service.updateWeightsAndCapacities(
            r.endpointName(),
            r.desiredWeightsAndCapacities().stream()
                .map(
                    d ->
                        new DesiredWeightAndCapacity(
                            d.variantName(),
                            d.desiredWeight() == null ? null : d.desiredWeight().doubleValue(),
                            d.desiredInstanceCount()))
                .toList());
    return new EndpointArnResponse(arn);
  }

  private static void deploymentConfig(Violations v, DeploymentConfig c) {
    if (c == null) {
      return;
    }
    String p = "deploymentConfig";
    if (c.blueGreenUpdatePolicy() != null && c.rollingUpdatePolicy() != null) {
      v.addMessage(
          "Only one of BlueGreenUpdatePolicy and RollingUpdatePolicy can be specified in"
              + " DeploymentConfig.");
    }
    if (c.blueGreenUpdatePolicy() != null) {
      String b = p + ".blueGreenUpdatePolicy";
      EndpointWire.BlueGreenUpdatePolicy bg = c.blueGreenUpdatePolicy();
      TrafficRoutingConfig t = bg.trafficRoutingConfiguration();
      if (v.required(b + ".trafficRoutingConfiguration", t)) {
        String tp = b + ".trafficRoutingConfiguration";
        if (v.required(tp + ".type", t.type())) {
          v.oneOf(tp + ".type", t.type(), ROUTING_TYPES);
        }
        if (v.required(tp + ".waitIntervalInSeconds", t.waitIntervalInSeconds())) {
          v.range(tp + ".waitIntervalInSeconds", t.waitIntervalInSeconds(), 0, 3600);
        }
        capacity(v, tp + ".canarySize", t.canarySize());
        capacity(v, tp + ".linearStepSize", t.linearStepSize());
        if ("CANARY".equals(t.type()) && t.canarySize() == null) {
          v.addMessage("CanarySize must be specified when the traffic routing type is CANARY.");
        }
        if ("LINEAR".equals(t.type()) && t.linearStepSize() == null) {
          v.addMessage("LinearStepSize must be specified when the traffic routing type is LINEAR.");
        }
      }
      v.range(b + ".terminationWaitInSeconds", bg.terminationWaitInSeconds(), 0, 3600);
      v.range(
          b + ".maximumExecutionTimeoutInSeconds",
          bg.maximumExecutionTimeoutInSeconds(),
          600,
          28800);
    }
    if (c.rollingUpdatePolicy() != null) {
      String rp = p + ".rollingUpdatePolicy";
      EndpointWire.RollingUpdatePolicy r = c.rollingUpdatePolicy();
      if (v.required(rp + ".maximumBatchSize", r.maximumBatchSize())) {
        capacity(v, rp + ".maximumBatchSize", r.maximumBatchSize());
      }
      if (v.required(rp + ".waitIntervalInSeconds", r.waitIntervalInSeconds())) {
        v.range(rp + ".waitIntervalInSeconds", r.waitIntervalInSeconds(), 0, 3600);
      }
      v.range(
          rp + ".maximumExecutionTimeoutInSeconds",
          r.maximumExecutionTimeoutInSeconds(),
          600,
          28800);
      capacity(v, rp + ".rollbackMaximumBatchSize", r.rollbackMaximumBatchSize());
    }
    if (c.autoRollbackConfiguration() != null && c.autoRollbackConfiguration().alarms() != null) {
      String ap = p + ".autoRollbackConfiguration.alarms";
      List<EndpointWire.Alarm> alarms = c.autoRollbackConfiguration().alarms();
      v.size(ap, alarms, 1, 10);
      for (int i = 0; i < alarms.size(); i++) {
        String m = ap + "." + (i + 1) + ".member.alarmName";
        if (alarms.get(i) != null) {
          v.length(m, alarms.get(i).alarmName(), 1, 255);
          v.pattern(m, alarms.get(i).alarmName(), ALARM_NAME);
        }
      }
    }
  }

  private static void capacity(Violations v, String path, CapacitySize c) {
    if (c == null) {
      return;
    }
    if (v.required(path + ".type", c.type())) {
      v.oneOf(path + ".type", c.type(), CAPACITY_TYPES);
    }
    if (v.required(path + ".value", c.value())) {
      v.range(
          path + ".value",
          c.value(),
          1,
          "CAPACITY_PERCENT".equals(c.type()) ? 100 : Integer.MAX_VALUE);
    }
  }

  /** The validated DeploymentConfig as the domain's policy, or null when absent. */
  private static DeploymentPolicy policy(DeploymentConfig c, JsonNode raw) {
    if (c == null) {
      return null;
    }
    JsonNode echo = raw == null ? null : raw.get("DeploymentConfig");
    DeploymentPolicy.BlueGreen blueGreen = null;
    if (c.blueGreenUpdatePolicy() != null) {
      TrafficRoutingConfig t = c.blueGreenUpdatePolicy().trafficRoutingConfiguration();
      blueGreen =
          new DeploymentPolicy.BlueGreen(
              new DeploymentPolicy.TrafficRouting(
                  t.type(),
                  t.waitIntervalInSeconds(),
                  size(t.canarySize()),
                  size(t.linearStepSize())),
              c.blueGreenUpdatePolicy().terminationWaitInSeconds() == null
                  ? 0
                  : c.blueGreenUpdatePolicy().terminationWaitInSeconds(),
              c.blueGreenUpdatePolicy().maximumExecutionTimeoutInSeconds());
    }
    DeploymentPolicy.Rolling rolling = null;
    if (c.rollingUpdatePolicy() != null) {
      EndpointWire.RollingUpdatePolicy r = c.rollingUpdatePolicy();
      rolling =
          new DeploymentPolicy.Rolling(
              size(r.maximumBatchSize()),
              r.waitIntervalInSeconds(),
              r.maximumExecutionTimeoutInSeconds(),
              size(r.rollbackMaximumBatchSize()));
    }
    List<String> alarms =
        c.autoRollbackConfiguration() == null || c.autoRollbackConfiguration().alarms() == null
            ? List.of()
            : c.autoRollbackConfiguration().alarms().stream()
                .map(EndpointWire.Alarm::alarmName)
                .toList();
    return new DeploymentPolicy(
        blueGreen, rolling, alarms, echo == null || echo.isNull() ? null : echo.toString());
  }

  private static DeploymentPolicy.CapacitySize size(CapacitySize c) {
    return c == null ? null : new DeploymentPolicy.CapacitySize(c.type(), c.value());
  }

  private static void requireName(String name) {
    Violations.requireName("endpointName", name, 0, NAME);
  }

  private static void name(Violations v, String path, String name) {
    v.name(path, name, 0, NAME);
  }
}
