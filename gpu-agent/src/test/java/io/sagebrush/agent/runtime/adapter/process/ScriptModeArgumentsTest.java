package io.sagebrush.agent.runtime.adapter.process;

import static io.sagebrush.agent.testing.TaskBuilder.aTrainingTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.protocol.TaskAssignment;
import org.junit.jupiter.api.Test;

class ScriptModeArgumentsTest {
  @Test
  void nonSageMakerHyperParametersBecomeSortedArgumentsWithJsonStringsDecoded() {
    TaskAssignment task =
        aTrainingTask("script")
            .withHyperParameter("sagemaker_program", "\"train.py\"")
            .withHyperParameter("sagemaker_submit_directory", "\"s3://b/src.tar.gz\"")
            .withHyperParameter("lr", "\"0.1\"")
            .withHyperParameter("epochs", "3")
            .withHyperParameter("verbose", "true")
            .withHyperParameter("name", "plain text")
            .build();

    assertThat(ProcessRuntime.scriptProgram(task)).isEqualTo("train.py");
    assertThat(ProcessRuntime.scriptArguments(task))
        .containsExactly(
            "--epochs", "3", "--lr", "0.1", "--name", "plain text", "--verbose", "True");
  }

  @Test
  void aJobWithoutSagemakerProgramIsNotScriptMode() {
    assertThat(ProcessRuntime.scriptProgram(aTrainingTask("x").build())).isNull();
  }
}
