package io.sagebrush.agent.runtime.adapter.docker;

import static io.sagebrush.agent.testing.TaskBuilder.aTrainingTask;

import io.sagebrush.agent.runtime.ContainerRuntime;
import io.sagebrush.agent.runtime.ContainerRuntimeContract;
import io.sagebrush.protocol.TaskAssignment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The runtime contract against the real Docker engine with {@code sagebrush-test/busybox:1}. */
class DockerRuntimeContractIT extends ContainerRuntimeContract {
  private static DockerRuntime docker;

  @BeforeAll
  static void connect() {
    docker = DockerRuntime.connect(null);
  }

  @AfterAll
  static void disconnect() {
    docker.close();
  }

  @Override
  protected ContainerRuntime runtime() {
    return docker;
  }

  @Override
  protected TaskAssignment shellTask(String script) {
    return aTrainingTask("contract-docker").runningShell(script).build();
  }
}
