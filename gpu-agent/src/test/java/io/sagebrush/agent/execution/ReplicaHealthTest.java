package io.sagebrush.agent.execution;

import static io.sagebrush.agent.execution.ReplicaHealth.Verdict.BECAME_READY;
import static io.sagebrush.agent.execution.ReplicaHealth.Verdict.HEALTHY;
import static io.sagebrush.agent.execution.ReplicaHealth.Verdict.STARTING;
import static io.sagebrush.agent.execution.ReplicaHealth.Verdict.STARTUP_TIMED_OUT;
import static io.sagebrush.agent.execution.ReplicaHealth.Verdict.UNHEALTHY;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReplicaHealthTest {
  private static final long MS = 1_000_000L;

  private final ReplicaHealth health =
      new ReplicaHealth(
          0, Duration.ofSeconds(10), Duration.ofMillis(200), Duration.ofSeconds(5), 3);

  @Test
  void theFirst200MakesTheReplicaReadyOnce() {
    assertThat(health.observe(false, 100 * MS)).isEqualTo(STARTING);
    assertThat(health.observe(true, 300 * MS)).isEqualTo(BECAME_READY);
    assertThat(health.observe(true, 5_400 * MS)).isEqualTo(HEALTHY);
    assertThat(health.ready()).isTrue();
  }

  @Test
  void no200BeforeTheStartupDeadlineTimesOut() {
    assertThat(health.observe(false, 9_999 * MS)).isEqualTo(STARTING);
    assertThat(health.observe(false, 10_000 * MS)).isEqualTo(STARTUP_TIMED_OUT);
  }

  @Test
  void threeFailuresInARowMakeAReadyReplicaUnhealthy() {
    health.observe(true, 0);
    assertThat(health.observe(false, 5_000 * MS)).isEqualTo(HEALTHY);
    assertThat(health.observe(false, 10_000 * MS)).isEqualTo(HEALTHY);
    assertThat(health.observe(false, 15_000 * MS)).isEqualTo(UNHEALTHY);
    assertThat(health.failuresInARow()).isEqualTo(3);
  }

  @Test
  void a200ResetsTheFailureCount() {
    health.observe(true, 0);
    health.observe(false, 5_000 * MS);
    health.observe(false, 10_000 * MS);
    assertThat(health.observe(true, 15_000 * MS)).isEqualTo(HEALTHY);
    assertThat(health.observe(false, 20_000 * MS)).isEqualTo(HEALTHY);
    assertThat(health.failuresInARow()).isEqualTo(1);
  }

  @Test
  void pingsComeEveryStartupIntervalThenEveryInterval() {
    assertThat(health.pingDue(0)).isTrue();
    health.observe(false, 0);
    assertThat(health.pingDue(199 * MS)).isFalse();
    assertThat(health.pingDue(200 * MS)).isTrue();
    health.observe(true, 200 * MS);
    assertThat(health.pingDue(5_199 * MS)).isFalse();
    assertThat(health.pingDue(5_200 * MS)).isTrue();
  }
}
