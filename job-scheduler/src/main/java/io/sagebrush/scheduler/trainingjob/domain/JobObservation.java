package io.sagebrush.scheduler.trainingjob.domain;

import java.time.Instant;

/**
 * What the reconciler sees of a live job and its task.
 *
 * @param state the job's state
 * @param stateSince when it entered it
 * @param trainingStartTime when its containers started, or null
 * @param maxRuntimeSeconds its MaxRuntimeInSeconds
 * @param taskAcknowledged whether its agent took the task (false without a task)
 * @param placementAttempts how often it was placed
 */
public record JobObservation(
    TrainingJobState state,
    Instant stateSince,
    Instant trainingStartTime,
    long maxRuntimeSeconds,
    boolean taskAcknowledged,
    int placementAttempts) {

  /** Observes a job. */
  public static JobObservation of(TrainingJob job, boolean taskAcknowledged) {
    return new JobObservation(
        job.state(),
        job.stateSince(),
        job.trainingStartTime(),
        job.spec().maxRuntimeSeconds(),
        taskAcknowledged,
        job.placementAttempts());
  }
}
