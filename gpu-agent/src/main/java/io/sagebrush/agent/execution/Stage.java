package io.sagebrush.agent.execution;

import io.sagebrush.agent.runtime.StageFailure;

/** One step of a task. Stages run in order on the task's thread. */
interface Stage {
  /** A short name for logs. */
  String name();

  /**
   * Does the step.
   *
   * @throws StageFailure when it failed; {@link StageFailure#retryable()} says whether running the
   *     stage again may help
   */
  void run(TaskContext context);

  /** How many times a retryable failure is tried in all (with exponential backoff up to 30 s). */
  default int attempts() {
    return 3;
  }
}
