package io.sagebrush.agent.execution;

import java.util.List;

/**
 * The failure reasons of a serving replica, as DescribeEndpoint's FailureReason shows them. Each
 * names the production variant, says what happened and ends with the container's last log lines
 * (joined by newlines); the whole reason is at most {@value #LIMIT} chars, cutting the oldest log
 * text first.
 */
final class ServingFailures {
  static final int LIMIT = 1024;

  private ServingFailures() {}

  /** {@code The container for production variant V exited with code C: <last lines>}. */
  static String exited(String variant, int exitCode, List<String> lastLines) {
    return withLines(
        "The container for production variant " + variant + " exited with code " + exitCode,
        lastLines);
  }

  /**
   * {@code The container for production variant V did not pass the ping health check within N
   * seconds (last ping: D): <last lines>}.
   */
  static String startupTimedOut(
      String variant, long seconds, String lastPing, List<String> lastLines) {
    return withLines(
        "The container for production variant "
            + variant
            + " did not pass the ping health check within "
            + seconds
            + " seconds"
            + (lastPing == null ? "" : " (last ping: " + lastPing + ")"),
        lastLines);
  }

  /**
   * {@code The container for production variant V failed N consecutive ping health checks (last
   * ping: D): <last lines>}.
   */
  static String unhealthy(String variant, int failures, String lastPing, List<String> lastLines) {
    return withLines(
        "The container for production variant "
            + variant
            + " failed "
            + failures
            + " consecutive ping health checks"
            + (lastPing == null ? "" : " (last ping: " + lastPing + ")"),
        lastLines);
  }

  private static String withLines(String head, List<String> lastLines) {
    if (lastLines.isEmpty()) {
      return head.length() > LIMIT ? head.substring(0, LIMIT) : head;
    }
    String tail = String.join("\n", lastLines);
    int room = LIMIT - head.length() - 2;
    if (room <= 3) {
      return head.length() > LIMIT ? head.substring(0, LIMIT) : head;
    }
    if (tail.length() > room) {
      tail = "..." + tail.substring(tail.length() - (room - 3));
    }
    return head + ": " + tail;
  }
}
