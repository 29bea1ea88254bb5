package io.sagebrush.scheduler.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Training task behaviour.
 *
 * @param stopGrace time between SIGTERM and SIGKILL when a training task is stopped
 */
@ConfigurationProperties("sagebrush.scheduler.training")
public record TrainingProperties(@DefaultValue("120s") Duration stopGrace) {
  public TrainingProperties {
    if (stopGrace.isNegative()) {
      throw new IllegalArgumentException("sagebrush.scheduler.training.stop-grace must be >= 0");
    }
  }
}
