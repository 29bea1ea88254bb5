package io.sagebrush.agent.testing;

import io.sagebrush.protocol.ChannelSpec;
import io.sagebrush.protocol.HostSpec;
import io.sagebrush.protocol.OutputSpec;
import io.sagebrush.protocol.ResourceSpec;
import io.sagebrush.protocol.ServingSpec;
import io.sagebrush.protocol.TaskAssignment;
import io.sagebrush.protocol.TaskKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds {@link TaskAssignment}s for tests: {@code aTrainingTask("job").withHosts(2).build()},
 * {@code aServingTask("endpoint").withModelData("s3://m/model.tar.gz").build()}.
 */
public final class TaskBuilder {
  private final String jobName;
  private String taskId = UUID.randomUUID().toString();
  private String image = "sagebrush-test/busybox:1";
  private List<String> entrypoint = List.of();
  private List<String> arguments = List.of();
  private final Map<String, String> environment = new LinkedHashMap<>();
  private final Map<String, String> hyperParameters = new LinkedHashMap<>();
  private final List<ChannelSpec> channels = new ArrayList<>();
  private int hosts = 1;
  private String outputPath = "s3://out/models";
  private boolean compressed = true;
  private double cpus = 1;
  private long memoryMb = 256;
  private long maxRuntimeSeconds = 300;
  private long stopGraceSeconds = 5;
  private ServingSpec serving;

  private TaskBuilder(String jobName) {
    this.jobName = jobName;
  }

  public static TaskBuilder aTrainingTask(String jobName) {
    return new TaskBuilder(jobName);
  }

  /**
   * A serving task for variant {@code AllTraffic} of the endpoint: the built-in XGBoost image, no
   * model data, port 8080, 60 s to start.
   */
  public static TaskBuilder aServingTask(String endpointName) {
    TaskBuilder b = new TaskBuilder(endpointName);
    b.image = "sagebrush/xgboost:1";
    b.serving =
        new ServingSpec(endpointName, "AllTraffic", endpointName + "-model", null, 60, 60, 8080);
    return b;
  }

  /** The serving task's ModelDataUrl. */
  public TaskBuilder withModelData(String url) {
    serving =
        new ServingSpec(
            serving.endpointName(),
            serving.variantName(),
            serving.modelName(),
            url,
            serving.downloadTimeoutSeconds(),
            serving.startupTimeoutSeconds(),
            serving.containerPort());
    return this;
  }

  /** The serving task's startup health-check budget. */
  public TaskBuilder withStartupTimeoutSeconds(long seconds) {
    serving =
        new ServingSpec(
            serving.endpointName(),
            serving.variantName(),
            serving.modelName(),
            serving.modelDataUrl(),
            serving.downloadTimeoutSeconds(),
            seconds,
            serving.containerPort());
    return this;
  }

  public TaskBuilder withTaskId(String id) {
    this.taskId = id;
    return this;
  }

  public TaskBuilder withImage(String image) {
    this.image = image;
    return this;
  }

  /** Runs {@code sh -c script} instead of {@code train}. */
  public TaskBuilder runningShell(String script) {
    this.entrypoint = List.of("sh", "-c", script);
    return this;
  }

  public TaskBuilder withEnvironment(String name, String value) {
    environment.put(name, value);
    return this;
  }

  public TaskBuilder withHyperParameter(String name, String value) {
    hyperParameters.put(name, value);
    return this;
  }

  public TaskBuilder withChannel(String name, String s3Uri, String distribution) {
    channels.add(new ChannelSpec(name, "S3Prefix", s3Uri, distribution, null, null, null, null));
    return this;
  }

  /** An S3Prefix channel with a ContentType, e.g. {@code text/csv;label_size=0}. */
  public TaskBuilder withChannel(
      String name, String s3Uri, String distribution, String contentType) {
    channels.add(
        new ChannelSpec(name, "S3Prefix", s3Uri, distribution, contentType, null, null, null));
    return this;
  }

  public TaskBuilder withManifestChannel(String name, String manifestUri) {
    channels.add(
        new ChannelSpec(
            name, "ManifestFile", manifestUri, "FullyReplicated", "text/csv", null, null, null));
    return this;
  }

  public TaskBuilder withHosts(int count) {
    this.hosts = count;
    return this;
  }

  public TaskBuilder withOutputPath(String s3Uri) {
    this.outputPath = s3Uri;
    return this;
  }

  public TaskBuilder uncompressed() {
    this.compressed = false;
    return this;
  }

  public TaskBuilder withResources(double cpus, long memoryMb) {
    this.cpus = cpus;
    this.memoryMb = memoryMb;
    return this;
  }

  public TaskBuilder withMaxRuntimeSeconds(long seconds) {
    this.maxRuntimeSeconds = seconds;
    return this;
  }

  public TaskBuilder withStopGraceSeconds(long seconds) {
    this.stopGraceSeconds = seconds;
    return this;
  }

  public String modelUri() {
    return outputPath + "/" + jobName + "/output/model.tar.gz";
  }

  public String outputDataUri() {
    return outputPath + "/" + jobName + "/output/output.tar.gz";
  }

  public TaskAssignment build() {
    List<HostSpec> hostSpecs = new ArrayList<>();
    for (int i = 1; i <= hosts; i++) {
      hostSpecs.add(new HostSpec("algo-" + i, jobName + "/algo-" + i + "-1732600000", List.of()));
    }
    Map<String, String> env = new LinkedHashMap<>(environment);
    if (serving != null) {
      return new TaskAssignment(
          taskId,
          TaskKind.SERVING,
          jobName,
          "arn:aws:sagemaker:us-east-1:000000000000:endpoint/" + jobName,
          image,
          entrypoint,
          arguments,
          env,
          Map.of(),
          List.of(),
          List.of(new HostSpec("algo-1", serving.variantName() + "/replica-1", List.of())),
          null,
          new ResourceSpec(cpus, memoryMb),
          "ml.m5.large",
          null,
          0,
          stopGraceSeconds,
          serving);
    }
    env.putIfAbsent("TRAINING_JOB_NAME", jobName);
    return new TaskAssignment(
        taskId,
        TaskKind.TRAINING,
        jobName,
        "arn:aws:sagemaker:us-east-1:000000000000:training-job/" + jobName,
        image,
        entrypoint,
        arguments,
        env,
        new LinkedHashMap<>(hyperParameters),
        List.copyOf(channels),
        hostSpecs,
        new OutputSpec(modelUri(), outputDataUri(), compressed),
        new ResourceSpec(cpus, memoryMb),
        "ml.m5.large",
        "File",
        maxRuntimeSeconds,
        stopGraceSeconds);
  }
}
