package io.sagebrush.algorithms.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagebrush.algorithms.JobDir;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingConfigTest {
  @TempDir Path dir;

  @Test
  void readsHyperparametersChannelsAndHost() {
    TrainingConfig config =
        JobDir.at(dir)
            .hp("k", "3")
            .channel("train", "text/csv;label_size=0", "1,2\n")
            .channel("test", null, "1,2\n")
            .config();

    assertThat(config.hyperparameters().raw("k")).isEqualTo("3");
    assertThat(config.channels()).containsOnlyKeys("train", "test");
    assertThat(config.channel("train").mediaType()).isEqualTo("text/csv");
    assertThat(config.channel("train").parameters()).containsEntry("label_size", "0");
    assertThat(config.channel("test").mediaType()).isNull();
    assertThat(config.currentHost()).isEqualTo("algo-1");
  }

  @Test
  void missingRequiredChannelIsNamed() {
    TrainingConfig config = JobDir.at(dir).channel("validation", "text/csv", "1,2\n").config();

    assertThatThrownBy(() -> config.requiredChannel("train"))
        .hasMessage("the 'train' channel is required (InputDataConfig has [validation])");
  }

  @Test
  void invalidJsonNamesTheFile() throws Exception {
    OptMl optMl = JobDir.at(dir).write();
    Files.writeString(optMl.configDir().resolve("hyperparameters.json"), "{not json");

    assertThatThrownBy(() -> TrainingConfig.load(optMl))
        .isInstanceOf(AlgorithmException.class)
        .hasMessageStartingWith("input/config/hyperparameters.json is not valid JSON");
  }

  @Test
  void withoutInputDataConfigEveryDataDirectoryIsAChannel() throws Exception {
    Files.createDirectories(dir.resolve("input/data/train"));

    assertThat(TrainingConfig.load(new OptMl(dir)).channels()).containsOnlyKeys("train");
  }
}
