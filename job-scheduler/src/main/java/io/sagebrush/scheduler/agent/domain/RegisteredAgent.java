package io.sagebrush.scheduler.agent.domain;

import java.time.Instant;
import java.util.List;

/**
 * An agent the control plane knows.
 *
 * @param id its id
 * @param name human-readable name
 * @param cpus cores offered
 * @param memoryMb memory offered, MiB
 * @param gpuIndices device indices of its GPUs
 * @param runtime {@code docker} or {@code process}
 * @param registeredAt last (re-)registration
 * @param lastHeartbeat last poll
 * @param lost declared lost (its next poll is answered 404)
 * @param restarted re-registered with a known id: its tasks are checked against what it runs
 */
public record RegisteredAgent(
    String id,
    String name,
    int cpus,
    long memoryMb,
    List<Integer> gpuIndices,
    String runtime,
    Instant registeredAt,
    Instant lastHeartbeat,
    boolean lost,
    boolean restarted) {}
