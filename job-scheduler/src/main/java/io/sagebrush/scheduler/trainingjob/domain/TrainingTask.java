package io.sagebrush.scheduler.trainingjob.domain;

import io.sagebrush.protocol.TaskAssignment;
import java.time.Instant;
import java.util.List;

/**
 * One placement of a job on an agent: the assignment sent to it and the capacity it reserves until
 * it ends.
 *
 * @param id task id
 * @param jobId the job's row id
 * @param agentId where it runs
 * @param cpus vCPUs reserved (all hosts)
 * @param memoryMb memory reserved (all hosts)
 * @param gpuIndices GPU indices reserved
 * @param assignment what the agent gets
 * @param createdAt when it was placed
 * @param acknowledged the agent reported any event for it
 * @param stopRequested a stop order is out
 * @param ended it no longer holds capacity
 * @param missingPolls consecutive polls of a restarted agent that did not list it
 */
public record TrainingTask(
    String id,
    long jobId,
    String agentId,
    double cpus,
    long memoryMb,
    List<Integer> gpuIndices,
    TaskAssignment assignment,
    Instant createdAt,
    boolean acknowledged,
    boolean stopRequested,
    boolean ended,
    int missingPolls) {}
