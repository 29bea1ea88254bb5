package io.sagebrush.agent.execution;

import io.sagebrush.protocol.TaskEvent;
import io.sagebrush.protocol.TaskPhase;

/**
 * Where a task execution reports to. Implementations deliver in call order and must be thread-safe;
 * container log lines may arrive from several threads.
 */
public interface TaskReporter {
  /** A non-terminal phase began. */
  void phase(TaskPhase phase, String message);

  /**
   * Serving tasks: the replica answered {@code GET /ping} with 200 for the first time.
   *
   * @param address the replica's base URL as gateways reach it, e.g. {@code http://10.0.0.5:32771}
   * @param message a short note
   */
  void ready(String address, String message);

  /** One line of a host's output for the given log stream. */
  void log(String logStream, String line);

  /**
   * The task ended. Called exactly once, after every other event; {@code event.phase()} is
   * terminal. Log lines come before it, except for a serving replica that failed: what its
   * container writes while it is being ended may follow.
   */
  void finish(TaskEvent event);
}
