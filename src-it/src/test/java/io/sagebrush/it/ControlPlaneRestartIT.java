package io.sagebrush.it;

import static io.sagebrush.it.support.TrainingJobs.aTrainerJob;
import static io.sagebrush.it.support.TrainingJobs.awaitEnded;
import static io.sagebrush.it.support.TrainingJobs.awaitJob;
import static io.sagebrush.it.support.TrainingJobs.download;
import static io.sagebrush.it.support.TrainingJobs.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.it.support.AgentProcess;
import io.sagebrush.it.support.Archives;
import io.sagebrush.it.support.AwsClients;
import io.sagebrush.it.support.SagebrushServerProcess;
import io.sagebrush.it.support.TrainingJobs;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.SecondaryStatus;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

/**
 * A control plane without an in-process agent, a standalone agent process, and a restart of the
 * control plane (SIGTERM, start again on the same home) while the agent's job runs.
 */
class ControlPlaneRestartIT {
  private static SagebrushServerProcess server;
  private static AgentProcess agent;

  @BeforeAll
  static void startServerAndAgent() {
    server = SagebrushServerProcess.start("restart", Map.of("SAGEBRUSH_EMBEDDED_AGENT", "false"));
    agent = AgentProcess.start("restart-agent", server, "docker");
  }

  @AfterAll
  static void stopAll() {
    if (agent != null) {
      agent.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void jobRunningOnAStandaloneAgentCompletesAcrossAControlPlaneRestart() {
    String name = uniqueName("restart");
    try (AwsClients clients = server.clients()) {
      TrainingJobs.ensureBucket(clients.s3(), TrainingJobs.BUCKET);
      clients
          .sageMaker()
          .createTrainingJob(aTrainerJob(name, Map.of("mode", "sleep", "seconds", "90")).build());
      awaitJob(
          clients.sageMaker(),
          name,
          Duration.ofSeconds(120),
          "Training",
          d -> d.secondaryStatus() == SecondaryStatus.TRAINING);
    }

    assertThat(server.stop()).as("exit code after SIGTERM").isIn(0, 143);
    assertThat(agent.isAlive()).as("agent keeps running while the control plane is away").isTrue();
    server.start();

    try (AwsClients clients = server.clients()) {
      DescribeTrainingJobResponse job =
          awaitEnded(clients.sageMaker(), name, Duration.ofSeconds(180));

      assertThat(job.trainingJobStatus())
          .as("failure: %s", job.failureReason())
          .isEqualTo(TrainingJobStatus.COMPLETED);
      Map<String, String> model =
          Archives.untarGz(download(clients.s3(), job.modelArtifacts().s3ModelArtifacts()));
      assertThat(model).containsEntry("slept.txt", "woke up after 90 s\n");
    }
  }
}
