/** Metrics, statistic sets, metric alarms and the pure alarm evaluator. */
package io.sagebrush.scheduler.cloudwatch.domain;
