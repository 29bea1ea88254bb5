package io.sagebrush.gateway.metrics;

import io.sagebrush.protocol.MetricBatch;

/**
 * Where the gateway's per-interval datapoints go: the metric store in this JVM (embedded), or the
 * control plane over HTTP (standalone). Called from the publisher's own thread, never on the
 * request path.
 */
@FunctionalInterface
public interface MetricSink {
  /** Nowhere: no datapoints are kept. */
  MetricSink NONE = batch -> {};

  /**
   * Takes one interval's datapoints.
   *
   * @throws RuntimeException when they could not be delivered (the publisher logs it and drops the
   *     batch)
   */
  void publish(MetricBatch batch);
}
