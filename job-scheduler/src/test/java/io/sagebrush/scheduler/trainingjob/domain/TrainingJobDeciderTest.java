package io.sagebrush.scheduler.trainingjob.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.protocol.TaskPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingJobDeciderTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  final TrainingJobDecider decider =
      new TrainingJobDecider(
          new Deadlines(
              Duration.ofMinutes(2),
              2,
              Duration.ofHours(1),
              Duration.ofHours(1),
              Duration.ofSeconds(240),
              Duration.ofSeconds(30)));

  private List<Action.Kind> onEvent(TrainingJobState s, StopCause c, TaskPhase p, boolean max) {
    return decider.onTaskEvent(s, c, p, null, max).stream().map(Action::kind).toList();
  }

  @Test
  void phasesMapToIntentionsAndRepeatsDecideNothing() {
    assertThat(onEvent(TrainingJobState.PLACED, null, TaskPhase.ACCEPTED, false)).isEmpty();
    assertThat(onEvent(TrainingJobState.PLACED, null, TaskPhase.PULLING_IMAGE, false))
        .containsExactly(Action.Kind.MARK_DOWNLOADING);
    assertThat(onEvent(TrainingJobState.DOWNLOADING, null, TaskPhase.DOWNLOADING, false)).isEmpty();
    assertThat(onEvent(TrainingJobState.DOWNLOADING, null, TaskPhase.RUNNING, false))
        .containsExactly(Action.Kind.MARK_TRAINING);
    assertThat(onEvent(TrainingJobState.TRAINING, null, TaskPhase.RUNNING, false)).isEmpty();
    assertThat(onEvent(TrainingJobState.UPLOADING, null, TaskPhase.SUCCEEDED, false))
        .containsExactly(Action.Kind.COMPLETE);
    assertThat(onEvent(TrainingJobState.PLACED, null, TaskPhase.SUCCEEDED, false))
        .containsExactly(
            Action.Kind.MARK_TRAINING, Action.Kind.MARK_UPLOADING, Action.Kind.COMPLETE);
    assertThat(onEvent(TrainingJobState.COMPLETED, null, TaskPhase.FAILED, false)).isEmpty();
  }

  @Test
  void stoppedMeansMaxRuntimeExceededWhenTheAgentOrTheStopSaysSo() {
    List<Action> byAgent =
        decider.onTaskEvent(TrainingJobState.TRAINING, null, TaskPhase.STOPPED, null, true);
    assertThat(byAgent)
        .extracting(Action::kind)
        .containsExactly(Action.Kind.REQUEST_STOP, Action.Kind.STOPPED);
    assertThat(byAgent.get(1).flag()).isTrue();
    List<Action> afterMaxStop =
        decider.onTaskEvent(
            TrainingJobState.STOPPING, StopCause.MAX_RUNTIME, TaskPhase.STOPPED, null, false);
    assertThat(afterMaxStop).singleElement().satisfies(a -> assertThat(a.flag()).isTrue());
    List<Action> afterUserStop =
        decider.onTaskEvent(
            TrainingJobState.STOPPING, StopCause.USER, TaskPhase.STOPPED, null, false);
    assertThat(afterUserStop).singleElement().satisfies(a -> assertThat(a.flag()).isFalse());
  }

  @Test
  void failedCarriesTheAgentsReasonOrADefault() {
    assertThat(decider.onTaskEvent(TrainingJobState.TRAINING, null, TaskPhase.FAILED, "bad", false))
        .singleElement()
        .satisfies(a -> assertThat(a.message()).isEqualTo("bad"));
    assertThat(decider.onTaskEvent(TrainingJobState.TRAINING, null, TaskPhase.FAILED, null, false))
        .singleElement()
        .satisfies(a -> assertThat(a.message()).startsWith("AlgorithmError"));
  }

  private JobObservation observe(
      TrainingJobState s, Duration inState, boolean acked, int attempts, Instant trainingStart) {
    return new JobObservation(s, T0.minus(inState), trainingStart, 60, acked, attempts);
  }

  @Test
  void unacknowledgedPlacementIsRequeuedThenFailedAfterMaxAttempts() {
    assertThat(
            decider.onTick(
                observe(TrainingJobState.PLACED, Duration.ofMinutes(2), false, 1, null), T0))
        .isEmpty();
    assertThat(
            decider.onTick(
                observe(TrainingJobState.PLACED, Duration.ofSeconds(121), false, 1, null), T0))
        .extracting(Action::kind)
        .containsExactly(Action.Kind.REQUEUE);
    assertThat(
            decider.onTick(
                observe(TrainingJobState.PLACED, Duration.ofSeconds(121), false, 2, null), T0))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.kind()).isEqualTo(Action.Kind.FAIL);
              assertThat(a.message()).contains("did not acknowledge the task within 2m");
            });
  }

  @Test
  void everyNonTerminalStateHasADeadline() {
    assertThat(
            decider.onTick(
                observe(TrainingJobState.DOWNLOADING, Duration.ofMinutes(61), true, 1, null), T0))
        .extracting(Action::reasonCode)
        .containsExactly("PREPARING_TIMEOUT");
    assertThat(
            decider.onTick(
                observe(TrainingJobState.UPLOADING, Duration.ofMinutes(61), true, 1, null), T0))
        .extracting(Action::reasonCode)
        .containsExactly("UPLOAD_TIMEOUT");
    assertThat(
            decider.onTick(
                observe(TrainingJobState.STOPPING, Duration.ofSeconds(241), true, 1, null), T0))
        .singleElement()
        .satisfies(a -> assertThat(a.kind()).isEqualTo(Action.Kind.STOPPED));
    assertThat(
            decider.onTick(
                observe(TrainingJobState.STOPPING, Duration.ofSeconds(239), true, 1, null), T0))
        .isEmpty();
    assertThat(
            decider.onTick(
                observe(TrainingJobState.QUEUED, Duration.ofDays(30), false, 0, null), T0))
        .isEmpty();
  }

  @Test
  void trainingPastMaxRuntimePlusSlackIsStoppedForMaxRuntime() {
    assertThat(
            decider.onTick(
                observe(
                    TrainingJobState.TRAINING, Duration.ofMinutes(5), true, 1, T0.minusSeconds(90)),
                T0))
        .isEmpty();
    assertThat(
            decider.onTick(
                observe(
                    TrainingJobState.TRAINING, Duration.ofMinutes(5), true, 1, T0.minusSeconds(91)),
                T0))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.kind()).isEqualTo(Action.Kind.REQUEST_STOP);
              assertThat(a.flag()).isTrue();
            });
  }
}
