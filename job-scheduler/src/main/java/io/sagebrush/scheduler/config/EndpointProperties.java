package io.sagebrush.scheduler.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Endpoints: the fleet reconciler's pace, waits and deadlines, and the routing table.
 *
 * @param reconcileInterval the leader's fleet reconciler runs at least this often (nudges wake it
 *     sooner: create, update, delete, replica events)
 * @param drainDelay a replica leaves the routing table this long before its stop order, so requests
 *     in flight finish
 * @param stopGrace seconds between SIGTERM and SIGKILL for a serving container (SageMaker: 30 s)
 * @param stopMargin a stop order unanswered for the stop grace plus this ends the replica anyway
 * @param startupSlack added to a variant's download and startup timeouts before the control plane
 *     fails a replica that never became ready (the agent normally fails it first)
 * @param placementTimeout a variant that finds no agent with room this long fails the creation,
 *     rolls the update back, or gives up the capacity change
 * @param updateTimeout an update's limit when its DeploymentConfig sets no
 *     MaximumExecutionTimeoutInSeconds
 * @param deleteTimeout a deleting endpoint disappears after this even without every stop confirmed
 * @param defaultStartupTimeout ContainerStartupHealthCheckTimeoutInSeconds when a variant sets none
 * @param defaultDownloadTimeout ModelDataDownloadTimeoutInSeconds when a variant sets none
 * @param routingRecheck a routing-table long poll checks the database this often (changes made by
 *     another control-plane replica cannot wake it directly)
 */
@ConfigurationProperties("sagebrush.scheduler.endpoints")
public record EndpointProperties(
    @DefaultValue("500ms") Duration reconcileInterval,
    @DefaultValue("5s") Duration drainDelay,
    @DefaultValue("30s") Duration stopGrace,
    @DefaultValue("30s") Duration stopMargin,
    @DefaultValue("60s") Duration startupSlack,
    @DefaultValue("10m") Duration placementTimeout,
    @DefaultValue("1h") Duration updateTimeout,
    @DefaultValue("2m") Duration deleteTimeout,
    @DefaultValue("10m") Duration defaultStartupTimeout,
    @DefaultValue("10m") Duration defaultDownloadTimeout,
    @DefaultValue("1s") Duration routingRecheck) {
  public EndpointProperties {
    if (reconcileInterval.isZero() || reconcileInterval.isNegative()) {
      throw new IllegalArgumentException(
          "sagebrush.scheduler.endpoints.reconcile-interval must be positive");
    }
  }
}
