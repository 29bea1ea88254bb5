package io.sagebrush.scheduler.it;

import static io.sagebrush.scheduler.support.Fixtures.aTrainingJob;
import static io.sagebrush.scheduler.support.Fixtures.anAgent;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.common.arn.Arns;
import io.sagebrush.scheduler.agent.adapter.persistence.AgentStore;
import io.sagebrush.scheduler.agent.service.AgentCoordinator;
import io.sagebrush.scheduler.agent.service.AgentLivenessMonitor;
import io.sagebrush.scheduler.agent.service.AgentSignals;
import io.sagebrush.scheduler.endpoint.service.FleetReconciler;
import io.sagebrush.scheduler.leader.LeaderElection;
import io.sagebrush.scheduler.leader.SchedulerLoops;
import io.sagebrush.scheduler.logs.service.LogStore;
import io.sagebrush.scheduler.placement.domain.InstanceCatalogue;
import io.sagebrush.scheduler.placement.domain.Placement;
import io.sagebrush.scheduler.placement.service.Placer;
import io.sagebrush.scheduler.support.Fixtures;
import io.sagebrush.scheduler.support.MutableClock;
import io.sagebrush.scheduler.support.SchedulerIntegrationTest;
import io.sagebrush.scheduler.support.SchedulerTestApplication;
import io.sagebrush.scheduler.trainingjob.adapter.persistence.TrainingJobStore;
import io.sagebrush.scheduler.trainingjob.service.DeadlineReconciler;
import io.sagebrush.scheduler.trainingjob.service.TrainingJobService;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Two control planes on one database: one leader, and no job placed twice. */
@SchedulerIntegrationTest
class TwoPlacersIT {
  @Autowired TrainingJobService jobs;
  @Autowired AgentCoordinator coordinator;
  @Autowired Placer placer;

  @Autowired PlatformTransactionManager txManager;

  @Autowired TrainingJobStore store;
  @Autowired AgentStore agents;
  @Autowired LogStore logs;
  @Autowired InstanceCatalogue catalogue;
  @Autowired Placement placement;
  @Autowired Arns arns;
  @Autowired MutableClock clock;
  @Autowired DataSource dataSource;
  @Autowired JdbcTemplate jdbc;

  @BeforeEach
  void cleanDatabaseAndResetTime() {
    Fixtures.wipe(jdbc);
    // the leader's liveness monitor starts watching at this time, and the lifecycle tests that
    // follow count agent silence from T0
    clock.set(SchedulerTestApplication.T0);
  }

  private Placer secondControlPlanesPlacer() {
    return new Placer(
        new TransactionTemplate(txManager),
        store,
        agents,
        logs,
        catalogue,
        placement,
        arns,
        clock,
        new AgentSignals(),
        Duration.ofSeconds(10),
        25);
  }

  @Test
  void twoPlacersRacingOverOneQueueNeverPlaceAJobTwice() throws Exception {
    for (int i = 0; i < 5; i++) {
      coordinator.register(anAgent("big-" + i, 512, 4_000_000, 0));
    }
    for (int i = 0; i < 200; i++) {
      jobs.create(aTrainingJob("race-" + i).build());
    }
    Placer other = secondControlPlanesPlacer();
    CyclicBarrier start = new CyclicBarrier(2);
    CompletableFuture<Integer> a =
        CompletableFuture.supplyAsync(() -> awaitThen(start, placer::placeQueued));
    CompletableFuture<Integer> b =
        CompletableFuture.supplyAsync(() -> awaitThen(start, other::placeQueued));
    int placed = a.get() + b.get();
    assertThat(placed).isEqualTo(200);
    assertThat(jdbc.queryForObject("SELECT count(*) FROM training_task", Integer.class))
        .isEqualTo(200);
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM (SELECT job_id FROM training_task GROUP BY job_id"
                    + " HAVING count(*) > 1) d",
                Integer.class))
        .isZero();
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM training_job WHERE state = 'PLACED'", Integer.class))
        .isEqualTo(200);
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM training_job_transition WHERE state = 'PLACED'",
                Integer.class))
        .isEqualTo(200);
  }

  private static int awaitThen(CyclicBarrier barrier, java.util.function.IntSupplier body) {
    try {
      barrier.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return body.getAsInt();
  }

  @Autowired DeadlineReconciler reconciler;
  @Autowired AgentLivenessMonitor liveness;
  @Autowired FleetReconciler fleets;

  @Test
  void onlyTheLeadersLoopPlacesQueuedJobsOnItsOwn() throws Exception {
    coordinator.register(anAgent("a", 8, 65_536, 0));
    try (LeaderElection leaderLock = new LeaderElection(dataSource, 91);
        LeaderElection followerLock = new LeaderElection(dataSource, 91)) {
      assertThat(leaderLock.isLeader()).isTrue();
      Placer followerPlacer = secondControlPlanesPlacer();
      SchedulerLoops follower =
          new SchedulerLoops(
              true,
              followerLock,
              followerPlacer,
              reconciler,
              liveness,
              Duration.ofMillis(50),
              Duration.ofSeconds(60),
              Duration.ofSeconds(60),
              fleets,
              Duration.ofSeconds(60));
      follower.start();
      jobs.create(aTrainingJob("looped").build());
      followerPlacer.nudge();
      Thread.sleep(500);
      assertThat(jobs.describe("looped").transitions().get(0).statusMessage())
          .doesNotStartWith("Launched");
      SchedulerLoops leader =
          new SchedulerLoops(
              true,
              leaderLock,
              placer,
              reconciler,
              liveness,
              Duration.ofMillis(50),
              Duration.ofSeconds(60),
              Duration.ofSeconds(60),
              fleets,
              Duration.ofSeconds(60));
      leader.start();
      long deadline = System.currentTimeMillis() + 10_000;
      while (!jobs.describe("looped").transitions().get(0).statusMessage().startsWith("Launched")
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      leader.close();
      follower.close();
      assertThat(jobs.describe("looped").transitions().get(0).statusMessage())
          .startsWith("Launched on agent a");
    }
  }

  @Test
  void onlyOneControlPlaneIsLeaderAndAnotherTakesOverWhenItResigns() {
    try (LeaderElection first = new LeaderElection(dataSource, 77);
        LeaderElection second = new LeaderElection(dataSource, 77)) {
      assertThat(first.isLeader()).isTrue();
      assertThat(second.isLeader()).isFalse();
      assertThat(first.isLeader()).isTrue();
      first.close();
      assertThat(second.isLeader()).isTrue();
    }
  }
}
