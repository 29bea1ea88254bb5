package io.sagebrush.scheduler.it;

import static io.sagebrush.scheduler.support.Fixtures.aTrainingJob;
import static io.sagebrush.scheduler.support.Fixtures.anAgent;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.protocol.PollRequest;
import io.sagebrush.protocol.PollResponse;
import io.sagebrush.protocol.RegistrationResponse;
import io.sagebrush.scheduler.agent.service.AgentCoordinator;
import io.sagebrush.scheduler.placement.service.Placer;
import io.sagebrush.scheduler.support.Fixtures;
import io.sagebrush.scheduler.support.MutableClock;
import io.sagebrush.scheduler.support.SchedulerIntegrationTest;
import io.sagebrush.scheduler.support.SchedulerTestApplication;
import io.sagebrush.scheduler.trainingjob.service.TrainingJobService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

@SchedulerIntegrationTest
class AgentLongPollIT {
  @Autowired TrainingJobService jobs;
  @Autowired AgentCoordinator coordinator;
  @Autowired Placer placer;
  @Autowired JdbcTemplate jdbc;
  @Autowired MutableClock clock;

  @BeforeEach
  void cleanDatabase() {
    Fixtures.wipe(jdbc);
    clock.set(SchedulerTestApplication.T0);
  }

  @Test
  void registrationTellsTheAgentHowOftenToPollAndWhereStorageIs() {
    RegistrationResponse r = coordinator.register(anAgent("a", 2, 4096, 0));
    assertThat(r.agentId()).isNotBlank();
    assertThat(r.heartbeatIntervalMillis()).isEqualTo(20_000);
    assertThat(r.pollTimeoutMillis()).isEqualTo(20_000);
    assertThat(r.storage().endpoint()).isEqualTo("http://localhost:9000");
  }

  @Test
  void longPollWithNothingToDoWaitsAndReturnsEmpty() {
    String agent = coordinator.register(anAgent("a", 2, 4096, 0)).agentId();
    long start = System.nanoTime();
    PollResponse r = coordinator.poll(agent, new PollRequest(List.of()), Duration.ofMillis(600));
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(550));
    assertThat(r.assign()).isEmpty();
    assertThat(r.stop()).isEmpty();
  }

  @Test
  void longPollWakesAsSoonAsTheJobIsPlaced() throws Exception {
    String agent = coordinator.register(anAgent("a", 8, 65_536, 0)).agentId();
    CompletableFuture<PollResponse> poll =
        CompletableFuture.supplyAsync(
            () -> coordinator.poll(agent, new PollRequest(List.of()), Duration.ofSeconds(30)));
    Thread.sleep(300);
    assertThat(poll).isNotDone();
    long start = System.nanoTime();
    jobs.create(aTrainingJob("wake").build());
    placer.placeQueued();
    PollResponse r = poll.get(10, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(r.assign())
        .singleElement()
        .satisfies(a -> assertThat(a.jobName()).isEqualTo("wake"));
  }

  @Test
  void longPollWakesOnAStopOrder() throws Exception {
    String agent = coordinator.register(anAgent("a", 8, 65_536, 0)).agentId();
    jobs.create(aTrainingJob("to-stop").build());
    placer.placeQueued();
    String taskId =
        coordinator.poll(agent, new PollRequest(List.of()), Duration.ZERO).assign().get(0).taskId();
    coordinator.report(taskId, Fixtures.event(agent, io.sagebrush.protocol.TaskPhase.RUNNING));
    CompletableFuture<PollResponse> poll =
        CompletableFuture.supplyAsync(
            () ->
                coordinator.poll(agent, new PollRequest(List.of(taskId)), Duration.ofSeconds(30)));
    Thread.sleep(300);
    jobs.stop("to-stop");
    assertThat(poll.get(10, TimeUnit.SECONDS).stop()).containsExactly(taskId);
  }

  @Test
  void aStopOrderTheAgentHasNotActedOnIsNotSentAgainOnEveryPoll() {
    String agent = coordinator.register(anAgent("a", 8, 65_536, 0)).agentId();
    jobs.create(aTrainingJob("slow-to-stop").build());
    placer.placeQueued();
    String taskId =
        coordinator.poll(agent, new PollRequest(List.of()), Duration.ZERO).assign().get(0).taskId();
    coordinator.report(taskId, Fixtures.event(agent, io.sagebrush.protocol.TaskPhase.RUNNING));
    jobs.stop("slow-to-stop");
    PollRequest stillRunning = new PollRequest(List.of(taskId));

    assertThat(coordinator.poll(agent, stillRunning, Duration.ZERO).stop()).containsExactly(taskId);
    // the container takes its grace period to stop: the next polls are held, not answered at once
    long start = System.nanoTime();
    PollResponse held = coordinator.poll(agent, stillRunning, Duration.ofMillis(500));
    assertThat(held.stop()).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(450));
    // an order still not acted on goes out again after a while
    clock.advance(Duration.ofSeconds(11));
    assertThat(coordinator.poll(agent, stillRunning, Duration.ZERO).stop()).containsExactly(taskId);
  }
}
