package io.sagebrush.api.trainingjob;

import io.sagebrush.api.awsjson.Violations;
import io.sagebrush.api.trainingjob.TrainingJobWire.AlgorithmSpecification;
import io.sagebrush.api.trainingjob.TrainingJobWire.Channel;
import io.sagebrush.api.trainingjob.TrainingJobWire.CreateTrainingJobRequest;
import io.sagebrush.api.trainingjob.TrainingJobWire.ListTrainingJobsRequest;
import io.sagebrush.api.trainingjob.TrainingJobWire.MetricDefinition;
import io.sagebrush.api.trainingjob.TrainingJobWire.OutputDataConfig;
import io.sagebrush.api.trainingjob.TrainingJobWire.ResourceConfig;
import io.sagebrush.api.trainingjob.TrainingJobWire.S3DataSource;
import io.sagebrush.api.trainingjob.TrainingJobWire.StoppingCondition;
import io.sagebrush.artifacts.S3Uri;
import io.sagebrush.common.error.SagebrushException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The constraints of the SageMaker model that clients do not check (patterns, maximum lengths,
 * enums), plus the members Sagebrush needs for a classic container job. Messages use Coral's words
 * and camelCase member paths, e.g. {@code inputDataConfig.1.member.channelName}.
 */
public final class TrainingJobRequestValidator {
  public static final Pattern NAME = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
  static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+");
  static final Pattern CHANNEL_NAME = Pattern.compile("[A-Za-z0-9\\.\\-_]+");
  static final Pattern S3_URI = Pattern.compile("(https|s3)://([^/]+)/?(.*)");
  static final Pattern ENV_KEY = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  static final Pattern NAME_CONTAINS = Pattern.compile("[a-zA-Z0-9\\-]+");
  static final Pattern IMAGE = Pattern.compile("[\\S]+");
  static final Pattern METRIC_NAME = Pattern.compile(".+");
  public static final Pattern TAG = Pattern.compile("([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)");
  static final List<String> INPUT_MODES = List.of("Pipe", "File", "FastFile");
  static final List<String> S3_DATA_TYPES =
      List.of("ManifestFile", "S3Prefix", "AugmentedManifestFile", "Converse");
  static final List<String> DISTRIBUTIONS = List.of("FullyReplicated", "ShardedByS3Key");
  static final List<String> CHANNEL_COMPRESSION = List.of("None", "Gzip");
  static final List<String> RECORD_WRAPPERS = List.of("None", "RecordIO");
  static final List<String> OUTPUT_COMPRESSION = List.of("GZIP", "NONE");
  static final List<String> STATUSES =
      List.of("InProgress", "Completed", "Failed", "Stopping", "Stopped");
  static final List<String> SORT_BY = List.of("Name", "CreationTime", "Status");

  private TrainingJobRequestValidator() {}

  /**
   * @throws io.sagebrush.common.error.SagebrushException VALIDATION naming every violation
   */
  public static void validateCreate(CreateTrainingJobRequest r) {
    Violations v = Violations.validation();
    if (v.required("trainingJobName", r.trainingJobName())) {
      name(v, "trainingJobName", r.trainingJobName());
    }
    if (v.required("roleArn", r.roleArn())) {
      v.length("roleArn", r.roleArn(), 20, 2048);
      v.pattern("roleArn", r.roleArn(), ROLE_ARN);
    }
    algorithm(v, r.algorithmSpecification());
    hyperParameters(v, r.hyperParameters());
    if (r.inputDataConfig() != null) {
      v.size("inputDataConfig", r.inputDataConfig(), 1, 20);
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < r.inputDataConfig().size(); i++) {
        channel(v, "inputDataConfig." + (i + 1) + ".member", r.inputDataConfig().get(i), seen);
      }
    }
    output(v, r.outputDataConfig());
    resources(v, r.resourceConfig());
    stopping(v, r.stoppingCondition());
    environment(v, r.environment());
    tags(v, "tags", r.tags());
    v.throwIfAny();
  }

  /**
   * @throws io.sagebrush.common.error.SagebrushException VALIDATION
   */
  public static void validateName(String path, String name) {
    Violations v = Violations.validation();
    if (v.required(path, name)) {
      name(v, path, name);
    }
    v.throwIfAny();
  }

  /**
   * @throws io.sagebrush.common.error.SagebrushException VALIDATION
   */
  public static void validateList(ListTrainingJobsRequest r) {
    Violations v = Violations.validation();
    v.listing(r.maxResults(), r.nameContains(), NAME_CONTAINS);
    v.oneOf("statusEquals", r.statusEquals(), STATUSES);
    v.sort(r.sortBy(), SORT_BY, r.sortOrder());
    v.nextToken(r.nextToken());
    v.throwIfAny();
  }

  /** Tag list constraints shared with AddTags. */
  public static void tags(Violations v, String path, List<TrainingJobWire.Tag> tags) {
    if (tags == null) {
      return;
    }
    v.size(path, tags, 0, 50);
    for (int i = 0; i < tags.size(); i++) {
      String p = path + "." + (i + 1) + ".member";
      TrainingJobWire.Tag tag = tags.get(i);
      if (tag == null) {
        v.required(p, null);
        continue;
      }
      if (v.required(p + ".key", tag.key())) {
        v.length(p + ".key", tag.key(), 1, 128);
        v.pattern(p + ".key", tag.key(), TAG);
      }
      if (v.required(p + ".value", tag.value())) {
        v.length(p + ".value", tag.value(), 0, 256);
        v.pattern(p + ".value", tag.value(), TAG);
      }
    }
  }

  private static void name(Violations v, String path, String name) {
    v.name(path, name, 1, NAME);
  }

  private static void algorithm(Violations v, AlgorithmSpecification a) {
    String p = "algorithmSpecification";
    if (!v.required(p, a)) {
      return;
    }
    if (a.trainingImage() == null && a.algorithmName() == null) {
      v.add(
          p + ".trainingImage",
          null,
          "Member must not be null when algorithmSpecification.algorithmName is absent");
    }
    v.length(p + ".trainingImage", a.trainingImage(), 1, 255);
    v.pattern(p + ".trainingImage", a.trainingImage(), IMAGE);
    v.length(p + ".algorithmName", a.algorithmName(), 1, 170);
    if (v.required(p + ".trainingInputMode", a.trainingInputMode())) {
      v.oneOf(p + ".trainingInputMode", a.trainingInputMode(), INPUT_MODES);
    }
    v.size(p + ".containerEntrypoint", a.containerEntrypoint(), 1, 100);
    v.size(p + ".containerArguments", a.containerArguments(), 1, 100);
    strings(v, p + ".containerEntrypoint", a.containerEntrypoint(), 256);
    strings(v, p + ".containerArguments", a.containerArguments(), 256);
    List<MetricDefinition> metrics = a.metricDefinitions();
    if (metrics != null) {
      v.size(p + ".metricDefinitions", metrics, 0, 40);
      for (int i = 0; i < metrics.size(); i++) {
        String m = p + ".metricDefinitions." + (i + 1) + ".member";
        MetricDefinition d = metrics.get(i);
        if (!v.required(m, d)) {
          continue;
        }
        if (v.required(m + ".name", d.name())) {
          v.length(m + ".name", d.name(), 1, 255);
        }
        if (v.required(m + ".regex", d.regex())) {
          v.length(m + ".regex", d.regex(), 1, 500);
          try {
            Pattern.compile(d.regex());
          } catch (PatternSyntaxException e) {
            v.add(m + ".regex", d.regex(), "Member must be a valid regular expression");
          }
        }
      }
    }
  }

  private static void strings(Violations v, String path, List<String> values, int max) {
    if (values == null) {
      return;
    }
    for (int i = 0; i < values.size(); i++) {
      String s = values.get(i);
      if (v.required(path + "." + (i + 1) + ".member", s)) {
        v.length(path + "." + (i + 1) + ".member", s, 1, max);
      }
    }
  }

  private static void hyperParameters(Violations v, Map<String, String> map) {
    if (map == null) {
      return;
    }
    v.size("hyperParameters", map, 100);
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (e.getKey().length() > 256) {
        v.add(
            "hyperParameters",
            e.getKey(),
            "Map keys must satisfy constraint: [Member must have length less than or equal to 256]");
      }
      if (e.getValue() == null) {
        v.add("hyperParameters." + e.getKey(), null, "Member must not be null");
      } else if (e.getValue().length() > 2500) {
        v.add(
            "hyperParameters." + e.getKey(),
            abbreviate(e.getValue()),
            "Map value must satisfy constraint: [Member must have length less than or equal to 2500]");
      }
    }
  }

  private static void environment(Violations v, Map<String, String> map) {
    if (map == null) {
      return;
    }
    v.size("environment", map, 100);
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (e.getKey().length() > 512 || !ENV_KEY.matcher(e.getKey()).matches()) {
        v.add(
            "environment",
            e.getKey(),
            "Map keys must satisfy constraint: [Member must have length less than or equal to 512,"
                + " Member must satisfy regular expression pattern: "
                + ENV_KEY.pattern()
                + "]");
      }
      if (e.getValue() == null) {
        v.add("environment." + e.getKey(), null, "Member must not be null");
      } else if (e.getValue().length() > 512) {
        v.add(
            "environment." + e.getKey(),
            abbreviate(e.getValue()),
            "Map value must satisfy constraint: [Member must have length less than or equal to 512]");
      }
    }
  }

  private static void channel(Violations v, String p, Channel c, Set<String> seen) {
    if (!v.required(p, c)) {
      return;
    }
    if (v.required(p + ".channelName", c.channelName())) {
      v.length(p + ".channelName", c.channelName(), 1, 64);
      v.pattern(p + ".channelName", c.channelName(), CHANNEL_NAME);
      if (!seen.add(c.channelName())) {
        v.add(p + ".channelName", c.channelName(), "Channel names must be unique");
      }
    }
    v.length(p + ".contentType", c.contentType(), 0, 256);
    v.oneOf(p + ".compressionType", c.compressionType(), CHANNEL_COMPRESSION);
    v.oneOf(p + ".recordWrapperType", c.recordWrapperType(), RECORD_WRAPPERS);
    v.oneOf(p + ".inputMode", c.inputMode(), INPUT_MODES);
    if (!v.required(p + ".dataSource", c.dataSource())) {
      return;
    }
    S3DataSource s3 = c.dataSource().s3DataSource();
    String sp = p + ".dataSource.s3DataSource";
    if (s3 == null) {
      v.add(sp, null, "Member must not be null (Sagebrush reads channels from S3 only)");
      return;
    }
    if (v.required(sp + ".s3DataType", s3.s3DataType())) {
      v.oneOf(sp + ".s3DataType", s3.s3DataType(), S3_DATA_TYPES);
      if (S3_DATA_TYPES.contains(s3.s3DataType())
          && !s3.s3DataType().equals("S3Prefix")
          && !s3.s3DataType().equals("ManifestFile")) {
        v.add(
            sp + ".s3DataType",
            s3.s3DataType(),
            "Sagebrush supports S3Prefix and ManifestFile only");
      }
    }
    s3Uri(v, sp + ".s3Uri", s3.s3Uri(), true);
    v.oneOf(sp + ".s3DataDistributionType", s3.s3DataDistributionType(), DISTRIBUTIONS);
  }

  private static void s3Uri(Violations v, String path, String uri, boolean required) {
    if (required && !v.required(path, uri)) {
      return;
    }
    if (uri == null) {
      return;
    }
    v.length(path, uri, 0, 1024);
    if (!S3_URI.matcher(uri).matches()) {
      v.pattern(path, uri, S3_URI);
    } else if (!uri.startsWith("s3://")) {
      v.add(path, uri, "Sagebrush reads and writes s3:// URIs only");
    } else {
      try {
        S3Uri.parse(uri);
      } catch (SagebrushException e) {
        v.add(path, uri, e.getMessage());
      }
    }
  }

  private static void output(Violations v, OutputDataConfig o) {
    String p = "outputDataConfig";
    if (!v.required(p, o)) {
      return;
    }
    s3Uri(v, p + ".s3OutputPath", o.s3OutputPath(), true);
    v.length(p + ".kmsKeyId", o.kmsKeyId(), 0, 2048);
    v.oneOf(p + ".compressionType", o.compressionType(), OUTPUT_COMPRESSION);
  }

  private static void resources(Violations v, ResourceConfig r) {
    String p = "resourceConfig";
    if (!v.required(p, r)) {
      return;
    }
    v.required(p + ".instanceType", r.instanceType());
    if (v.required(p + ".instanceCount", r.instanceCount())) {
      v.range(p + ".instanceCount", r.instanceCount(), 1, Integer.MAX_VALUE);
    }
    if (v.required(p + ".volumeSizeInGB", r.volumeSizeInGB())) {
      v.range(p + ".volumeSizeInGB", r.volumeSizeInGB(), 1, Integer.MAX_VALUE);
    }
    v.range(p + ".keepAlivePeriodInSeconds", r.keepAlivePeriodInSeconds(), 0, 21600);
    if (r.instanceGroups() != null && !r.instanceGroups().isEmpty()) {
      v.add(p + ".instanceGroups", "[...]", "Sagebrush does not support heterogeneous clusters");
    }
  }

  /** 28 days, SageMaker's upper bound for MaxRuntimeInSeconds. */
  static final long MAX_RUNTIME_SECONDS = 2_419_200;

  private static void stopping(Violations v, StoppingCondition s) {
    if (s == null) {
      return;
    }
    // SageMaker allows at most 28 days
    v.range(
        "stoppingCondition.maxRuntimeInSeconds", s.maxRuntimeInSeconds(), 1, MAX_RUNTIME_SECONDS);
    v.range(
        "stoppingCondition.maxWaitTimeInSeconds", s.maxWaitTimeInSeconds(), 1, MAX_RUNTIME_SECONDS);
    v.range(
        "stoppingCondition.maxPendingTimeInSeconds", s.maxPendingTimeInSeconds(), 7200, 2419200);
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 61) + "...";
  }
}
