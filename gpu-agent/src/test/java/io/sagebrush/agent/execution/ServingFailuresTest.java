package io.sagebrush.agent.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServingFailuresTest {
  @Test
  void anExitNamesTheVariantTheCodeAndTheLastLines() {
    assertThat(ServingFailures.exited("AllTraffic", 1, List.of("loading", "boom")))
        .isEqualTo(
            "The container for production variant AllTraffic exited with code 1: loading\nboom");
  }

  @Test
  void aContainerThatSaidNothingGetsNoColon() {
    assertThat(ServingFailures.exited("v", 137, List.of()))
        .isEqualTo("The container for production variant v exited with code 137");
  }

  @Test
  void theStartupTimeoutNamesTheBudgetAndTheLastPing() {
    assertThat(
            ServingFailures.startupTimedOut(
                "AllTraffic", 240, "connection failed (Connection refused)", List.of("warming")))
        .isEqualTo(
            "The container for production variant AllTraffic did not pass the ping health check"
                + " within 240 seconds (last ping: connection failed (Connection refused)):"
                + " warming");
  }

  @Test
  void unhealthyNamesTheFailuresInARow() {
    assertThat(ServingFailures.unhealthy("v", 3, "HTTP 500", List.of("oops")))
        .isEqualTo(
            "The container for production variant v failed 3 consecutive ping health checks"
                + " (last ping: HTTP 500): oops");
  }

  @Test
  void longReasonsKeepTheNewestLogTextWithin1024Chars() {
    String reason =
        ServingFailures.exited("v", 1, List.of("a".repeat(600), "b".repeat(600), "the end"));
    assertThat(reason).hasSize(ServingFailures.LIMIT);
    assertThat(reason)
        .startsWith("The container for production variant v exited with code 1: ...")
        .endsWith("b\nthe end");
  }

  @Test
  void theLogTailKeepsTheLastNonBlankLinesCut() {
    LogTail tail = new LogTail(2);
    tail.add("one");
    tail.add("  ");
    tail.add("two");
    tail.add("x".repeat(LogTail.LINE_LIMIT + 10));
    assertThat(tail.lines()).containsExactly("two", "x".repeat(LogTail.LINE_LIMIT) + "...");
  }
}
