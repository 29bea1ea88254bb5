package io.sagebrush.agent.runtime.adapter.process;

import static io.sagebrush.agent.testing.TaskBuilder.aTrainingTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagebrush.agent.runtime.StageFailure;
import io.sagebrush.protocol.TaskAssignment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlgorithmsJarTest {
  @TempDir Path dir;

  @Test
  void commandRunsTheJarWithTheAlgorithmAndBaseDir() throws Exception {
    Path jar = Files.writeString(dir.resolve("sagebrush-algorithms.jar"), "");
    AlgorithmsJar builtIn = new AlgorithmsJar(Map.of(AlgorithmsJar.JAR_ENV, jar.toString()));
    TaskAssignment task =
        aTrainingTask("ll")
            .withImage("382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1")
            .build();

    List<String> command = builtIn.command(task, task.hosts().get(0), dir.resolve("opt/ml"));

    assertThat(command.get(0)).endsWith("java");
    assertThat(command.subList(1, command.size()))
        .containsExactly(
            "-jar",
            jar.toAbsolutePath().toString(),
            "train",
            "--algorithm",
            "linear-learner",
            "--base-dir",
            dir.resolve("opt/ml").toAbsolutePath().toString());
  }

  @Test
  void aMissingConfiguredJarIsAClearFailure() {
    AlgorithmsJar builtIn =
        new AlgorithmsJar(Map.of(AlgorithmsJar.JAR_ENV, dir.resolve("nope.jar").toString()));

    assertThatThrownBy(builtIn::locate)
        .isInstanceOf(StageFailure.class)
        .hasMessage(
            "AlgorithmError: SAGEBRUSH_ALGORITHMS_JAR points to "
                + dir.resolve("nope.jar")
                + ", which is not a file");
  }

  @Test
  void handlesOnlyBuiltInImages() {
    AlgorithmsJar builtIn = new AlgorithmsJar(Map.of());

    assertThat(builtIn.handles("sagebrush/kmeans:1")).isTrue();
    assertThat(builtIn.handles("my/trainer:1")).isFalse();
  }

  @Test
  void isRegisteredForTheServiceLoader() {
    assertThat(
            ServiceLoader.load(BuiltInAlgorithm.class).stream().map(ServiceLoader.Provider::type))
        .contains(AlgorithmsJar.class);
  }
}
