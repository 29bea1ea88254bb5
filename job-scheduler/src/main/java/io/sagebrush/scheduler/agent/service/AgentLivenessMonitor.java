package io.sagebrush.scheduler.agent.service;

import io.sagebrush.scheduler.agent.adapter.persistence.AgentStore;
import io.sagebrush.scheduler.agent.domain.RegisteredAgent;
import io.sagebrush.scheduler.endpoint.adapter.persistence.EndpointStore;
import io.sagebrush.scheduler.endpoint.domain.ServingTask;
import io.sagebrush.scheduler.endpoint.service.FleetReconciler;
import io.sagebrush.scheduler.placement.service.Placer;
import io.sagebrush.scheduler.trainingjob.adapter.persistence.CasRetry;
import io.sagebrush.scheduler.trainingjob.adapter.persistence.TrainingJobStore;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJob;
import io.sagebrush.scheduler.trainingjob.domain.TrainingTask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Declares agents lost after a silence and fails their live jobs (and serving replicas, which the
 * fleet reconciler then replaces on other agents) with a reason that says so. Run by the leader on
 * a fixed delay. Marking lost is compare-and-set on the last heartbeat, so a poll that arrives
 * meanwhile wins.
 *
 * <p>After {@link #startWatching()} (called when the scheduler loops start, i.e. after a
 * control-plane restart) silence is only counted from that moment, so agents that kept running
 * while the control plane was down get a full {@code lostAfter} to poll again before their jobs are
 * failed.
 */
public class AgentLivenessMonitor {
  private static final Logger LOG = LoggerFactory.getLogger(AgentLivenessMonitor.class);

  private final TransactionTemplate tx;
  private final AgentStore agents;
  private final TrainingJobStore jobs;
  private final Clock clock;
  private final Duration lostAfter;
  private final Placer placer;
  private final EndpointStore endpoints;
  private final FleetReconciler fleets;
  private Instant watchingSince;

  public AgentLivenessMonitor(
      TransactionTemplate tx,
      AgentStore agents,
      TrainingJobStore jobs,
      Clock clock,
      Duration lostAfter,
      Placer placer,
      EndpointStore endpoints,
      FleetReconciler fleets) {
    this.endpoints = endpoints;
    this.fleets = fleets;
    this.tx = tx;
    this.agents = agents;
    this.jobs = jobs;
    this.clock = clock;
    this.lostAfter = lostAfter;
    this.placer = placer;
  }

  /** Counts silence from now on: no agent is declared lost within {@code lostAfter} from now. */
  public synchronized void startWatching() {
    watchingSince = clock.instant();
  }

  /**
   * One check.
   *
   * @return how many agents were declared lost
   */
  public synchronized int checkOnce() {
    Instant now = clock.instant();
    if (watchingSince != null && now.isBefore(watchingSince.plus(lostAfter))) {
      return 0;
    }
    List<RegisteredAgent> silent = tx.execute(s -> agents.silentSince(now.minus(lostAfter)));
    int lost = 0;
    for (RegisteredAgent a : silent) {
      boolean declared =
          Boolean.TRUE.equals(CasRetry.run(() -> tx.execute(s -> declareLost(a, now))));
      if (declared) {
        lost++;
        placer.nudge();
        fleets.nudge();
      }
    }
    return lost;
  }

  private boolean declareLost(RegisteredAgent a, Instant now) {
    if (!agents.markLost(a.id(), a.lastHeartbeat())) {
      return false;
    }
    String reason =
        "Agent " + a.name() + " (" + a.id() + ") was lost: no heartbeat since " + a.lastHeartbeat();
    LOG.warn(reason);
    for (TrainingTask t : jobs.liveTasksOn(a.id())) {
      TrainingJob job = jobs.find(t.jobId()).orElseThrow();
      if (!job.state().terminal()) {
        job.fail("AGENT_LOST", reason, now);
        jobs.save(job);
      }
      jobs.endTask(t.id());
    }
    // Its serving replicas fail; the fleet reconciler replaces them elsewhere. Each locks its
    // endpoint's row: always in endpoint id order, so two agents lost at once cannot deadlock.
    for (ServingTask t : FleetReconciler.inLockOrder(endpoints.liveTasksOn(a.id()))) {
      fleets.failLost(t, reason);
    }
    return true;
  }
}
