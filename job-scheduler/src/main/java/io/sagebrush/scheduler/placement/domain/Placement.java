package io.sagebrush.scheduler.placement.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses an agent for a job: all of its hosts on one agent (gang placement), CPU and memory
 * checked against capacity times the overcommit factors, GPUs never overcommitted and reserved by
 * index. Among the agents that fit, the one with the lowest CPU load after placement wins, so work
 * spreads. Multi-host jobs need the docker runtime.
 */
public final class Placement {
  private final double cpuOvercommit;
  private final double memoryOvercommit;

  public Placement(double cpuOvercommit, double memoryOvercommit) {
    if (cpuOvercommit < 1.0 || memoryOvercommit < 1.0) {
      throw new IllegalArgumentException("overcommit factors must be at least 1.0");
    }
    this.cpuOvercommit = cpuOvercommit;
    this.memoryOvercommit = memoryOvercommit;
  }

  /** Decides where {@code count} hosts of {@code type} go among {@code agents}. */
  public PlacementDecision choose(InstanceType type, int count, List<AgentCapacity> agents) {
    double cpu = (double) type.vcpus() * count;
    long memory = type.memoryMb() * count;
    int gpus = type.gpus() * count;
    AgentCapacity best = null;
    double bestLoad = Double.MAX_VALUE;
    for (AgentCapacity a : agents) {
      if (!fits(a, cpu, memory, gpus, count)) {
        continue;
      }
      double load = (a.usedCpus() + cpu) / (a.cpus() * cpuOvercommit);
      if (load < bestLoad) {
        best = a;
        bestLoad = load;
      }
    }
    if (best == null) {
      return new PlacementDecision(
          null, List.of(), cpu, memory, waitingMessage(type, count, agents));
    }
    List<Integer> free = best.freeGpus();
    List<List<Integer>> perHost = new ArrayList<>();
    for (int h = 0; h < count; h++) {
      perHost.add(List.copyOf(free.subList(h * type.gpus(), (h + 1) * type.gpus())));
    }
    return new PlacementDecision(best, List.copyOf(perHost), cpu, memory, null);
  }

  /** True when the agent has room for the whole gang. */
  public boolean fits(AgentCapacity a, double cpu, long memory, int gpus, int count) {
    if (count > 1 && !"docker".equals(a.runtime())) {
      return false;
    }
    return a.usedCpus() + cpu <= a.cpus() * cpuOvercommit + 1e-9
        && a.usedMemoryMb() + memory <= a.memoryMb() * memoryOvercommit
        && a.freeGpus().size() >= gpus;
  }

  /** The StatusMessage of a job that fits nowhere. */
  public static String waitingMessage(InstanceType type, int count, List<AgentCapacity> agents) {
    String needs =
        "Waiting for capacity: needs "
            + count
            + " x "
            + type.name()
            + " ("
            + type.describe()
            + " each)";
    if (agents.isEmpty()) {
      return needs + "; no agent registered";
    }
    if (count > 1 && agents.stream().noneMatch(a -> "docker".equals(a.runtime()))) {
      return needs + " on one agent with the docker runtime; no registered agent has it";
    }
    return needs + "; no registered agent has it free";
  }
}
