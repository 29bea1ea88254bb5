package io.sagebrush.protocol;

import java.util.List;

/**
 * Work for the agent.
 *
 * @param assign new tasks to run
 * @param stop task ids to stop (SIGTERM, the task's grace period, SIGKILL, then upload what exists
 *     and report STOPPED); also sent for tasks the control plane no longer wants
 */
public record PollResponse(List<TaskAssignment> assign, List<String> stop) {
  public static PollResponse empty() {
    return new PollResponse(List.of(), List.of());
  }
}
