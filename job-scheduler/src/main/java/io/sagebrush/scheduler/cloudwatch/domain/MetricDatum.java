package io.sagebrush.scheduler.cloudwatch.domain;

import java.time.Instant;

/**
 * Values of one metric at one time (PutMetricData's MetricDatum, or a gateway's interval).
 *
 * @param unit a CloudWatch StandardUnit name, or null
 */
public record MetricDatum(MetricKey key, Instant timestamp, String unit, StatisticSet values) {}
