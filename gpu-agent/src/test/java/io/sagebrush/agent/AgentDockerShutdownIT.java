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
  private static final String STUBBORN = "sagebrush-test/stubborn-server:1";

  @TempDir static Path shared;
  private static S3Fixture s3;
  private static String model;

  @BeforeAll
  static void start() throws Exception {
    for (String script :
        new String[] {"../algorithms/build-image.sh", "../src-it/images/build.sh"}) {
      Process build = new ProcessBuilder("bash", script).inheritIO().start();
      assertThat(build.waitFor()).as(script).isZero();
    }
    // a model server that ignores SIGTERM: PID 1 is a shell (no handler, so the signal does
    // nothing), busybox httpd answers GET /ping
    Process stubborn =
        new ProcessBuilder("docker", "build", "-q", "-t", STUBBORN, "-")
            .redirectErrorStream(true)
            .start();
    try (var in = stubborn.getOutputStream()) {
      in.write(
          ("FROM sagebrush-test/busybox:1\n"
                  + "ENTRYPOINT [\"/bin/sh\", \"-c\", \"mkdir -p /www && echo ok > /www/ping"
                  + " && httpd -f -p 8080 -h /www; sleep 3600\", \"stubborn\"]\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(stubborn.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(stubborn.waitFor()).as(output).isZero();
    s3 = S3Fixture.start(shared);
    model = TrainedModels.xgboostRegressor(s3, shared);
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @Test
  void anAgentClosedWhileServingRemovesItsContainers(@TempDir Path workDir) throws Exception {
    TaskAssignment task =
        aServingTask("shutdown-serving").withImage(XGBOOST).withModelData(model).build();
    assertClosingLeavesNoContainer(workDir, task);
  }

  @Test
  void aContainerThatIgnoresSigtermIsRemovedToo(@TempDir Path workDir) throws Exception {
    // its stop grace is longer than the agent waits for its tasks when it closes
    TaskAssignment task =
        aServingTask("shutdown-stubborn").withImage(STUBBORN).withStopGraceSeconds(120).build();
    assertClosingLeavesNoContainer(workDir, task);
  }

  private static void assertClosingLeavesNoContainer(Path workDir, TaskAssignment task)
      throws Exception {
    FakeControlPlane controlPlane = FakeControlPlane.start(s3.settings());
    Agent agent =
        new Agent(
            new AgentConfig(controlPlane.url(), FakeControlPlane.TOKEN, workDir, "docker")
                .withRetryMaxBackoff(Duration.ofMillis(300)));
    String agentId;
    try {
      agent.start();
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
