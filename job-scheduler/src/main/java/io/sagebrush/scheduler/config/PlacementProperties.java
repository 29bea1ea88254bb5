package io.sagebrush.scheduler.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Placement of queued jobs on agents.
 *
 * @param cpuOvercommit agent CPUs count this many times (at least 1.0)
 * @param memoryOvercommit agent memory counts this many times (at least 1.0); GPUs never
 * @param interval how often the leader's placer looks at the queue when nothing wakes it
 * @param batchSize queued jobs claimed per placement transaction
 */
@ConfigurationProperties("sagebrush.scheduler.placement")
public record PlacementProperties(
    @DefaultValue("4.0") double cpuOvercommit,
    @DefaultValue("2.0") double memoryOvercommit,
    @DefaultValue("1s") Duration interval,
    @DefaultValue("200") int batchSize) {
  public PlacementProperties {
    if (cpuOvercommit < 1.0 || memoryOvercommit < 1.0) {
      throw new IllegalArgumentException(
          "sagebrush.scheduler.placement.*-overcommit must be at least 1.0");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("sagebrush.scheduler.placement.batch-size must be >= 1");
    }
  }
}
