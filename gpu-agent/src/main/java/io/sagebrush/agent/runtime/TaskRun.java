package io.sagebrush.agent.runtime;

import io.sagebrush.protocol.TaskAssignment;

/**
 * A task as a runtime sees it.
 *
 * @param agentId the agent running it (containers are labelled with it)
 * @param task what to run
 * @param workspace its directory on the agent
 */
public record TaskRun(String agentId, TaskAssignment task, JobWorkspace workspace) {}
