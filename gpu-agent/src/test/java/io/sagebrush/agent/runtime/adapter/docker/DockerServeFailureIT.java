package io.sagebrush.agent.runtime.adapter.docker;

import static io.sagebrush.agent.testing.TaskBuilder.aServingTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.sagebrush.agent.runtime.JobWorkspace;
import io.sagebrush.agent.runtime.StageFailure;
import io.sagebrush.agent.runtime.TaskRun;
import io.sagebrush.agent.testing.Invocations;
import io.sagebrush.protocol.TaskAssignment;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A serving container that was created and started is removed when anything fails before {@link
 * DockerRuntime#serve} hands it over: the real engine, behind a client that breaks the inspection
 * that follows the start.
 */
class DockerServeFailureIT {
  private static final String BUSYBOX = "sagebrush-test/busybox:1";

  @TempDir Path dir;
  private static DockerClient client;

  @BeforeAll
  static void connect() throws Exception {
    Process inspect = new ProcessBuilder("docker", "image", "inspect", BUSYBOX).start();
    inspect.getInputStream().readAllBytes();
    if (inspect.waitFor() != 0) {
      Process build = new ProcessBuilder("bash", "../src-it/images/build.sh").inheritIO().start();
      assertThat(build.waitFor()).isZero();
    }
    DockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder()
            .withApiVersion(DockerRuntime.API_VERSION)
            .withDockerHost("unix:///var/run/docker.sock")
            .build();
    client =
        DockerClientImpl.getInstance(
            config,
            new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .connectionTimeout(Duration.ofSeconds(10))
                .build());
  }

  @AfterAll
  static void close() throws Exception {
    client.close();
  }

  /** The real client, except that {@code inspectContainerCmd} goes to {@code inspect}. */
  private static DockerClient breakingInspect(InvocationHandler inspect) {
    return (DockerClient)
        Proxy.newProxyInstance(
            DockerClient.class.getClassLoader(),
            new Class<?>[] {DockerClient.class},
            (proxy, method, args) -> {
              if (method.getName().equals("inspectContainerCmd")) {
                return inspect.invoke(proxy, method, args);
              }
              try {
                return method.invoke(client, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private void assertServeFailsAndLeavesNoContainer(DockerClient broken, String reason)
      throws Exception {
    TaskAssignment task =
        aServingTask("docker-serve-broken")
            .withImage(BUSYBOX)
            .runningShell("echo up; exec sleep 600")
            .build();
    JobWorkspace workspace = new JobWorkspace(dir.resolve(task.taskId()));
    workspace.create(List.of(task.hosts().get(0).hostName()));
    DockerRuntime runtime = new DockerRuntime(broken, Duration.ofMinutes(1));

    assertThatThrownBy(
            () ->
                runtime.serve(new TaskRun("agent-it", task, workspace), "127.0.0.1", (h, l) -> {}))
        .isInstanceOf(StageFailure.class)
        .hasMessageContaining(reason);
    assertThat(Invocations.containersOfTask(task.taskId())).isEmpty();
  }

  @Test
  void aTransportFailureAfterTheStartRemovesTheContainer() throws Exception {
    DockerClient broken =
        breakingInspect(
            (proxy, method, args) -> {
              throw new RuntimeException("connection reset by peer");
            });

    assertServeFailsAndLeavesNoContainer(
        broken,
        "InternalServerError: the Docker engine failed while starting the serving container");
  }

  @Test
  void anInspectionWithoutNetworkSettingsRemovesTheContainer() throws Exception {
    // an answer without network settings or state used to end in a NullPointerException
    DockerClient broken =
        breakingInspect(
            (proxy, method, args) ->
                Proxy.newProxyInstance(
                    InspectContainerCmd.class.getClassLoader(),
                    new Class<?>[] {InspectContainerCmd.class},
                    (p, m, a) -> {
                      if (m.getName().equals("exec")) {
                        return new InspectContainerResponse();
                      }
                      if (m.getReturnType().isInstance(p)) {
                        return p;
                      }
                      return null;
                    }));

    assertServeFailsAndLeavesNoContainer(broken, "the engine published no host port");
  }
}
