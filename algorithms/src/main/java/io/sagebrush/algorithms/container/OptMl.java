package io.sagebrush.algorithms.container;

import java.nio.file.Path;

/**
 * The {@code /opt/ml} directory tree of a SageMaker container, rooted anywhere (the process runtime
 * runs jobs under its own job directory).
 *
 * @param base the directory that stands for {@code /opt/ml}
 */
public record OptMl(Path base) {
  /** The real {@code /opt/ml}. */
  public static final Path DEFAULT = Path.of("/opt/ml");

  /** {@code input/config}: hyperparameters.json, inputdataconfig.json, resourceconfig.json. */
  public Path configDir() {
    return base.resolve("input").resolve("config");
  }

  /** {@code input/data/<channel>}. */
  public Path channelDir(String channel) {
    return base.resolve("input").resolve("data").resolve(channel);
  }

  /** {@code model}: what training leaves here becomes model.tar.gz; serving reads it. */
  public Path modelDir() {
    return base.resolve("model");
  }

  /** {@code output}: holds the {@code failure} file. */
  public Path outputDir() {
    return base.resolve("output");
  }

  /** {@code output/failure}: its first 1024 characters become the FailureReason. */
  public Path failureFile() {
    return outputDir().resolve("failure");
  }
}
