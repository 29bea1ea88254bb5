package io.sagebrush.agent.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebrush.protocol.ChannelSpec;
import io.sagebrush.protocol.HostSpec;
import io.sagebrush.protocol.TaskAssignment;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment of a training host: the task's variables plus the {@code SM_*} variables that
 * sagemaker-training-toolkit would compute, with paths under a given {@code /opt/ml} root.
 */
public final class SageMakerEnvironment {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SageMakerEnvironment() {}

  /**
   * Builds the environment for one host.
   *
   * @param task the task
   * @param host the host
   * @param optMl the {@code /opt/ml} directory as the host sees it
   * @param cpus CPU cores the host gets
   */
  public static Map<String, String> forHost(
      TaskAssignment task, HostSpec host, String optMl, int cpus) {
    Map<String, String> env = new LinkedHashMap<>();
    if (task.environment() != null) {
      env.putAll(task.environment());
    }
    Map<String, String> hps = hyperParameters(task);
    List<String> channels = new ArrayList<>();
    for (ChannelSpec c : channels(task)) {
      channels.add(c.name());
    }
    List<String> hosts = hostNames(task);
    env.put("SM_MODEL_DIR", optMl + "/model");
    env.put("SM_INPUT_DIR", optMl + "/input");
    env.put("SM_INPUT_CONFIG_DIR", optMl + "/input/config");
    env.put("SM_OUTPUT_DIR", optMl + "/output");
    env.put("SM_OUTPUT_DATA_DIR", optMl + "/output/data");
    env.put("SM_OUTPUT_INTERMEDIATE_DIR", optMl + "/output/intermediate");
    env.put("SM_CHANNELS", json(channels));
    for (String channel : channels) {
      env.put("SM_CHANNEL_" + channel.toUpperCase(Locale.ROOT), optMl + "/input/data/" + channel);
    }
    env.put("SM_HPS", json(decodedHyperParameters(hps)));
    for (Map.Entry<String, String> hp : hps.entrySet()) {
      env.put("SM_HP_" + hp.getKey().toUpperCase(Locale.ROOT), hp.getValue());
    }
    env.put("SM_HOSTS", json(hosts));
    env.put("SM_CURRENT_HOST", host.hostName());
    env.put("SM_CURRENT_INSTANCE_TYPE", String.valueOf(task.instanceType()));
    env.put("SM_NETWORK_INTERFACE_NAME", "eth0");
    env.put("SM_NUM_CPUS", String.valueOf(cpus));
    int gpus = host.gpuIndices() == null ? 0 : host.gpuIndices().size();
    env.put("SM_NUM_GPUS", String.valueOf(gpus));
    env.put("SM_NUM_NEURONS", "0");
    env.put("SM_RESOURCE_CONFIG", json(resourceConfig(task, host)));
    env.put("SM_INPUT_DATA_CONFIG", json(inputDataConfig(task)));
    if (task.jobName() != null) {
      env.putIfAbsent("TRAINING_JOB_NAME", task.jobName());
    }
    if (task.jobArn() != null) {
      env.putIfAbsent("TRAINING_JOB_ARN", task.jobArn());
    }
    return env;
  }

  /** The hyperparameters in key order (never null). */
  public static Map<String, String> hyperParameters(TaskAssignment task) {
    return task.hyperParameters() == null ? new TreeMap<>() : new TreeMap<>(task.hyperParameters());
  }

  /** Each value JSON-decoded where it parses, else kept as the string (as the toolkit does). */
  public static Map<String, Object> decodedHyperParameters(Map<String, String> hps) {
    Map<String, Object> decoded = new TreeMap<>();
    hps.forEach((k, v) -> decoded.put(k, decode(v)));
    return decoded;
  }

  /** JSON-decodes one value, falling back to the raw string. */
  public static Object decode(String value) {
    if (value == null) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(value);
      if (node == null || node.isMissingNode()) {
        return value;
      }
      return JSON.treeToValue(node, Object.class);
    } catch (JsonProcessingException e) {
      return value;
    }
  }

  /** The content of {@code resourceconfig.json} for a host. */
  public static Map<String, Object> resourceConfig(TaskAssignment task, HostSpec host) {
    List<String> hosts = hostNames(task);
    Map<String, Object> group = new LinkedHashMap<>();
    group.put("instance_group_name", "homogeneousCluster");
    group.put("instance_type", task.instanceType());
    group.put("hosts", hosts);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("current_host", host.hostName());
    config.put("current_instance_type", task.instanceType());
    config.put("current_group_name", "homogeneousCluster");
    config.put("hosts", hosts);
    config.put("instance_groups", List.of(group));
    config.put("network_interface_name", "eth0");
    return config;
  }

  /** The content of {@code inputdataconfig.json}. */
  public static Map<String, Object> inputDataConfig(TaskAssignment task) {
    Map<String, Object> config = new LinkedHashMap<>();
    for (ChannelSpec c : channels(task)) {
      Map<String, Object> entry = new LinkedHashMap<>();
      if (c.contentType() != null) {
        entry.put("ContentType", c.contentType());
      }
      String mode = c.inputMode() != null ? c.inputMode() : task.inputMode();
      entry.put("TrainingInputMode", mode == null ? "File" : mode);
      entry.put(
          "S3DistributionType", c.distribution() == null ? "FullyReplicated" : c.distribution());
      entry.put(
          "RecordWrapperType", c.recordWrapperType() == null ? "None" : c.recordWrapperType());
      if (c.compressionType() != null) {
        entry.put("CompressionType", c.compressionType());
      }
      config.put(c.name(), entry);
    }
    return config;
  }

  /** The task's host names in order. */
  public static List<String> hostNames(TaskAssignment task) {
    List<String> names = new ArrayList<>();
    for (HostSpec h : task.hosts()) {
      names.add(h.hostName());
    }
    return names;
  }

  private static List<ChannelSpec> channels(TaskAssignment task) {
    return task.channels() == null ? List.of() : task.channels();
  }

  /** Serializes a value as compact JSON. */
  public static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
