package io.sagebrush.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;

/** The meters of one endpoint variant; see {@link GatewayMetrics} for their names. */
public record VariantMeters(
    Counter invocations,
    Counter invocationsPerInstance,
    Counter errors4xx,
    Counter errors5xx,
    Counter modelErrors,
    DistributionSummary modelLatencyMicros,
    DistributionSummary overheadLatencyMicros) {

  /** Counts a request sent to the variant, which has {@code replicas} replicas. */
  public void invoked(int replicas) {
    invocations.increment();
    invocationsPerInstance.increment(1.0 / Math.max(1, replicas));
  }

  /** Counts the status the client was answered with. */
  public void answered(int status) {
    if (status >= 500) {
      errors5xx.increment();
    } else if (status >= 400) {
      errors4xx.increment();
    }
  }
}
