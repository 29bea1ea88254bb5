package io.sagebrush.scheduler.endpoint.domain;

import java.time.Duration;

/**
 * The fleet reconciler's waits and deadlines.
 *
 * @param drainDelay a replica leaves the routing table this long before its stop order
 * @param stopTimeout a stop order unanswered this long ends the replica anyway
 * @param startupSlack added to a variant's download and startup timeouts before a replica that
 *     never became ready is failed by the control plane (the agent normally fails it first)
 * @param placementTimeout a fleet that finds no agent for this long fails the creation, rolls back
 *     the update or gives up the capacity change
 * @param updateTimeout an update's limit when its DeploymentConfig sets no
 *     MaximumExecutionTimeoutInSeconds
 * @param deleteTimeout a deleting endpoint disappears after this even if replicas did not confirm
 *     their stop
 */
public record FleetSettings(
    Duration drainDelay,
    Duration stopTimeout,
    Duration startupSlack,
    Duration placementTimeout,
    Duration updateTimeout,
    Duration deleteTimeout) {

  /** Defaults suited to tests and small deployments. */
  public static FleetSettings defaults() {
    return new FleetSettings(
        Duration.ofSeconds(5),
        Duration.ofSeconds(60),
        Duration.ofSeconds(60),
        Duration.ofMinutes(10),
        Duration.ofHours(1),
        Duration.ofMinutes(2));
  }
}
