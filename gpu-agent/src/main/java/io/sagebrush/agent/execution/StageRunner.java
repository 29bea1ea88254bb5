package io.sagebrush.agent.execution;

import io.sagebrush.agent.runtime.StageFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a stage, trying retryable failures again with exponential backoff. */
final class StageRunner {
  private static final long MAX_BACKOFF_MILLIS = 30_000;
  private static final Logger log = LoggerFactory.getLogger(StageRunner.class);

  private StageRunner() {}

  /**
   * Runs {@code stage} up to {@link Stage#attempts()} times while it fails retryably and no stop
   * was requested.
   *
   * @throws StageFailure the last failure
   */
  static void run(Stage stage, TaskContext context) {
    for (int attempt = 1; ; attempt++) {
      try {
        stage.run(context);
        return;
      } catch (StageFailure f) {
        if (!f.retryable() || attempt >= stage.attempts() || context.stopRequested()) {
          throw f;
        }
        log.warn(
            "Stage '{}' of task {} failed, retrying: {}",
            stage.name(),
            context.task().taskId(),
            f.getMessage());
        try {
          Thread.sleep(Math.min(MAX_BACKOFF_MILLIS, 1000L << Math.min(attempt - 1, 5)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw f;
        }
      }
    }
  }
}
