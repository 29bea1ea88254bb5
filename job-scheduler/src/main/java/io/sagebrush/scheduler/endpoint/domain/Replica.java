package io.sagebrush.scheduler.endpoint.domain;

import java.time.Instant;

/**
 * One serving replica: a task on an agent.
 *
 * @param id the task id
 * @param address base URL once READY
 * @param failureReason why it failed, as the agent (or the control plane) said
 * @param stopAt for DRAINING: when the stop order goes out
 * @param stateSince when it entered its state
 */
public record Replica(
    String id,
    int generation,
    String variantName,
    String agentId,
    ReplicaState state,
    String address,
    String failureReason,
    boolean acknowledged,
    Instant createdAt,
    Instant readyAt,
    Instant stateSince,
    Instant stopAt) {

  public boolean of(Fleet f) {
    return generation == f.generation() && variantName.equals(f.variantName());
  }
}
