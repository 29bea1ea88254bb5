package io.sagebrush.scheduler.endpoint.domain;

import io.sagebrush.protocol.TaskAssignment;
import java.time.Instant;

/**
 * A serving replica as the agent protocol sees it: the assignment sent to its agent and the order
 * flags.
 *
 * @param stopRequested a stop order is out
 * @param ended it holds no capacity any more
 * @param missingPolls consecutive polls of a restarted agent that did not list it
 */
public record ServingTask(
    String id,
    long endpointId,
    String endpointName,
    String agentId,
    ReplicaState state,
    TaskAssignment assignment,
    boolean acknowledged,
    boolean stopRequested,
    boolean ended,
    Instant createdAt,
    int missingPolls) {}
