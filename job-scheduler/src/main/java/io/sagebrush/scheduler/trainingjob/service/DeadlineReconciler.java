package io.sagebrush.scheduler.trainingjob.service;

import io.sagebrush.scheduler.agent.service.AgentSignals;
import io.sagebrush.scheduler.placement.service.Placer;
import io.sagebrush.scheduler.trainingjob.adapter.persistence.CasRetry;
import io.sagebrush.scheduler.trainingjob.adapter.persistence.TrainingJobStore;
import io.sagebrush.scheduler.trainingjob.domain.Action;
import io.sagebrush.scheduler.trainingjob.domain.JobObservation;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJob;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobDecider;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobState;
import io.sagebrush.scheduler.trainingjob.domain.TrainingTask;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Ends stragglers: for every live job past a deadline, decides (pure, {@link
 * TrainingJobDecider#onTick}) and applies the result idempotently, one job per transaction with
 * compare-and-set. Run by the leader on a fixed delay.
 */
public class DeadlineReconciler {
  private static final Logger LOG = LoggerFactory.getLogger(DeadlineReconciler.class);

  private final TransactionTemplate tx;
  private final TrainingJobStore store;
  private final TrainingJobDecider decider;
  private final Clock clock;
  private final AgentSignals signals;
  private final Placer placer;

  public DeadlineReconciler(
      TransactionTemplate tx,
      TrainingJobStore store,
      TrainingJobDecider decider,
      Clock clock,
      AgentSignals signals,
      Placer placer) {
    this.tx = tx;
    this.store = store;
    this.decider = decider;
    this.clock = clock;
    this.signals = signals;
    this.placer = placer;
  }

  /**
   * One pass over the live jobs.
   *
   * @return how many jobs changed
   */
  public int reconcileOnce() {
    List<Long> ids = tx.execute(s -> store.liveNotQueued());
    int changed = 0;
    for (Long id : ids) {
      try {
        String wake = CasRetry.run(() -> tx.execute(s -> reconcile(id)));
        if (wake != null) {
          changed++;
          signals.wake(wake);
          placer.nudge();
        }
      } catch (RuntimeException e) {
        LOG.warn("Cannot reconcile training job {}: {}", id, e.toString());
      }
    }
    return changed;
  }

  /** Returns the agent to wake when something changed, else null. */
  private String reconcile(long id) {
    TrainingJob job = store.find(id).orElse(null);
    if (job == null || job.state().terminal() || job.state() == TrainingJobState.QUEUED) {
      return null;
    }
    Optional<TrainingTask> task = store.liveTaskOf(id);
    Instant now = clock.instant();
    List<Action> actions =
        decider.onTick(
            JobObservation.of(job, task.map(TrainingTask::acknowledged).orElse(false)), now);
    if (actions.isEmpty()) {
      return null;
    }
    for (Action a : actions) {
      a.applyTo(job, now);
    }
    store.save(job);
    LOG.info(
        "Training job {} is now {}: {}",
        job.name(),
        job.state(),
        actions.get(actions.size() - 1).message());
    if (task.isEmpty()) {
      return "";
    }
    String taskId = task.get().id();
    store.requestTaskStop(taskId);
    if (job.state() != TrainingJobState.STOPPING) {
      // requeued, failed or forcibly Stopped: the capacity is free again
      store.endTask(taskId);
    }
    return task.get().agentId();
  }
}
