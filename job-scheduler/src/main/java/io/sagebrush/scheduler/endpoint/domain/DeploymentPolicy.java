package io.sagebrush.scheduler.endpoint.domain;

import java.util.List;

/**
 * A validated DeploymentConfig: at most one of {@code blueGreen} and {@code rolling}; neither means
 * SageMaker's default (blue/green, all at once, no waits).
 *
 * @param blueGreen BlueGreenUpdatePolicy, or null
 * @param rolling RollingUpdatePolicy, or null
 * @param rollbackAlarms AutoRollbackConfiguration alarm names (stored and echoed)
 * @param echoJson the DeploymentConfig member as sent, echoed as LastDeploymentConfig
 */
public record DeploymentPolicy(
    BlueGreen blueGreen, Rolling rolling, List<String> rollbackAlarms, String echoJson) {

  public DeploymentPolicy {
    rollbackAlarms = rollbackAlarms == null ? List.of() : List.copyOf(rollbackAlarms);
  }

  /** Type is INSTANCE_COUNT or CAPACITY_PERCENT. */
  public record CapacitySize(String type, int value) {}

  /** Type is ALL_AT_ONCE, CANARY or LINEAR; canarySize/linearStepSize may be null. */
  public record TrafficRouting(
      String type, int waitIntervalSeconds, CapacitySize canarySize, CapacitySize linearStepSize) {}

  public record BlueGreen(
      TrafficRouting trafficRouting,
      int terminationWaitSeconds,
      Integer maximumExecutionTimeoutSeconds) {}

  public record Rolling(
      CapacitySize maximumBatchSize,
      int waitIntervalSeconds,
      Integer maximumExecutionTimeoutSeconds,
      CapacitySize rollbackMaximumBatchSize) {}
}
