package io.sagebrush.scheduler.trainingjob.domain;

import java.time.Instant;

/**
 * One intention the decider asks for; {@link #applyTo} calls it on the aggregate.
 *
 * @param kind which intention
 * @param reasonCode the history reason code (FAIL only)
 * @param message the status message or failure reason
 * @param flag REQUEST_STOP: true for a max-runtime stop; STOPPED: max runtime exceeded
 */
public record Action(Kind kind, String reasonCode, String message, boolean flag) {

  /** The intentions of {@link TrainingJob}. */
  public enum Kind {
    MARK_DOWNLOADING,
    MARK_TRAINING,
    MARK_UPLOADING,
    COMPLETE,
    FAIL,
    REQUEST_STOP,
    STOPPED,
    REQUEUE
  }

  public static Action of(Kind kind) {
    return new Action(kind, null, null, false);
  }

  public static Action downloading(String message) {
    return new Action(Kind.MARK_DOWNLOADING, null, message, false);
  }

  public static Action fail(String reasonCode, String reason) {
    return new Action(Kind.FAIL, reasonCode, reason, false);
  }

  public static Action requestStop(boolean maxRuntime, String message) {
    return new Action(Kind.REQUEST_STOP, null, message, maxRuntime);
  }

  public static Action stopped(boolean maxRuntimeExceeded, String message) {
    return new Action(Kind.STOPPED, null, message, maxRuntimeExceeded);
  }

  public static Action requeue(String message) {
    return new Action(Kind.REQUEUE, null, message, false);
  }

  /** Calls the intention on the job; throws what the intention throws. */
  public void applyTo(TrainingJob job, Instant now) {
    switch (kind) {
      case MARK_DOWNLOADING -> job.markDownloading(message, now);
      case MARK_TRAINING -> job.markTraining(now);
      case MARK_UPLOADING -> job.markUploading(now);
      case COMPLETE -> job.complete(now);
      case FAIL -> job.fail(reasonCode, message, now);
      case REQUEST_STOP ->
          job.requestStop(flag ? StopCause.MAX_RUNTIME : StopCause.USER, message, now);
      case STOPPED -> job.stopped(flag, message, now);
      case REQUEUE -> job.requeue(message, now);
      default -> throw new IllegalArgumentException(kind.toString());
    }
  }
}
