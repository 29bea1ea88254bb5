package io.sagebrush.scheduler.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * CloudWatch metric alarms and the metric store.
 *
 * @param evaluationInterval the leader looks for alarms with a newly complete window this often
 * @param evaluationDelay a window is evaluated this long after it ends, so datapoints on their way
 *     (a gateway publishes an interval right after it ends) are in
 * @param retention datapoints older than this are deleted
 */
@ConfigurationProperties("sagebrush.scheduler.alarms")
public record AlarmProperties(
    @DefaultValue("2s") Duration evaluationInterval,
    @DefaultValue("3s") Duration evaluationDelay,
    @DefaultValue("1d") Duration retention) {
  public AlarmProperties {
    if (evaluationInterval.isZero() || evaluationInterval.isNegative()) {
      throw new IllegalArgumentException(
          "sagebrush.scheduler.alarms.evaluation-interval must be positive");
    }
    if (evaluationDelay.isNegative()) {
      throw new IllegalArgumentException(
          "sagebrush.scheduler.alarms.evaluation-delay must not be negative");
    }
    if (retention.compareTo(Duration.ofHours(1)) < 0) {
      throw new IllegalArgumentException(
          "sagebrush.scheduler.alarms.retention must be at least 1h");
    }
  }
}
