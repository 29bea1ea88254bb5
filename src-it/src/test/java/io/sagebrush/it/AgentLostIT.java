package io.sagebrush.it;

import static io.sagebrush.it.support.TrainingJobs.aTrainerJob;
import static io.sagebrush.it.support.TrainingJobs.awaitEnded;
import static io.sagebrush.it.support.TrainingJobs.awaitJob;
import static io.sagebrush.it.support.TrainingJobs.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.it.support.AgentProcess;
import io.sagebrush.it.support.AwsClients;
import io.sagebrush.it.support.SagebrushServerProcess;
import io.sagebrush.it.support.TrainingJobs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.SecondaryStatus;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

/**
 * An agent that dies while its job runs: the job fails with a reason naming the lost agent, and the
 * agent, started again on the same work directory, cleans up its containers and takes new work.
 * Short heartbeat settings keep it quick.
 */
class AgentLostIT {
  private static SagebrushServerProcess server;
  private static AgentProcess agent;
  private static AwsClients clients;

  @BeforeAll
  static void startServerAndAgent() {
    server =
        SagebrushServerProcess.start(
            "agent-lost",
            Map.of(
                "SAGEBRUSH_EMBEDDED_AGENT", "false",
                "SAGEBRUSH_SCHEDULER_AGENTS_HEARTBEAT_INTERVAL", "2s",
                "SAGEBRUSH_SCHEDULER_AGENTS_POLL_TIMEOUT", "2s",
                "SAGEBRUSH_API_AGENT_API_POLL_MAX_WAIT", "2s",
                "SAGEBRUSH_SCHEDULER_AGENTS_LOST_AFTER", "8s",
                "SAGEBRUSH_SCHEDULER_AGENTS_LIVENESS_INTERVAL", "1s"));
    agent = AgentProcess.start("agent-lost-agent", server, "docker");
    clients = server.clients();
    TrainingJobs.ensureBucket(clients.s3(), TrainingJobs.BUCKET);
  }

  @AfterAll
  static void stopAll() {
    if (clients != null) {
      clients.close();
    }
    if (agent != null) {
      agent.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static String containersOfJob(String job) throws IOException, InterruptedException {
    Process ps =
        new ProcessBuilder("docker", "ps", "-aq", "--filter", "label=sagebrush.job=" + job)
            .redirectErrorStream(true)
            .start();
    assertThat(ps.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
  }

  @Test
  void jobOfAVanishedAgentFailsNamingTheAgentAndTheAgentRecoversWhenItReturns() throws Exception {
    String name = uniqueName("lost");
    clients
        .sageMaker()
        .createTrainingJob(aTrainerJob(name, Map.of("mode", "sleep", "seconds", "600")).build());
    awaitJob(
        clients.sageMaker(),
        name,
        Duration.ofSeconds(120),
        "Training",
        d -> d.secondaryStatus() == SecondaryStatus.TRAINING);
    Awaitility.await("the job's container runs")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> !containersOfJob(name).isEmpty());

    agent.kill();
    DescribeTrainingJobResponse job = awaitEnded(clients.sageMaker(), name, Duration.ofSeconds(90));

    assertThat(job.trainingJobStatus()).isEqualTo(TrainingJobStatus.FAILED);
    assertThat(job.failureReason()).containsIgnoringCase("agent").containsIgnoringCase("lost");

    agent.restart();
    Awaitility.await("containers of the failed job removed by the returning agent")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> containersOfJob(name).isEmpty());

    String next = uniqueName("after-lost");
    clients.sageMaker().createTrainingJob(aTrainerJob(next, Map.of("mode", "noop")).build());
    assertThat(awaitEnded(clients.sageMaker(), next, Duration.ofSeconds(120)).trainingJobStatus())
        .isEqualTo(TrainingJobStatus.COMPLETED);
  }
}
