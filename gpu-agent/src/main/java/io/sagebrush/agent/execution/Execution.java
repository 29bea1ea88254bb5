package io.sagebrush.agent.execution;

/**
 * One task the agent runs on a thread of its own: training ({@link TaskExecution}) or serving
 * ({@link ServingExecution}). {@link #run()} returns after the terminal event was handed to the
 * reporter.
 */
public interface Execution extends Runnable {
  /** The task's id. */
  String taskId();

  /**
   * A stop order: SIGTERM, the task's grace period, SIGKILL, then STOPPED. Idempotent; a no-op once
   * the task ended.
   */
  void stop();

  /**
   * The agent registered again (the control plane had forgotten it): report again what the control
   * plane needs to route to this task. Serving tasks that are READY re-send READY with their
   * address; training tasks have nothing to repeat.
   */
  default void reannounce() {}
}
