package io.sagebrush.agent;

import static io.sagebrush.agent.testing.TaskBuilder.aServingTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.agent.runtime.adapter.docker.DockerRuntime;
import io.sagebrush.agent.testing.FakeControlPlane;
import io.sagebrush.agent.testing.S3Fixture;
import io.sagebrush.agent.testing.TrainedModels;
import io.sagebrush.protocol.TaskAssignment;
import io.sagebrush.protocol.TaskPhase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent on the real Docker engine that shuts down while it serves (the embedded server's stop)
 * leaves no container of its own behind.
 */
class AgentDockerShutdownIT {
  private static final String XGBOOST =
      "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1";
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @TempDir static Path shared;
  private static S3Fixture s3;
  private static String model;

  @BeforeAll
  static void start() throws Exception {
    Process build = new ProcessBuilder("bash", "../algorithms/build-image.sh").inheritIO().start();
    assertThat(build.waitFor()).isZero();
    s3 = S3Fixture.start(shared);
    model = TrainedModels.xgboostRegressor(s3, shared);
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @Test
  void anAgentClosedWhileServingRemovesItsContainers(@TempDir Path workDir) throws Exception {
    FakeControlPlane controlPlane = FakeControlPlane.start(s3.settings());
    Agent agent =
        new Agent(
            new AgentConfig(controlPlane.url(), FakeControlPlane.TOKEN, workDir, "docker")
                .withRetryMaxBackoff(Duration.ofMillis(300)));
    String agentId;
    try {
      agent.start();
      TaskAssignment task =
          aServingTask("shutdown-serving").withImage(XGBOOST).withModelData(model).build();
      controlPlane.assign(task);
      controlPlane.awaitPhase(task.taskId(), TaskPhase.READY, TIMEOUT);
      agentId = agent.agentId();
      assertThat(containersOf(agentId)).as("the replica's container runs").isNotEmpty();
    } finally {
      agent.close();
      controlPlane.close();
    }

    assertThat(containersOf(agentId)).as("containers left after the agent closed").isEmpty();
  }

  private static String containersOf(String agentId) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "docker",
                "ps",
                "-aq",
                "--filter",
                "label=" + DockerRuntime.LABEL_AGENT + "=" + agentId)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor();
    return out;
  }
}
