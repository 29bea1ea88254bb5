package io.sagebrush.scheduler.trainingjob.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The training job aggregate. State changes happen only through intentions ({@link #placeOn},
 * {@link #markTraining}, {@link #requestStop}, ...); each checks {@link TrainingJobState}'s table,
 * throws {@link IllegalTransitionException} when the change is not legal, and appends a {@link
 * HistoryEntry} with a reason and the caller's time. The entries appended since the job was loaded
 * are {@link #newEntries()}; the persistence adapter stores them and writes the row with
 * compare-and-set on {@link #version()}.
 */
public final class TrainingJob {
  /** FailureReason's limit on the wire. */
  public static final int MAX_FAILURE_REASON = 1024;

  private final Long id;
  private final String name;
  private final String arn;
  private final TrainingJobSpec spec;
  private final Instant creationTime;
  private final long version;
  private TrainingJobState state;
  private SecondaryStatus secondaryStatus;
  private StopCause stopCause;
  private String failureReason;
  private String waitingFor;
  private Instant trainingStartTime;
  private Instant trainingEndTime;
  private Instant lastModifiedTime;
  private Instant stateSince;
  private int placementAttempts;
  private final List<HistoryEntry> newEntries = new ArrayList<>();

  /** Rebuilds a stored job (the persistence adapter's constructor). */
  public TrainingJob(
      Long id,
      String name,
      String arn,
      TrainingJobSpec spec,
      TrainingJobState state,
      SecondaryStatus secondaryStatus,
      StopCause stopCause,
      String failureReason,
      String waitingFor,
      Instant creationTime,
      Instant trainingStartTime,
      Instant trainingEndTime,
      Instant lastModifiedTime,
      Instant stateSince,
      int placementAttempts,
      long version) {
    this.id = id;
    this.name = Objects.requireNonNull(name);
    this.arn = Objects.requireNonNull(arn);
    this.spec = Objects.requireNonNull(spec);
    this.state = Objects.requireNonNull(state);
    this.secondaryStatus = Objects.requireNonNull(secondaryStatus);
    this.stopCause = stopCause;
    this.failureReason = failureReason;
    this.waitingFor = waitingFor;
    this.creationTime = Objects.requireNonNull(creationTime);
    this.trainingStartTime = trainingStartTime;
    this.trainingEndTime = trainingEndTime;
    this.lastModifiedTime = Objects.requireNonNull(lastModifiedTime);
    this.stateSince = Objects.requireNonNull(stateSince);
    this.placementAttempts = placementAttempts;
    this.version = version;
  }

  /** A new job, queued: InProgress/Starting. */
  public static TrainingJob submit(TrainingJobSpec spec, String arn, Instant now) {
    TrainingJob job =
        new TrainingJob(
            null,
            spec.name(),
            arn,
            spec,
            TrainingJobState.QUEUED,
            SecondaryStatus.Starting,
            null,
            null,
            null,
            now,
            null,
            null,
            now,
            now,
            0,
            0);
    job.newEntries.add(
        new HistoryEntry(
            TrainingJobState.QUEUED,
            SecondaryStatus.Starting,
            "CREATED",
            "Preparing the instances for training",
            now));
    return job;
  }

  /** Reserves capacity on an agent: QUEUED to PLACED. */
  public void placeOn(String agentName, String agentId, Instant now) {
    move(
        TrainingJobState.PLACED,
        "PLACED",
        "Launched on agent "
            + agentName
            + " ("
            + agentId
            + "); preparing the instances for training",
        now);
    waitingFor = null;
    placementAttempts++;
  }

  /** Records what a job that fits no agent waits for (no state change). Null clears it. */
  public boolean waitFor(String what, Instant now) {
    if (state != TrainingJobState.QUEUED || Objects.equals(what, waitingFor)) {
      return false;
    }
    waitingFor = what;
    lastModifiedTime = now;
    return true;
  }

  /** The agent did not take the task in time: PLACED back to QUEUED. */
  public void requeue(String message, Instant now) {
    move(TrainingJobState.QUEUED, "REQUEUED", message, now);
  }

  /** The agent pulls the image or downloads inputs. A repeat is a no-op. */
  public void markDownloading(String message, Instant now) {
    if (state == TrainingJobState.DOWNLOADING) {
      return;
    }
    move(TrainingJobState.DOWNLOADING, "DOWNLOADING", message, now);
  }

  /** The containers run. A repeat is a no-op. Sets TrainingStartTime. */
  public void markTraining(Instant now) {
    if (state == TrainingJobState.TRAINING) {
      return;
    }
    move(
        TrainingJobState.TRAINING,
        "TRAINING",
        "Training image download completed. Training in progress.",
        now);
    if (trainingStartTime == null) {
      trainingStartTime = now;
    }
  }

  /** The containers exited 0 and outputs are being uploaded. A repeat is a no-op. */
  public void markUploading(Instant now) {
    if (state == TrainingJobState.UPLOADING) {
      return;
    }
    move(TrainingJobState.UPLOADING, "UPLOADING", "Uploading generated training model", now);
  }

  /** Outputs are uploaded: Completed. */
  public void complete(Instant now) {
    move(TrainingJobState.COMPLETED, "COMPLETED", "Training job completed", now);
    end(now);
  }

  /** Failed, with a FailureReason (truncated to 1024 characters). */
  public void fail(String reasonCode, String reason, Instant now) {
    String text = truncate(reason == null || reason.isBlank() ? "Training job failed" : reason);
    move(TrainingJobState.FAILED, reasonCode, text, now);
    failureReason = text;
    end(now);
  }

  /** What {@link #requestStop} did. */
  public enum StopOutcome {
    /** The job was queued and is Stopped now; no container ever ran. */
    STOPPED_AT_ONCE,
    /** The job is Stopping; the agent must get a stop order. */
    STOP_ORDER_NEEDED,
    /** The job was Stopping already. */
    ALREADY_STOPPING
  }

  /**
   * Requests a stop. Idempotent for a Stopping job.
   *
   * @throws IllegalTransitionException when the job already ended
   */
  public StopOutcome requestStop(StopCause cause, String message, Instant now) {
    if (state == TrainingJobState.STOPPING) {
      return StopOutcome.ALREADY_STOPPING;
    }
    if (state == TrainingJobState.QUEUED) {
      stopCause = cause;
      moveTo(TrainingJobState.STOPPED, secondaryFor(cause), "STOPPED", message, now);
      end(now);
      return StopOutcome.STOPPED_AT_ONCE;
    }
    move(TrainingJobState.STOPPING, "STOP_REQUESTED", message, now);
    stopCause = cause;
    return StopOutcome.STOP_ORDER_NEEDED;
  }

  /**
   * The task stopped: Stopped, or Stopped/MaxRuntimeExceeded when the agent hit max runtime or the
   * stop was for max runtime.
   */
  public void stopped(boolean maxRuntimeExceeded, String message, Instant now) {
    if (maxRuntimeExceeded) {
      stopCause = StopCause.MAX_RUNTIME;
    }
    StopCause cause = stopCause == null ? StopCause.USER : stopCause;
    moveTo(TrainingJobState.STOPPED, secondaryFor(cause), "STOPPED", message, now);
    end(now);
  }

  private static SecondaryStatus secondaryFor(StopCause cause) {
    return cause == StopCause.MAX_RUNTIME
        ? SecondaryStatus.MaxRuntimeExceeded
        : SecondaryStatus.Stopped;
  }

  private void end(Instant now) {
    trainingEndTime = now;
    waitingFor = null;
  }

  private void move(TrainingJobState next, String reason, String message, Instant now) {
    moveTo(next, next.secondaryStatus(), reason, message, now);
  }

  private void moveTo(
      TrainingJobState next,
      SecondaryStatus secondary,
      String reason,
      String message,
      Instant now) {
    if (!state.canBecome(next)) {
      throw new IllegalTransitionException(name, state, next);
    }
    state = next;
    secondaryStatus = secondary;
    stateSince = now;
    lastModifiedTime = now;
    newEntries.add(new HistoryEntry(next, secondary, reason, truncate(message), now));
  }

  private static String truncate(String s) {
    return s.length() <= MAX_FAILURE_REASON ? s : s.substring(0, MAX_FAILURE_REASON);
  }

  /** The S3 URI of model.tar.gz: {@code <S3OutputPath>/<job>/output/model.tar.gz}. */
  public String modelArtifactUri() {
    return outputPrefix() + "model.tar.gz";
  }

  /** The S3 URI of output.tar.gz. */
  public String outputDataUri() {
    return outputPrefix() + "output.tar.gz";
  }

  private String outputPrefix() {
    String base = spec.outputS3Path();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base + "/" + name + "/output/";
  }

  /**
   * The view DescribeTrainingJob shows.
   *
   * @param history every entry, oldest first (stored ones followed by new ones)
   * @param metrics final metric values
   */
  public TrainingJobView view(List<HistoryEntry> history, List<MetricValue> metrics) {
    return new TrainingJobView(
        spec,
        arn,
        state.status(),
        secondaryStatus,
        StatusTransitions.from(history, waitingFor),
        failureReason,
        modelArtifactUri(),
        creationTime,
        trainingStartTime,
        trainingEndTime,
        lastModifiedTime,
        metrics,
        waitingFor);
  }

  public Long id() {
    return id;
  }

  public String name() {
    return name;
  }

  public String arn() {
    return arn;
  }

  public TrainingJobSpec spec() {
    return spec;
  }

  public TrainingJobState state() {
    return state;
  }

  public SecondaryStatus secondaryStatus() {
    return secondaryStatus;
  }

  public StopCause stopCause() {
    return stopCause;
  }

  public String failureReason() {
    return failureReason;
  }

  public String waitingFor() {
    return waitingFor;
  }

  public Instant creationTime() {
    return creationTime;
  }

  public Instant trainingStartTime() {
    return trainingStartTime;
  }

  public Instant trainingEndTime() {
    return trainingEndTime;
  }

  public Instant lastModifiedTime() {
    return lastModifiedTime;
  }

  /** When the job entered its current state; deadlines count from here. */
  public Instant stateSince() {
    return stateSince;
  }

  public int placementAttempts() {
    return placementAttempts;
  }

  /** The row version this job was loaded at (compare-and-set token). */
  public long version() {
    return version;
  }

  /** History entries appended since the job was loaded. */
  public List<HistoryEntry> newEntries() {
    return List.copyOf(newEntries);
  }
}
