package io.sagebrush.scheduler.agent.service;

import io.sagebrush.protocol.AgentRegistration;
import io.sagebrush.protocol.LogBatch;
import io.sagebrush.protocol.PollRequest;
import io.sagebrush.protocol.PollResponse;
import io.sagebrush.protocol.RegistrationResponse;
import io.sagebrush.protocol.TaskEvent;
import java.time.Duration;

/** The control plane's side of the agent protocol (see {@code io.sagebrush.protocol}). */
public interface AgentCoordinator {

  /** Registers a new agent, or re-registers a known id (capacity may change). */
  RegistrationResponse register(AgentRegistration registration);

  /**
   * Records a heartbeat and returns work, waiting up to {@code maxWait} while there is none.
   *
   * @throws io.sagebrush.common.error.SagebrushException RESOURCE_NOT_FOUND for an unknown agent
   *     (the edge answers 404 and the agent registers again)
   */
  PollResponse poll(String agentId, PollRequest request, Duration maxWait);

  /**
   * Records an observation of a task; the scheduler decides what it means for the job. A repeat of
   * an already-applied event, or an event for a job that already ended, is ignored.
   *
   * @throws io.sagebrush.common.error.SagebrushException RESOURCE_NOT_FOUND for an unknown task
   */
  void report(String taskId, TaskEvent event);

  /** Appends container output to the task's log stream and scrapes metric definitions. */
  void appendLogs(String taskId, LogBatch batch);
}
