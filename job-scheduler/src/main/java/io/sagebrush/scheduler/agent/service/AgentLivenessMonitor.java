package io.sagebrush.scheduler.agent.service;

import io.sagebrush.scheduler.agent.adapter.persistence.AgentStore;
import io.sagebrush.scheduler.agent.domain.RegisteredAgent;
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
 * Declares agents lost after a silence and fails their live jobs with a reason that says so. Run by
 * the leader on a fixed delay. Marking lost is compare-and-set on the last heartbeat, so a poll
 * that arrives meanwhile wins.
 */
public class AgentLivenessMonitor {
  private static final Logger LOG = LoggerFactory.getLogger(AgentLivenessMonitor.class);

  private final TransactionTemplate tx;
  private final AgentStore agents;
  private final TrainingJobStore jobs;
  private final Clock clock;
  private final Duration lostAfter;
  private final Placer placer;

  public AgentLivenessMonitor(
      TransactionTemplate tx,
      AgentStore agents,
      TrainingJobStore jobs,
      Clock clock,
      Duration lostAfter,
      Placer placer) {
    this.tx = tx;
    this.agents = agents;
    this.jobs = jobs;
    this.clock = clock;
    this.lostAfter = lostAfter;
    this.placer = placer;
  }

  /**
   * One check.
   *
   * @return how many agents were declared lost
   */
  public int checkOnce() {
    Instant now = clock.instant();
    List<RegisteredAgent> silent = tx.execute(s -> agents.silentSince(now.minus(lostAfter)));
    int lost = 0;
    for (RegisteredAgent a : silent) {
      boolean declared =
          Boolean.TRUE.equals(CasRetry.run(() -> tx.execute(s -> declareLost(a, now))));
      if (declared) {
        lost++;
        placer.nudge();
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
    return true;
  }
}
