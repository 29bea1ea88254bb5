package io.sagebrush.scheduler.trainingjob.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingJobTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static TrainingJobSpec spec(String name) {
    return new TrainingJobSpec(
        name,
        "arn:aws:iam::000000000000:role/r",
        "img",
        "File",
        List.of(),
        List.of(),
        List.of(),
        Map.of(),
        Map.of(),
        List.of(),
        "s3://b/out/",
        true,
        "ml.m5.large",
        1,
        1,
        3600,
        List.of(),
        "{}");
  }

  static TrainingJob aQueuedJob() {
    return TrainingJob.submit(
        spec("j"), "arn:aws:sagemaker:us-east-1:000000000000:training-job/j", T0);
  }

  @Test
  void intentionsAppendHistoryWithReasonsAndClockTimes() {
    TrainingJob job = aQueuedJob();
    job.placeOn("a1", "id1", T0.plusSeconds(1));
    job.markDownloading("Downloading input data", T0.plusSeconds(2));
    job.markDownloading("Downloading input data", T0.plusSeconds(3));
    job.markTraining(T0.plusSeconds(4));
    job.markUploading(T0.plusSeconds(5));
    job.complete(T0.plusSeconds(6));
    assertThat(job.newEntries())
        .extracting(HistoryEntry::reason)
        .containsExactly("CREATED", "PLACED", "DOWNLOADING", "TRAINING", "UPLOADING", "COMPLETED");
    assertThat(job.newEntries().get(1).time()).isEqualTo(T0.plusSeconds(1));
    assertThat(job.trainingStartTime()).isEqualTo(T0.plusSeconds(4));
    assertThat(job.trainingEndTime()).isEqualTo(T0.plusSeconds(6));
    assertThat(job.state()).isEqualTo(TrainingJobState.COMPLETED);
    assertThat(job.modelArtifactUri()).isEqualTo("s3://b/out/j/output/model.tar.gz");
  }

  @Test
  void anIllegalIntentionIsRefusedByTheTable() {
    TrainingJob job = aQueuedJob();
    assertThatThrownBy(() -> job.complete(T0)).isInstanceOf(IllegalTransitionException.class);
    job.fail("X", "broken", T0);
    assertThatThrownBy(() -> job.requestStop(StopCause.USER, "stop", T0))
        .isInstanceOf(IllegalTransitionException.class);
  }

  @Test
  void stopWhileQueuedStopsAtOnceAndStopWhileRunningNeedsAnOrder() {
    TrainingJob queued = aQueuedJob();
    assertThat(queued.requestStop(StopCause.USER, "by user", T0))
        .isEqualTo(TrainingJob.StopOutcome.STOPPED_AT_ONCE);
    assertThat(queued.state()).isEqualTo(TrainingJobState.STOPPED);

    TrainingJob running = aQueuedJob();
    running.placeOn("a", "a", T0);
    running.markTraining(T0);
    assertThat(running.requestStop(StopCause.MAX_RUNTIME, "max", T0))
        .isEqualTo(TrainingJob.StopOutcome.STOP_ORDER_NEEDED);
    assertThat(running.requestStop(StopCause.USER, "again", T0))
        .isEqualTo(TrainingJob.StopOutcome.ALREADY_STOPPING);
    running.stopped(false, "stopped", T0.plusSeconds(1));
    assertThat(running.secondaryStatus()).isEqualTo(SecondaryStatus.MaxRuntimeExceeded);
    assertThat(running.state().status()).isEqualTo(TrainingJobStatus.Stopped);
  }

  @Test
  void failureReasonIsCutAt1024Characters() {
    TrainingJob job = aQueuedJob();
    job.fail("X", "e".repeat(5000), T0);
    assertThat(job.failureReason()).hasSize(1024);
  }

  @Test
  void transitionsMergeRepeatsCloseEachEntryAndShowWhatAQueuedJobWaitsFor() {
    TrainingJob job = aQueuedJob();
    job.waitFor("Waiting for capacity: x", T0.plusSeconds(1));
    TrainingJobView waiting = job.view(job.newEntries(), List.of());
    assertThat(waiting.transitions())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.statusMessage()).isEqualTo("Waiting for capacity: x");
              assertThat(t.endTime()).isNull();
            });
    job.placeOn("a", "a", T0.plusSeconds(2));
    job.markTraining(T0.plusSeconds(3));
    job.fail("TASK_FAILED", "oops", T0.plusSeconds(4));
    List<StatusTransition> ts =
        job.view(new ArrayList<>(job.newEntries()), List.of()).transitions();
    assertThat(ts)
        .extracting(StatusTransition::status)
        .containsExactly(
            SecondaryStatus.Starting, SecondaryStatus.Training, SecondaryStatus.Failed);
    assertThat(ts.get(0).startTime()).isEqualTo(T0);
    assertThat(ts.get(0).endTime()).isEqualTo(T0.plusSeconds(3));
    assertThat(ts.get(0).statusMessage()).startsWith("Launched on agent a");
    assertThat(ts.get(2).endTime()).isEqualTo(T0.plusSeconds(4));
    assertThat(ts).allSatisfy(t -> assertThat(t.statusMessage()).isNotBlank());
  }
}
