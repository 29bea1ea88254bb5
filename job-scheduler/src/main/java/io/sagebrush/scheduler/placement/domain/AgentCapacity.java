package io.sagebrush.scheduler.placement.domain;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * An agent's capacity and what its live tasks use, as the placer sees it.
 *
 * @param agentId id
 * @param name name
 * @param runtime {@code docker} or {@code process}
 * @param cpus cores the agent offers
 * @param memoryMb memory it offers
 * @param gpuIndices its GPUs' device indices
 * @param usedCpus vCPUs reserved by live tasks
 * @param usedMemoryMb memory reserved by live tasks
 * @param usedGpus GPU indices reserved by live tasks
 */
public record AgentCapacity(
    String agentId,
    String name,
    String runtime,
    int cpus,
    long memoryMb,
    List<Integer> gpuIndices,
    double usedCpus,
    long usedMemoryMb,
    Set<Integer> usedGpus) {

  /** GPU indices not reserved, lowest first. */
  public List<Integer> freeGpus() {
    TreeSet<Integer> free = new TreeSet<>(gpuIndices);
    free.removeAll(usedGpus);
    return List.copyOf(free);
  }

  /** This agent with a placement's reservation added. */
  public AgentCapacity reserve(double cpu, long memory, List<Integer> gpus) {
    Set<Integer> used = new TreeSet<>(usedGpus);
    used.addAll(gpus);
    return new AgentCapacity(
        agentId,
        name,
        runtime,
        cpus,
        memoryMb,
        gpuIndices,
        usedCpus + cpu,
        usedMemoryMb + memory,
        Set.copyOf(used));
  }
}
