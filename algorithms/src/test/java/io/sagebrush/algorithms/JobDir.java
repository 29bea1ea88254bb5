package io.sagebrush.algorithms;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebrush.algorithms.container.OptMl;
import io.sagebrush.algorithms.container.TrainingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds an {@code /opt/ml} tree for tests: {@code JobDir.at(dir).hp("k","3").channel(...)}. */
public final class JobDir {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final OptMl optMl;
  private final Map<String, String> hps = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> channels = new LinkedHashMap<>();

  private JobDir(Path base) {
    this.optMl = new OptMl(base);
  }

  public static JobDir at(Path base) {
    return new JobDir(base);
  }

  public JobDir hp(String name, String value) {
    hps.put(name, value);
    return this;
  }

  /** A channel with one file {@code data.csv} (or the given name) holding {@code content}. */
  public JobDir channel(String name, String contentType, String file, String content) {
    Map<String, String> cfg = new LinkedHashMap<>();
    if (contentType != null) {
      cfg.put("ContentType", contentType);
    }
    cfg.put("TrainingInputMode", "File");
    channels.put(name, cfg);
    try {
      Path dir = Files.createDirectories(optMl.channelDir(name));
      Files.writeString(dir.resolve(file), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** A channel holding a copy of a test resource. */
  public JobDir channelFromResource(String name, String contentType, String resource, String file) {
    channel(name, contentType, file, "");
    try (var in = JobDir.class.getResourceAsStream(resource)) {
      Files.copy(
          in,
          optMl.channelDir(name).resolve(file),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  public JobDir channel(String name, String contentType, String content) {
    return channel(name, contentType, "data.csv", content);
  }

  /** Writes the config files. */
  public OptMl write() {
    try {
      Files.createDirectories(optMl.configDir());
      JSON.writeValue(optMl.configDir().resolve("hyperparameters.json").toFile(), hps);
      JSON.writeValue(optMl.configDir().resolve("inputdataconfig.json").toFile(), channels);
      Files.writeString(
          optMl.configDir().resolve("resourceconfig.json"),
          "{\"current_host\":\"algo-1\",\"hosts\":[\"algo-1\"]}");
      return optMl;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public TrainingConfig config() {
    return TrainingConfig.load(write());
  }
}
