package io.sagebrush.scheduler.placement.domain;

import java.util.List;

/**
 * Where a job goes, or what it waits for.
 *
 * @param agent the chosen agent, null when none fits
 * @param gpusPerHost GPU indices per host (host i gets element i), empty lists without GPUs
 * @param totalCpus vCPUs reserved (all hosts)
 * @param totalMemoryMb memory reserved (all hosts)
 * @param waitingFor when no agent fits: the StatusMessage saying what the job waits for
 */
public record PlacementDecision(
    AgentCapacity agent,
    List<List<Integer>> gpusPerHost,
    double totalCpus,
    long totalMemoryMb,
    String waitingFor) {

  public boolean placed() {
    return agent != null;
  }
}
