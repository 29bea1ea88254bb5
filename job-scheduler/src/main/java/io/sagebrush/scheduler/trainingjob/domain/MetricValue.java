package io.sagebrush.scheduler.trainingjob.domain;

import java.time.Instant;

/** The last value a metric definition matched in the log. */
public record MetricValue(String metricName, double value, Instant timestamp) {}
