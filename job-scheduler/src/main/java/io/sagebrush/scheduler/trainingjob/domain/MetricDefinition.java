package io.sagebrush.scheduler.trainingjob.domain;

/** A metric to scrape from the job's log with a regular expression (first group is the value). */
public record MetricDefinition(String name, String regex) {}
