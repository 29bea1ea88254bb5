package io.sagebrush.scheduler.trainingjob.domain;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The lifecycle of a training job inside Sagebrush; the single source of truth for which changes
 * are legal. Each state knows its flags, the SageMaker status and secondary status it shows, and
 * its successors. Every edge below is in the table, and a test checks that the two agree.
 *
 * <pre>
 *   QUEUED ----> PLACED ----> DOWNLOADING ----> TRAINING ----> UPLOADING ----> COMPLETED
 *   PLACED ----> TRAINING                                       (image cached, no inputs)
 *   PLACED ----> QUEUED                                         (not acknowledged in time)
 *   QUEUED ----> STOPPED                                        (stop before placement)
 *   PLACED, DOWNLOADING, TRAINING, UPLOADING ----> STOPPING ----> STOPPED
 *   QUEUED, PLACED, DOWNLOADING, TRAINING, UPLOADING, STOPPING ----> FAILED
 * </pre>
 */
public enum TrainingJobState {
  /** Waiting in the queue for an agent with free capacity. */
  QUEUED(TrainingJobStatus.InProgress, SecondaryStatus.Starting, false, false, true),
  /** Capacity reserved on an agent; the task waits to be acknowledged or started. */
  PLACED(TrainingJobStatus.InProgress, SecondaryStatus.Starting, false, true, true),
  /** The agent pulls the image or downloads input channels. */
  DOWNLOADING(TrainingJobStatus.InProgress, SecondaryStatus.Downloading, false, true, true),
  /** The containers run. */
  TRAINING(TrainingJobStatus.InProgress, SecondaryStatus.Training, false, true, true),
  /** The containers ended; outputs are being uploaded. */
  UPLOADING(TrainingJobStatus.InProgress, SecondaryStatus.Uploading, false, true, true),
  /** A stop order is out; the agent has not confirmed it yet. */
  STOPPING(TrainingJobStatus.Stopping, SecondaryStatus.Stopping, false, true, false),
  COMPLETED(TrainingJobStatus.Completed, SecondaryStatus.Completed, true, false, false),
  FAILED(TrainingJobStatus.Failed, SecondaryStatus.Failed, true, false, false),
  /** Stopped by the user or at max runtime (secondary status MaxRuntimeExceeded then). */
  STOPPED(TrainingJobStatus.Stopped, SecondaryStatus.Stopped, true, false, false);

  private static final Map<TrainingJobState, Set<TrainingJobState>> SUCCESSORS =
      new EnumMap<>(TrainingJobState.class);

  static {
    SUCCESSORS.put(QUEUED, EnumSet.of(PLACED, STOPPED, FAILED));
    SUCCESSORS.put(PLACED, EnumSet.of(QUEUED, DOWNLOADING, TRAINING, STOPPING, FAILED));
    SUCCESSORS.put(DOWNLOADING, EnumSet.of(TRAINING, STOPPING, FAILED));
    SUCCESSORS.put(TRAINING, EnumSet.of(UPLOADING, STOPPING, FAILED));
    SUCCESSORS.put(UPLOADING, EnumSet.of(COMPLETED, STOPPING, FAILED));
    SUCCESSORS.put(STOPPING, EnumSet.of(STOPPED, FAILED));
    SUCCESSORS.put(COMPLETED, EnumSet.noneOf(TrainingJobState.class));
    SUCCESSORS.put(FAILED, EnumSet.noneOf(TrainingJobState.class));
    SUCCESSORS.put(STOPPED, EnumSet.noneOf(TrainingJobState.class));
  }

  private final TrainingJobStatus status;
  private final SecondaryStatus secondaryStatus;
  private final boolean terminal;
  private final boolean holdsCapacity;
  private final boolean stoppable;

  TrainingJobState(
      TrainingJobStatus status,
      SecondaryStatus secondaryStatus,
      boolean terminal,
      boolean holdsCapacity,
      boolean stoppable) {
    this.status = status;
    this.secondaryStatus = secondaryStatus;
    this.terminal = terminal;
    this.holdsCapacity = holdsCapacity;
    this.stoppable = stoppable;
  }

  /** The TrainingJobStatus this state shows. */
  public TrainingJobStatus status() {
    return status;
  }

  /** The SecondaryStatus this state shows (STOPPED may show MaxRuntimeExceeded instead). */
  public SecondaryStatus secondaryStatus() {
    return secondaryStatus;
  }

  /** True when nothing can happen to the job any more. */
  public boolean terminal() {
    return terminal;
  }

  /** True while the job's task reserves CPU, memory and GPUs on an agent. */
  public boolean holdsCapacity() {
    return holdsCapacity;
  }

  /** True when StopTrainingJob starts a stop (STOPPING is already stopping: a no-op). */
  public boolean stoppable() {
    return stoppable;
  }

  /** The states this one may change to. */
  public Set<TrainingJobState> successors() {
    return Collections.unmodifiableSet(SUCCESSORS.get(this));
  }

  /** True when {@code next} is a legal successor. */
  public boolean canBecome(TrainingJobState next) {
    return SUCCESSORS.get(this).contains(next);
  }

  /** The states whose jobs are still alive. */
  public static Set<TrainingJobState> active() {
    EnumSet<TrainingJobState> set = EnumSet.noneOf(TrainingJobState.class);
    for (TrainingJobState s : values()) {
      if (!s.terminal) {
        set.add(s);
      }
    }
    return set;
  }
}
