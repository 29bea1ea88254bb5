package io.sagebrush.scheduler.it;

import static io.sagebrush.scheduler.support.Fixtures.aTrainingJob;
import static io.sagebrush.scheduler.support.Fixtures.anAgent;
import static io.sagebrush.scheduler.support.Fixtures.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagebrush.common.error.ErrorCode;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.protocol.AgentRegistration;
import io.sagebrush.protocol.LogBatch;
import io.sagebrush.protocol.LogLine;
import io.sagebrush.protocol.PollRequest;
import io.sagebrush.protocol.PollResponse;
import io.sagebrush.protocol.TaskAssignment;
import io.sagebrush.protocol.TaskEvent;
import io.sagebrush.protocol.TaskPhase;
import io.sagebrush.scheduler.agent.service.AgentCoordinator;
import io.sagebrush.scheduler.agent.service.AgentLivenessMonitor;
import io.sagebrush.scheduler.logs.domain.LogQuery;
import io.sagebrush.scheduler.logs.service.LogStore;
import io.sagebrush.scheduler.placement.service.Placer;
import io.sagebrush.scheduler.support.Fixtures;
import io.sagebrush.scheduler.support.MutableClock;
import io.sagebrush.scheduler.support.SchedulerIntegrationTest;
import io.sagebrush.scheduler.support.SchedulerTestApplication;
import io.sagebrush.scheduler.trainingjob.domain.SecondaryStatus;
import io.sagebrush.scheduler.trainingjob.domain.StatusTransition;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobStatus;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobView;
import io.sagebrush.scheduler.trainingjob.service.DeadlineReconciler;
import io.sagebrush.scheduler.trainingjob.service.TrainingJobService;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

@SchedulerIntegrationTest
class TrainingJobLifecycleIT {
  @Autowired TrainingJobService jobs;
  @Autowired AgentCoordinator coordinator;
  @Autowired Placer placer;
  @Autowired DeadlineReconciler reconciler;
  @Autowired AgentLivenessMonitor liveness;
  @Autowired LogStore logs;
  @Autowired MutableClock clock;
  @Autowired JdbcTemplate jdbc;

  @BeforeEach
  void cleanDatabaseAndResetTime() {
    Fixtures.wipe(jdbc);
    clock.set(SchedulerTestApplication.T0);
  }

  private String registerAgent() {
    return coordinator.register(anAgent("a1", 4, 16_384, 0)).agentId();
  }

  private TaskAssignment placeAndTake(String agentId, String job) {
    jobs.create(aTrainingJob(job).build());
    assertThat(placer.placeQueued()).isEqualTo(1);
    PollResponse poll = coordinator.poll(agentId, new PollRequest(List.of()), Duration.ZERO);
    assertThat(poll.assign()).hasSize(1);
    return poll.assign().get(0);
  }

  private void report(String agentId, TaskAssignment task, TaskPhase phase) {
    coordinator.report(task.taskId(), event(agentId, phase));
  }

  @Test
  void createPlaceAndAgentReportsEndCompletedWithTransitionsMetricsAndLogs() {
    String agent = registerAgent();
    TrainingJobView created = jobs.create(aTrainingJob("Job-1").build());
    assertThat(created.status()).isEqualTo(TrainingJobStatus.InProgress);
    assertThat(created.secondaryStatus()).isEqualTo(SecondaryStatus.Starting);
    assertThat(created.arn())
        .isEqualTo("arn:aws:sagemaker:us-east-1:000000000000:training-job/job-1");
    assertThat(created.modelArtifactUri()).isEqualTo("s3://data/out/Job-1/output/model.tar.gz");

    assertThat(placer.placeQueued()).isEqualTo(1);
    assertThat(jobs.describe("job-1").transitions().get(0).statusMessage())
        .startsWith("Launched on agent a1");
    PollResponse poll = coordinator.poll(agent, new PollRequest(List.of()), Duration.ZERO);
    TaskAssignment task = poll.assign().get(0);
    long epoch = SchedulerTestApplication.T0.getEpochSecond();
    assertThat(task.hosts())
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.hostName()).isEqualTo("algo-1");
              assertThat(h.logStream()).isEqualTo("Job-1/algo-1-" + epoch);
            });
    assertThat(task.environment())
        .containsEntry("TRAINING_JOB_NAME", "Job-1")
        .containsEntry("TRAINING_JOB_ARN", created.arn())
        .containsEntry("AWS_REGION", "us-east-1")
        .containsEntry("AWS_DEFAULT_REGION", "us-east-1")
        .containsEntry("USER_VAR", "1");
    assertThat(task.output().modelArtifactUri())
        .isEqualTo("s3://data/out/Job-1/output/model.tar.gz");
    assertThat(task.output().outputDataUri()).isEqualTo("s3://data/out/Job-1/output/output.tar.gz");
    assertThat(task.stopGraceSeconds()).isEqualTo(10);
    assertThat(task.maxRuntimeSeconds()).isEqualTo(86_400);
    assertThat(task.resources().cpus()).isEqualTo(2.0);
    assertThat(task.resources().memoryMb()).isEqualTo(8192);
    assertThat(logs.streams(LogStore.TRAINING_JOBS_GROUP, "Job-1/", false, false, null, 10).items())
        .hasSize(1);

    report(agent, task, TaskPhase.ACCEPTED);
    clock.advance(Duration.ofSeconds(2));
    report(agent, task, TaskPhase.PULLING_IMAGE);
    report(agent, task, TaskPhase.DOWNLOADING);
    clock.advance(Duration.ofSeconds(3));
    report(agent, task, TaskPhase.RUNNING);
    long t = SchedulerTestApplication.T0.toEpochMilli();
    coordinator.appendLogs(
        task.taskId(),
        new LogBatch(
            agent,
            task.hosts().get(0).logStream(),
            List.of(
                new LogLine(t + 1000, "epoch 1 loss=0.9"),
                new LogLine(t + 2000, "epoch 2 loss=0.25"),
                new LogLine(t + 3000, "done"))));
    clock.advance(Duration.ofSeconds(10));
    report(agent, task, TaskPhase.UPLOADING);
    clock.advance(Duration.ofSeconds(1));
    report(agent, task, TaskPhase.SUCCEEDED);
    report(agent, task, TaskPhase.SUCCEEDED);

    TrainingJobView done = jobs.describe("JOB-1");
    assertThat(done.status()).isEqualTo(TrainingJobStatus.Completed);
    assertThat(done.secondaryStatus()).isEqualTo(SecondaryStatus.Completed);
    assertThat(done.transitions())
        .extracting(StatusTransition::status)
        .containsExactly(
            SecondaryStatus.Starting,
            SecondaryStatus.Downloading,
            SecondaryStatus.Training,
            SecondaryStatus.Uploading,
            SecondaryStatus.Completed);
    assertThat(done.transitions()).allSatisfy(tr -> assertThat(tr.statusMessage()).isNotBlank());
    for (int i = 0; i + 1 < done.transitions().size(); i++) {
      assertThat(done.transitions().get(i).endTime())
          .isEqualTo(done.transitions().get(i + 1).startTime());
    }
    assertThat(done.trainingStartTime()).isEqualTo(SchedulerTestApplication.T0.plusSeconds(5));
    assertThat(done.trainingEndTime()).isEqualTo(SchedulerTestApplication.T0.plusSeconds(16));
    assertThat(done.finalMetrics())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.metricName()).isEqualTo("train:loss");
              assertThat(m.value()).isEqualTo(0.25);
              assertThat(m.timestamp()).isEqualTo(Instant.ofEpochMilli(t + 2000));
            });
    assertThat(
            logs.events(
                new LogQuery(
                    LogStore.TRAINING_JOBS_GROUP,
                    null,
                    "Job-1/",
                    null,
                    null,
                    null,
                    null,
                    true,
                    "loss",
                    100)))
        .hasSize(2);
    assertThat(coordinator.poll(agent, new PollRequest(List.of()), Duration.ZERO).assign())
        .isEmpty();
  }

  @Test
  void jobThatFitsNoAgentSaysWhatItWaitsFor() {
    jobs.create(aTrainingJob("waits").on("ml.m5.xlarge", 2).build());
    placer.placeQueued();
    assertThat(jobs.describe("waits").transitions().get(0).statusMessage())
        .isEqualTo(
            "Waiting for capacity: needs 2 x ml.m5.xlarge (4 vCPU, 16384 MiB each); no agent registered");
    coordinator.register(anAgent("small", 1, 1024, 0));
    placer.placeQueued();
    TrainingJobView view = jobs.describe("waits");
    assertThat(view.waitingFor())
        .isEqualTo(
            "Waiting for capacity: needs 2 x ml.m5.xlarge (4 vCPU, 16384 MiB each); no registered agent has it free");
    assertThat(view.status()).isEqualTo(TrainingJobStatus.InProgress);
    assertThat(view.secondaryStatus()).isEqualTo(SecondaryStatus.Starting);
  }

  @Test
  void deleteRemovesOnlyAnEndedJobAndItsNameCanBeUsedAgain() {
    String agent = registerAgent();
    TaskAssignment task = placeAndTake(agent, "to-delete");
    report(agent, task, TaskPhase.RUNNING);
    assertThatThrownBy(() -> jobs.delete("to-delete"))
        .isInstanceOfSatisfying(
            SagebrushException.class,
            e ->
                assertThat(e.code()).isEqualTo(io.sagebrush.common.error.ErrorCode.RESOURCE_IN_USE))
        .hasMessageContaining("is in status InProgress");
    report(agent, task, TaskPhase.UPLOADING);
    report(agent, task, TaskPhase.SUCCEEDED);
    assertThat(jobs.describe("to-delete").status()).isEqualTo(TrainingJobStatus.Completed);

    jobs.delete("TO-DELETE"); // names are case-insensitive

    assertThatThrownBy(() -> jobs.describe("to-delete"))
        .isInstanceOf(SagebrushException.class)
        .hasMessage("Requested resource not found.");
    assertThatThrownBy(() -> jobs.delete("to-delete"))
        .isInstanceOfSatisfying(
            SagebrushException.class,
            e ->
                assertThat(e.code())
                    .isEqualTo(io.sagebrush.common.error.ErrorCode.RESOURCE_NOT_FOUND));
    TrainingJobView again = jobs.create(aTrainingJob("to-delete").build());
    assertThat(again.status()).isEqualTo(TrainingJobStatus.InProgress);
    assertThat(jobs.describe("to-delete").transitions())
        .extracting(StatusTransition::status)
        .containsExactly(SecondaryStatus.Starting);
  }

  @Test
  void stopWhileQueuedEndsStoppedWithoutStartingAContainer() {
    jobs.create(aTrainingJob("queued").build());
    jobs.stop("queued");
    TrainingJobView view = jobs.describe("queued");
    assertThat(view.status()).isEqualTo(TrainingJobStatus.Stopped);
    assertThat(view.secondaryStatus()).isEqualTo(SecondaryStatus.Stopped);
    String agent = registerAgent();
    assertThat(placer.placeQueued()).isZero();
    assertThat(coordinator.poll(agent, new PollRequest(List.of()), Duration.ZERO).assign())
        .isEmpty();
    assertThatThrownBy(() -> jobs.stop("queued"))
        .isInstanceOf(SagebrushException.class)
        .hasMessageContaining("status Stopped");
  }

  @Test
  void stopWhileRunningSendsAStopOrderAndEndsStoppedWhenTheAgentConfirms() {
    String agent = registerAgent();
    TaskAssignment task = placeAndTake(agent, "running");
    report(agent, task, TaskPhase.ACCEPTED);
    report(agent, task, TaskPhase.RUNNING);
    jobs.stop("running");
    jobs.stop("running");
    assertThat(jobs.describe("running").status()).isEqualTo(TrainingJobStatus.Stopping);
    PollResponse poll =
        coordinator.poll(agent, new PollRequest(List.of(task.taskId())), Duration.ZERO);
    assertThat(poll.stop()).containsExactly(task.taskId());
    report(agent, task, TaskPhase.STOPPED);
    TrainingJobView view = jobs.describe("running");
    assertThat(view.status()).isEqualTo(TrainingJobStatus.Stopped);
    assertThat(view.secondaryStatus()).isEqualTo(SecondaryStatus.Stopped);
    assertThat(view.transitions())
        .extracting(StatusTransition::status)
        .containsExactly(
            SecondaryStatus.Starting,
            SecondaryStatus.Training,
            SecondaryStatus.Stopping,
            SecondaryStatus.Stopped);
  }

  @Test
  void stopBeforeTheAgentTookTheTaskEndsStoppedAtOnce() {
    String agent = registerAgent();
    jobs.create(aTrainingJob("placed").build());
    placer.placeQueued();
    jobs.stop("placed");
    assertThat(jobs.describe("placed").status()).isEqualTo(TrainingJobStatus.Stopped);
    assertThat(coordinator.poll(agent, new PollRequest(List.of()), Duration.ZERO).assign())
        .isEmpty();
  }

  @Test
  void controlPlaneStopsAJobPastMaxRuntimeAndItEndsMaxRuntimeExceeded() {
    String agent = registerAgent();
    jobs.create(aTrainingJob("slow").withMaxRuntime(60).build());
    placer.placeQueued();
    TaskAssignment task =
        coordinator.poll(agent, new PollRequest(List.of()), Duration.ZERO).assign().get(0);
    report(agent, task, TaskPhase.RUNNING);
    clock.advance(Duration.ofSeconds(60 + 30));
    assertThat(reconciler.reconcileOnce()).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(reconciler.reconcileOnce()).isEqualTo(1);
    assertThat(jobs.describe("slow").status()).isEqualTo(TrainingJobStatus.Stopping);
    assertThat(
            coordinator.poll(agent, new PollRequest(List.of(task.taskId())), Duration.ZERO).stop())
        .containsExactly(task.taskId());
    report(agent, task, TaskPhase.STOPPED);
    TrainingJobView view = jobs.describe("slow");
    assertThat(view.status()).isEqualTo(TrainingJobStatus.Stopped);
    assertThat(view.secondaryStatus()).isEqualTo(SecondaryStatus.MaxRuntimeExceeded);
  }

  @Test
  void agentThatStopsAtMaxRuntimeEndsTheJobMaxRuntimeExceeded() {
    String agent = registerAgent();
    TaskAssignment task = placeAndTake(agent, "agent-max");
    report(agent, task, TaskPhase.RUNNING);
    coordinator.report(
        task.taskId(),
        new TaskEvent(agent, TaskPhase.STOPPED, Instant.now(), "max runtime", 137, null, true));
    TrainingJobView view = jobs.describe("agent-max");
    assertThat(view.status()).isEqualTo(TrainingJobStatus.Stopped);
    assertThat(view.secondaryStatus()).isEqualTo(SecondaryStatus.MaxRuntimeExceeded);
  }

  @Test
  void failedTaskEndsFailedWithTheAgentsReason() {
    String agent = registerAgent();
    TaskAssignment task = placeAndTake(agent, "fails");
    report(agent, task, TaskPhase.RUNNING);
    coordinator.report(
        task.taskId(),
        new TaskEvent(
            agent, TaskPhase.FAILED, Instant.now(), "exit 3", 3, "boom: bad input", false));
    TrainingJobView view = jobs.describe("fails");
    assertThat(view.status()).isEqualTo(TrainingJobStatus.Failed);
    assertThat(view.failureReason()).isEqualTo("boom: bad input");
    report(agent, task, TaskPhase.SUCCEEDED);
    assertThat(jobs.describe("fails").status()).isEqualTo(TrainingJobStatus.Failed);
  }

  @Test
  void stoppingJobWhoseAgentNeverConfirmsIsStoppedForciblyAfterTheDeadline() {
    String agent = registerAgent();
    TaskAssignment task = placeAndTake(agent, "stuck");
    report(agent, task, TaskPhase.RUNNING);
    jobs.stop("stuck");
    clock.advance(Duration.ofSeconds(10 + 120));
    assertThat(reconciler.reconcileOnce()).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(reconciler.reconcileOnce()).isEqualTo(1);
    TrainingJobView view = jobs.describe("stuck");
    assertThat(view.status()).isEqualTo(TrainingJobStatus.Stopped);
    assertThat(view.transitions().get(view.transitions().size() - 1).statusMessage())
        .contains("did not confirm the stop within 130s");
  }

  @Test
  void placedTaskNotAcknowledgedInTimeIsQueuedAgainAndPlacedAgain() {
    registerAgent();
    jobs.create(aTrainingJob("unacked").build());
    placer.placeQueued();
    clock.advance(Duration.ofMinutes(2).plusSeconds(1));
    assertThat(reconciler.reconcileOnce()).isEqualTo(1);
    assertThat(jdbc.queryForObject("SELECT state FROM training_job", String.class))
        .isEqualTo("QUEUED");
    assertThat(placer.placeQueued()).isEqualTo(1);
    assertThat(jdbc.queryForObject("SELECT count(*) FROM training_task", Integer.class))
        .isEqualTo(2);
  }

  @Test
  void afterAControlPlaneRestartAgentsGetAFullSilenceWindowBeforeBeingLost() {
    String agent = registerAgent();
    TaskAssignment task = placeAndTake(agent, "survivor");
    report(agent, task, TaskPhase.RUNNING);
    // the control plane was down for longer than lostAfter, then its loops start again
    clock.advance(Duration.ofMinutes(5));
    liveness.startWatching();
    clock.advance(Duration.ofSeconds(29));
    assertThat(liveness.checkOnce()).isZero();
    coordinator.poll(agent, new PollRequest(List.of(task.taskId())), Duration.ZERO);
    clock.advance(Duration.ofSeconds(2));
    assertThat(liveness.checkOnce()).isZero();
    assertThat(jobs.describe("survivor").status()).isEqualTo(TrainingJobStatus.InProgress);
  }

  @Test
  void lostAgentFailsItsJobsWithAReasonThatSaysSo() {
    String agent = registerAgent();
    TaskAssignment task = placeAndTake(agent, "orphan");
    report(agent, task, TaskPhase.RUNNING);
    clock.advance(Duration.ofSeconds(30));
    assertThat(liveness.checkOnce()).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(liveness.checkOnce()).isEqualTo(1);
    TrainingJobView view = jobs.describe("orphan");
    assertThat(view.status()).isEqualTo(TrainingJobStatus.Failed);
    assertThat(view.failureReason())
        .isEqualTo(
            "Agent a1 (" + agent + ") was lost: no heartbeat since " + SchedulerTestApplication.T0);
    assertThatThrownBy(
            () -> coordinator.poll(agent, new PollRequest(List.of(task.taskId())), Duration.ZERO))
        .isInstanceOfSatisfying(
            SagebrushException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_NOT_FOUND));
    coordinator.register(
        new AgentRegistration(agent, "a1", 4, 16_384, List.of(), "docker", "test"));
    assertThat(
            coordinator.poll(agent, new PollRequest(List.of(task.taskId())), Duration.ZERO).stop())
        .containsExactly(task.taskId());
  }

  @Test
  void restartedAgentThatNoLongerRunsATaskFailsItAfterTwoPolls() {
    String agent = registerAgent();
    TaskAssignment task = placeAndTake(agent, "forgotten");
    report(agent, task, TaskPhase.ACCEPTED);
    report(agent, task, TaskPhase.RUNNING);
    clock.advance(Duration.ofSeconds(5));
    coordinator.register(
        new AgentRegistration(agent, "a1", 4, 16_384, List.of(), "docker", "test"));
    coordinator.poll(agent, new PollRequest(List.of()), Duration.ZERO);
    assertThat(jobs.describe("forgotten").status()).isEqualTo(TrainingJobStatus.InProgress);
    coordinator.poll(agent, new PollRequest(List.of()), Duration.ZERO);
    TrainingJobView view = jobs.describe("forgotten");
    assertThat(view.status()).isEqualTo(TrainingJobStatus.Failed);
    assertThat(view.failureReason()).contains("the agent restarted and no longer runs the task");
  }

  @Test
  void reRegisteredAgentKeepsTasksItStillRuns() {
    String agent = registerAgent();
    TaskAssignment task = placeAndTake(agent, "kept");
    report(agent, task, TaskPhase.ACCEPTED);
    report(agent, task, TaskPhase.RUNNING);
    clock.advance(Duration.ofSeconds(5));
    coordinator.register(
        new AgentRegistration(agent, "a1", 4, 16_384, List.of(), "docker", "test"));
    for (int i = 0; i < 3; i++) {
      coordinator.poll(agent, new PollRequest(List.of(task.taskId())), Duration.ZERO);
    }
    assertThat(jobs.describe("kept").secondaryStatus()).isEqualTo(SecondaryStatus.Training);
  }

  @Test
  void duplicateNameInAnyCaseIsResourceInUse() {
    jobs.create(aTrainingJob("Dup").build());
    assertThatThrownBy(() -> jobs.create(aTrainingJob("dUP").build()))
        .isInstanceOfSatisfying(
            SagebrushException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_IN_USE);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "Training job names must be unique within an AWS account and region, and a"
                          + " training job with this name already exists"
                          + " (arn:aws:sagemaker:us-east-1:000000000000:training-job/dup)");
            });
  }

  @Test
  void concurrentCreatesOfOneNameLetExactlyOneWin() throws Exception {
    List<java.util.concurrent.CompletableFuture<String>> attempts = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String name = i % 2 == 0 ? "race" : "RACE";
      attempts.add(
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try {
                  jobs.create(aTrainingJob(name).build());
                  return "created";
                } catch (SagebrushException e) {
                  return e.code().name();
                }
              }));
    }
    List<String> outcomes = new java.util.ArrayList<>();
    for (var f : attempts) {
      outcomes.add(f.get());
    }
    assertThat(outcomes).containsOnlyOnce("created");
    assertThat(outcomes).filteredOn(o -> !o.equals("created")).containsOnly("RESOURCE_IN_USE");
  }

  @Test
  void unknownInstanceTypeAndUnknownJobAreValidationErrors() {
    assertThatThrownBy(() -> jobs.create(aTrainingJob("x").on("ml.nope.large", 1).build()))
        .isInstanceOfSatisfying(
            SagebrushException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
              assertThat(e.getMessage()).contains("resourceConfig.instanceType");
            });
    assertThatThrownBy(() -> jobs.describe("missing"))
        .isInstanceOfSatisfying(
            SagebrushException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
              assertThat(e.getMessage()).isEqualTo("Requested resource not found.");
            });
    assertThatThrownBy(() -> jobs.stop("missing")).isInstanceOf(SagebrushException.class);
  }

  @Test
  void multiHostJobIsRefusedWhenEveryAgentRunsProcessesAndGangPlacedOnADockerAgent() {
    coordinator.register(anAgent("proc", 8, 65_536, 0, AgentRegistration.RUNTIME_PROCESS));
    assertThatThrownBy(() -> jobs.create(aTrainingJob("gang").on("ml.m5.large", 2).build()))
        .isInstanceOfSatisfying(
            SagebrushException.class,
            e -> assertThat(e.getMessage()).contains("resourceConfig.instanceCount"));
    String docker = coordinator.register(anAgent("dock", 8, 65_536, 0)).agentId();
    jobs.create(aTrainingJob("gang").on("ml.m5.large", 2).build());
    assertThat(placer.placeQueued()).isEqualTo(1);
    TaskAssignment task =
        coordinator.poll(docker, new PollRequest(List.of()), Duration.ZERO).assign().get(0);
    assertThat(task.hosts()).extracting(h -> h.hostName()).containsExactly("algo-1", "algo-2");
  }

  @Test
  void gpuJobsGetDistinctDeviceIndicesAndNeverOvercommitGpus() {
    String agent = coordinator.register(anAgent("gpu", 64, 1_000_000, 2)).agentId();
    jobs.create(aTrainingJob("g1").on("ml.g4dn.xlarge", 1).build());
    jobs.create(aTrainingJob("g2").on("ml.g4dn.xlarge", 1).build());
    jobs.create(aTrainingJob("g3").on("ml.g4dn.xlarge", 1).build());
    assertThat(placer.placeQueued()).isEqualTo(2);
    List<TaskAssignment> tasks =
        coordinator.poll(agent, new PollRequest(List.of()), Duration.ZERO).assign();
    assertThat(tasks)
        .flatExtracting(t -> t.hosts().get(0).gpuIndices())
        .containsExactlyInAnyOrder(0, 1);
    assertThat(jobs.describe("g3").waitingFor()).contains("1 GPU each");
  }
}
