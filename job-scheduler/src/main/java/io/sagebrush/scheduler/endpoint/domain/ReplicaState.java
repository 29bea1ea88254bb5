package io.sagebrush.scheduler.endpoint.domain;

import io.sagebrush.protocol.TaskPhase;

/**
 * The lifecycle of one serving replica (an agent task), as the control plane tracks it.
 *
 * <pre>
 *   STARTING --READY--> READY --retire/complete--> DRAINING --stopAt--> STOPPING --STOPPED--> STOPPED
 *      |                  |                           |                    |
 *      +--FAILED/timeout--+--FAILED / agent lost------+--------------------+--------------> FAILED
 * </pre>
 *
 * Only READY replicas are in the routing table. DRAINING replicas already left it and get their
 * stop order once the drain delay passed, so requests in flight can finish.
 */
public enum ReplicaState {
  /** Placed; the agent is pulling, downloading or waiting for the first ping. */
  STARTING,
  /** Answers {@code /ping}; routed. */
  READY,
  /** Out of the routing table; stopped at its stopAt time. */
  DRAINING,
  /** A stop order is out. */
  STOPPING,
  /** Ended after a stop. Terminal. */
  STOPPED,
  /** Ended by a failure (container, ping, startup deadline, lost agent). Terminal. */
  FAILED;

  /** Terminal: the replica holds no capacity. */
  public boolean ended() {
    return this == STOPPED || this == FAILED;
  }

  /** Counts toward a fleet's instances (starting or ready). */
  public boolean live() {
    return this == STARTING || this == READY;
  }

  /**
   * The state after an agent's observation, or this state when the observation changes nothing. A
   * replica that stops without having been told to counts as failed.
   */
  public ReplicaState after(TaskPhase phase) {
    if (ended()) {
      return this;
    }
    return switch (phase) {
      case READY -> this == STARTING ? READY : this;
      case FAILED -> FAILED;
      case STOPPED, SUCCEEDED -> this == STOPPING || this == DRAINING ? STOPPED : FAILED;
      default -> this;
    };
  }
}
