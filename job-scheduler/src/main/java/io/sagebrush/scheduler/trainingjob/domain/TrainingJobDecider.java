package io.sagebrush.scheduler.trainingjob.domain;

import io.sagebrush.protocol.TaskPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure decisions: (state, observation, now) to the intentions to apply. No I/O, no clock; the
 * services apply the result with compare-and-set and decide again when they lose a race.
 */
public final class TrainingJobDecider {
  private final Deadlines deadlines;

  public TrainingJobDecider(Deadlines deadlines) {
    this.deadlines = deadlines;
  }

  public Deadlines deadlines() {
    return deadlines;
  }

  /**
   * What an agent's observation of the job's task means. Events for an ended job, and repeats of
   * what the job already shows, decide nothing.
   *
   * @param state the job's state now
   * @param stopCause why a stop was requested, or null
   * @param phase what the agent saw
   * @param failureReason the agent's failure text for FAILED
   * @param maxRuntimeExceeded the agent stopped the task at max runtime
   */
  public List<Action> onTaskEvent(
      TrainingJobState state,
      StopCause stopCause,
      TaskPhase phase,
      String failureReason,
      boolean maxRuntimeExceeded) {
    List<Action> out = new ArrayList<>();
    if (state.terminal()) {
      return out;
    }
    switch (phase) {
      case ACCEPTED -> {
        // Acknowledgement only: the task row records it.
      }
      case PULLING_IMAGE -> {
        if (state == TrainingJobState.PLACED) {
          out.add(Action.downloading("Downloading the training image"));
        }
      }
      case DOWNLOADING -> {
        if (state == TrainingJobState.PLACED) {
          out.add(Action.downloading("Downloading input data"));
        }
      }
      case RUNNING -> {
        if (state == TrainingJobState.PLACED || state == TrainingJobState.DOWNLOADING) {
          out.add(Action.of(Action.Kind.MARK_TRAINING));
        }
      }
      case UPLOADING -> walkToUploading(state, out);
      case SUCCEEDED -> {
        if (state == TrainingJobState.STOPPING) {
          out.add(stoppedAction(stopCause, maxRuntimeExceeded));
        } else {
          walkToUploading(state, out);
          out.add(Action.of(Action.Kind.COMPLETE));
        }
      }
      case FAILED ->
          out.add(
              Action.fail(
                  "TASK_FAILED",
                  failureReason == null || failureReason.isBlank()
                      ? "AlgorithmError: the training container failed"
                      : failureReason));
      case STOPPED -> {
        if (state != TrainingJobState.STOPPING) {
          if (state == TrainingJobState.QUEUED) {
            return out;
          }
          out.add(
              Action.requestStop(
                  maxRuntimeExceeded,
                  maxRuntimeExceeded
                      ? "MaxRuntimeInSeconds exceeded; the agent stopped the training job"
                      : "The agent stopped the training job"));
        }
        out.add(stoppedAction(stopCause, maxRuntimeExceeded));
      }
      default -> throw new IllegalArgumentException(phase.toString());
    }
    return out;
  }

  private static Action stoppedAction(StopCause cause, boolean maxRuntimeExceeded) {
    boolean maxRuntime = maxRuntimeExceeded || cause == StopCause.MAX_RUNTIME;
    return Action.stopped(
        maxRuntime,
        maxRuntime ? "Training job stopped: MaxRuntimeInSeconds exceeded" : "Training job stopped");
  }

  private static void walkToUploading(TrainingJobState state, List<Action> out) {
    if (state == TrainingJobState.PLACED || state == TrainingJobState.DOWNLOADING) {
      out.add(Action.of(Action.Kind.MARK_TRAINING));
      out.add(Action.of(Action.Kind.MARK_UPLOADING));
    } else if (state == TrainingJobState.TRAINING) {
      out.add(Action.of(Action.Kind.MARK_UPLOADING));
    }
  }

  /**
   * What the deadlines say about a live job at {@code now}: nothing, a requeue, a failure, a stop
   * for max runtime, or a forced Stopped.
   */
  public List<Action> onTick(JobObservation job, Instant now) {
    Duration inState = Duration.between(job.stateSince(), now);
    switch (job.state()) {
      case PLACED -> {
        if (!job.taskAcknowledged()) {
          if (inState.compareTo(deadlines.placedNotAcknowledged()) > 0) {
            String what =
                "The agent did not acknowledge the task within "
                    + human(deadlines.placedNotAcknowledged());
            if (job.placementAttempts() < deadlines.maxPlacementAttempts()) {
              return List.of(Action.requeue(what + "; queued again"));
            }
            return List.of(
                Action.fail(
                    "PLACEMENT_TIMEOUT",
                    what + " (" + job.placementAttempts() + " placements); giving up"));
          }
        } else if (inState.compareTo(deadlines.preparing()) > 0) {
          return List.of(preparingTimeout());
        }
        return maxRuntime(job, now);
      }
      case DOWNLOADING -> {
        if (inState.compareTo(deadlines.preparing()) > 0) {
          return List.of(preparingTimeout());
        }
        return maxRuntime(job, now);
      }
      case TRAINING -> {
        return maxRuntime(job, now);
      }
      case UPLOADING -> {
        if (inState.compareTo(deadlines.uploading()) > 0) {
          return List.of(
              Action.fail(
                  "UPLOAD_TIMEOUT",
                  "Uploading the outputs took longer than " + human(deadlines.uploading())));
        }
        return List.of();
      }
      case STOPPING -> {
        if (inState.compareTo(deadlines.stopping()) > 0) {
          return List.of(
              Action.stopped(
                  false,
                  "The agent did not confirm the stop within "
                      + human(deadlines.stopping())
                      + "; marked Stopped"));
        }
        return List.of();
      }
      default -> {
        // QUEUED waits without limit (its StatusMessage says for what); terminal states are done.
        return List.of();
      }
    }
  }

  private Action preparingTimeout() {
    return Action.fail(
        "PREPARING_TIMEOUT",
        "Preparing the training job (image and input data) took longer than "
            + human(deadlines.preparing()));
  }

  private List<Action> maxRuntime(JobObservation job, Instant now) {
    if (job.trainingStartTime() == null) {
      return List.of();
    }
    Duration limit = Duration.ofSeconds(job.maxRuntimeSeconds()).plus(deadlines.maxRuntimeSlack());
    if (Duration.between(job.trainingStartTime(), now).compareTo(limit) > 0) {
      return List.of(
          Action.requestStop(
              true,
              "MaxRuntimeInSeconds ("
                  + job.maxRuntimeSeconds()
                  + " s) exceeded; stopping the training job"));
    }
    return List.of();
  }

  /** A duration as people write it: 2m, 1h, 90s. */
  public static String human(Duration d) {
    long s = d.getSeconds();
    if (s % 3600 == 0 && s > 0) {
      return (s / 3600) + "h";
    }
    if (s % 60 == 0 && s > 0) {
      return (s / 60) + "m";
    }
    return s + "s";
  }
}
