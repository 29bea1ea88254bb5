package io.sagebrush.api.trainingjob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sagebrush.api.awsjson.AwsJsonMapper;
import io.sagebrush.api.trainingjob.TrainingJobWire.CreateTrainingJobRequest;
import io.sagebrush.api.trainingjob.TrainingJobWire.ListTrainingJobsRequest;
import io.sagebrush.api.trainingjob.TrainingJobWire.MetricData;
import io.sagebrush.api.trainingjob.TrainingJobWire.ModelArtifacts;
import io.sagebrush.api.trainingjob.TrainingJobWire.SecondaryStatusTransition;
import io.sagebrush.api.trainingjob.TrainingJobWire.TrainingJobSummary;
import io.sagebrush.scheduler.common.SortOrder;
import io.sagebrush.scheduler.trainingjob.domain.Channel;
import io.sagebrush.scheduler.trainingjob.domain.MetricDefinition;
import io.sagebrush.scheduler.trainingjob.domain.MetricValue;
import io.sagebrush.scheduler.trainingjob.domain.StatusTransition;
import io.sagebrush.scheduler.trainingjob.domain.Tag;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobQuery;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobSpec;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobStatus;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobView;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/** Maps training-job wire records to the scheduler's domain records and back. */
@Component
public class TrainingJobWireMapper {
  static final long DEFAULT_MAX_RUNTIME_SECONDS = 86_400;

  /** Request members DescribeTrainingJob echoes (members of both the input and output shape). */
  static final Set<String> ECHOED =
      Set.of(
          "HyperParameters",
          "AlgorithmSpecification",
          "RoleArn",
          "InputDataConfig",
          "OutputDataConfig",
          "ResourceConfig",
          "VpcConfig",
          "StoppingCondition",
          "EnableNetworkIsolation",
          "EnableInterContainerTrafficEncryption",
          "EnableManagedSpotTraining",
          "CheckpointConfig",
          "DebugHookConfig",
          "ExperimentConfig",
          "DebugRuleConfigurations",
          "TensorBoardOutputConfig",
          "ProfilerConfig",
          "ProfilerRuleConfigurations",
          "Environment",
          "RetryStrategy",
          "RemoteDebugConfig",
          "InfraCheckConfig",
          "ServerlessJobConfig",
          "MlflowConfig",
          "ModelPackageConfig");

  private final AwsJsonMapper json;

  public TrainingJobWireMapper(AwsJsonMapper json) {
    this.json = json;
  }

  /** The scheduler's spec of a validated request. */
  public TrainingJobSpec toSpec(CreateTrainingJobRequest r, JsonNode raw) {
    var algorithm = r.algorithmSpecification();
    var resources = r.resourceConfig();
    List<MetricDefinition> metrics = new ArrayList<>();
    if (algorithm.metricDefinitions() != null) {
      algorithm
          .metricDefinitions()
          .forEach(d -> metrics.add(new MetricDefinition(d.name(), d.regex())));
    }
    List<Channel> channels = new ArrayList<>();
    if (r.inputDataConfig() != null) {
      for (var c : r.inputDataConfig()) {
        var s3 = c.dataSource().s3DataSource();
        channels.add(
            new Channel(
                c.channelName(),
                s3.s3DataType(),
                s3.s3Uri(),
                s3.s3DataDistributionType() == null
                    ? "FullyReplicated"
                    : s3.s3DataDistributionType(),
                c.contentType(),
                c.compressionType(),
                c.recordWrapperType(),
                c.inputMode()));
      }
    }
    List<Tag> tags = new ArrayList<>();
    if (r.tags() != null) {
      r.tags().forEach(t -> tags.add(new Tag(t.key(), t.value())));
    }
    long maxRuntime =
        r.stoppingCondition() == null || r.stoppingCondition().maxRuntimeInSeconds() == null
            ? DEFAULT_MAX_RUNTIME_SECONDS
            : r.stoppingCondition().maxRuntimeInSeconds();
    return new TrainingJobSpec(
        r.trainingJobName(),
        r.roleArn(),
        algorithm.trainingImage() != null ? algorithm.trainingImage() : algorithm.algorithmName(),
        algorithm.trainingInputMode(),
        orEmpty(algorithm.containerEntrypoint()),
        orEmpty(algorithm.containerArguments()),
        metrics,
        r.hyperParameters() == null ? Map.of() : Map.copyOf(r.hyperParameters()),
        r.environment() == null ? Map.of() : Map.copyOf(r.environment()),
        channels,
        r.outputDataConfig().s3OutputPath(),
        !"NONE".equals(r.outputDataConfig().compressionType()),
        resources.instanceType(),
        resources.instanceCount(),
        resources.volumeSizeInGB(),
        maxRuntime,
        tags,
        raw.toString());
  }

  /** The scheduler's query of a validated ListTrainingJobs request. */
  public TrainingJobQuery toQuery(ListTrainingJobsRequest r) {
    return new TrainingJobQuery(
        r.nameContains(),
        r.statusEquals() == null ? null : TrainingJobStatus.valueOf(r.statusEquals()),
        r.creationTimeAfter(),
        r.creationTimeBefore(),
        r.lastModifiedTimeAfter(),
        r.lastModifiedTimeBefore(),
        r.sortBy() == null ? "CreationTime" : r.sortBy(),
        r.sortOrder() == null ? SortOrder.Ascending : SortOrder.valueOf(r.sortOrder()),
        r.maxResults() == null ? 10 : r.maxResults(),
        r.nextToken());
  }

  /**
   * The DescribeTrainingJob output: the stored request's members that the output shape has, with
   * the computed members over them.
   */
  public Map<String, Object> toDescribe(TrainingJobView view) {
    TrainingJobSpec spec = view.spec();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("TrainingJobName", spec.name());
    out.put("TrainingJobArn", view.arn());
    out.put("ModelArtifacts", new ModelArtifacts(modelArtifacts(view)));
    out.put("TrainingJobStatus", view.status().name());
    out.put("SecondaryStatus", view.secondaryStatus().name());
    if (view.failureReason() != null) {
      String reason = view.failureReason();
      out.put("FailureReason", reason.length() > 1024 ? reason.substring(0, 1024) : reason);
    }
    ObjectNode echoed = echoedMembers(spec);
    echoed.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
    out.putIfAbsent("RoleArn", spec.roleArn());
    if (!out.containsKey("StoppingCondition")) {
      out.put("StoppingCondition", Map.of("MaxRuntimeInSeconds", spec.maxRuntimeSeconds()));
    }
    out.put("CreationTime", view.creationTime());
    putIfNotNull(out, "TrainingStartTime", view.trainingStartTime());
    putIfNotNull(out, "TrainingEndTime", view.trainingEndTime());
    putIfNotNull(out, "LastModifiedTime", view.lastModifiedTime());
    out.put("SecondaryStatusTransitions", transitions(view));
    if (view.finalMetrics() != null && !view.finalMetrics().isEmpty()) {
      List<MetricData> metrics = new ArrayList<>();
      for (MetricValue m : view.finalMetrics()) {
        metrics.add(new MetricData(m.metricName(), m.value(), m.timestamp()));
      }
      out.put("FinalMetricDataList", metrics);
    }
    if (view.trainingStartTime() != null && view.trainingEndTime() != null) {
      long seconds =
          Math.max(
              1, Duration.between(view.trainingStartTime(), view.trainingEndTime()).toSeconds());
      out.put("TrainingTimeInSeconds", seconds);
      out.put("BillableTimeInSeconds", seconds);
    }
    return out;
  }

  /** One entry of ListTrainingJobs. */
  public TrainingJobSummary toSummary(TrainingJobView view) {
    return new TrainingJobSummary(
        view.spec().name(),
        view.arn(),
        view.creationTime(),
        view.trainingEndTime(),
        view.lastModifiedTime(),
        view.status().name(),
        view.secondaryStatus().name());
  }

  private static List<SecondaryStatusTransition> transitions(TrainingJobView view) {
    List<SecondaryStatusTransition> list = new ArrayList<>();
    if (view.transitions() != null) {
      for (StatusTransition t : view.transitions()) {
        String message = t.statusMessage();
        if (message == null || message.isBlank()) {
          message = t.status().name();
        }
        list.add(
            new SecondaryStatusTransition(t.status().name(), t.startTime(), t.endTime(), message));
      }
    }
    return list;
  }

  private static String modelArtifacts(TrainingJobView view) {
    if (view.modelArtifactUri() != null) {
      return view.modelArtifactUri();
    }
    String base = view.spec().outputS3Path();
    base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    return base + "/" + view.spec().name() + "/output/model.tar.gz";
  }

  private ObjectNode echoedMembers(TrainingJobSpec spec) {
    ObjectNode result = json.mapper().createObjectNode();
    if (spec.requestJson() == null || spec.requestJson().isBlank()) {
      return result;
    }
    try {
      JsonNode stored = json.mapper().readTree(spec.requestJson());
      if (stored != null && stored.isObject()) {
        stored
            .fields()
            .forEachRemaining(
                e -> {
                  if (ECHOED.contains(e.getKey()) && !e.getValue().isNull()) {
                    result.set(e.getKey(), e.getValue());
                  }
                });
      }
    } catch (IOException e) {
      // a stored request that no longer parses is not echoed; the computed members still are
    }
    return result;
  }

  private static void putIfNotNull(Map<String, Object> out, String key, Object value) {
    if (value != null) {
      out.put(key, value);
    }
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }
}
