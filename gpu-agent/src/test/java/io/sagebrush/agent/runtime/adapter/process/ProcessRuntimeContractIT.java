package io.sagebrush.agent.runtime.adapter.process;

import static io.sagebrush.agent.testing.TaskBuilder.aTrainingTask;

import io.sagebrush.agent.runtime.ContainerRuntime;
import io.sagebrush.agent.runtime.ContainerRuntimeContract;
import io.sagebrush.protocol.HostSpec;
import io.sagebrush.protocol.TaskAssignment;
import java.nio.file.Path;
import java.util.List;

/**
 * The runtime contract against local processes, through the built-in algorithm hook: a test
 * algorithm runs {@code sh -c} with the script from the task's environment.
 */
class ProcessRuntimeContractIT extends ContainerRuntimeContract {
  private static final BuiltInAlgorithm SHELL =
      new BuiltInAlgorithm() {
        @Override
        public boolean handles(String image) {
          return image.equals("test/shell:1");
        }

        @Override
        public List<String> command(TaskAssignment task, HostSpec host, Path optMl) {
          return List.of("sh", "-c", task.environment().get("SCRIPT"));
        }
      };

  private final ProcessRuntime runtime = new ProcessRuntime("python3", List.of(SHELL));

  @Override
  protected ContainerRuntime runtime() {
    return runtime;
  }

  @Override
  protected TaskAssignment shellTask(String script) {
    return aTrainingTask("contract-process")
        .withImage("test/shell:1")
        .withEnvironment("SCRIPT", script)
        .build();
  }
}
