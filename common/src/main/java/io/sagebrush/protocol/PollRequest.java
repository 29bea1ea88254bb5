package io.sagebrush.protocol;

import java.util.List;

/**
 * A heartbeat and long poll.
 *
 * @param runningTaskIds the tasks the agent is executing right now
 */
public record PollRequest(List<String> runningTaskIds) {}
