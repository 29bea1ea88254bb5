package io.sagebrush.algorithms.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a training container learns from {@code /opt/ml/input/config}: hyperparameters, channels and
 * the current host.
 *
 * @param optMl the directory tree
 * @param hyperparameters the raw hyperparameter strings
 * @param channels channels by name, in the order of inputdataconfig.json
 * @param currentHost e.g. {@code algo-1}
 */
public record TrainingConfig(
    OptMl optMl,
    Hyperparameters hyperparameters,
    Map<String, ChannelConfig> channels,
    String currentHost) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Reads the three config files. A missing hyperparameters.json means no hyperparameters; a
   * missing inputdataconfig.json means every directory under {@code input/data} is a channel
   * without a content type.
   *
   * @throws AlgorithmException when a file is not valid JSON
   */
  public static TrainingConfig load(OptMl optMl) {
    Path config = optMl.configDir();
    Map<String, String> hps = new LinkedHashMap<>();
    JsonNode hpNode = readJson(config.resolve("hyperparameters.json"));
    if (hpNode != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = hpNode.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        hps.put(
            e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
      }
    }
    Map<String, ChannelConfig> channels = new LinkedHashMap<>();
    JsonNode dataNode = readJson(config.resolve("inputdataconfig.json"));
    if (dataNode != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = dataNode.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode ct = e.getValue().get("ContentType");
        channels.put(
            e.getKey(),
            new ChannelConfig(
                e.getKey(),
                ct == null || ct.isNull() ? null : ct.asText(),
                optMl.channelDir(e.getKey())));
      }
    } else {
      Path data = optMl.base().resolve("input").resolve("data");
      if (Files.isDirectory(data)) {
        try (Stream<Path> dirs = Files.list(data)) {
          dirs.filter(Files::isDirectory)
              .sorted()
              .forEach(
                  d -> {
                    String name = d.getFileName().toString();
                    channels.put(name, new ChannelConfig(name, null, d));
                  });
        } catch (IOException e) {
          throw new AlgorithmException("cannot list " + data + ": " + e.getMessage(), e);
        }
      }
    }
    JsonNode resource = readJson(config.resolve("resourceconfig.json"));
    String host =
        resource != null && resource.hasNonNull("current_host")
            ? resource.get("current_host").asText()
            : "algo-1";
    return new TrainingConfig(optMl, new Hyperparameters(hps), channels, host);
  }

  private static JsonNode readJson(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(file.toFile());
      if (node == null || !node.isObject()) {
        throw new AlgorithmException(
            "input/config/" + file.getFileName() + " must hold a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new AlgorithmException(
          "input/config/" + file.getFileName() + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** The channel, or null when the job has none of that name. */
  public ChannelConfig channel(String name) {
    return channels.get(name);
  }

  /**
   * The channel that must exist.
   *
   * @throws AlgorithmException naming the channel when absent
   */
  public ChannelConfig requiredChannel(String name) {
    ChannelConfig c = channels.get(name);
    if (c == null || !Files.isDirectory(c.dir())) {
      throw new AlgorithmException(
          "the '" + name + "' channel is required (InputDataConfig has " + channels.keySet() + ")");
    }
    return c;
  }
}
