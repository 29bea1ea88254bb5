package io.sagebrush.protocol;

import java.util.List;
import java.util.Map;

/**
 * Metric datapoints a gateway publishes ({@code POST /gateway/v1/metrics}, see {@link
 * GatewayProtocol}): one statistic set per metric and interval.
 */
public record MetricBatch(List<Datum> data) {
  public MetricBatch {
    data = data == null ? List.of() : List.copyOf(data);
  }

  /**
   * @param timestampMillis the start of the interval the values were taken in
   * @param unit a CloudWatch StandardUnit name (Count, Microseconds, ...)
   */
  public record Datum(
      String namespace,
      String metricName,
      Map<String, String> dimensions,
      long timestampMillis,
      String unit,
      double sampleCount,
      double sum,
      double min,
      double max) {}
}
