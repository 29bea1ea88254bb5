package io.sagebrush.scheduler.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long a training job may stay in each non-terminal state (QUEUED waits without limit; its
 * StatusMessage says what for).
 *
 * @param placedNotAcknowledged placed but not taken by the agent: queued again, or failed after
 *     {@code maxPlacementAttempts}
 * @param maxPlacementAttempts placements before a job no agent takes fails
 * @param preparing taken but not running yet (image pull, input download): failed
 * @param uploading uploading outputs: failed
 * @param stoppingMargin Stopping longer than the stop grace plus this: Stopped forcibly
 * @param maxRuntimeSlack running longer than MaxRuntimeInSeconds plus this: the control plane
 *     orders a stop with MaxRuntimeExceeded (the agent normally stops it first)
 * @param reconcileInterval fixed delay of the leader's deadline reconciler
 */
@ConfigurationProperties("sagebrush.scheduler.deadlines")
public record DeadlineProperties(
    @DefaultValue("2m") Duration placedNotAcknowledged,
    @DefaultValue("3") int maxPlacementAttempts,
    @DefaultValue("1h") Duration preparing,
    @DefaultValue("1h") Duration uploading,
    @DefaultValue("2m") Duration stoppingMargin,
    @DefaultValue("30s") Duration maxRuntimeSlack,
    @DefaultValue("5s") Duration reconcileInterval) {
  public DeadlineProperties {
    if (maxPlacementAttempts < 1) {
      throw new IllegalArgumentException(
          "sagebrush.scheduler.deadlines.max-placement-attempts must be >= 1");
    }
  }
}
