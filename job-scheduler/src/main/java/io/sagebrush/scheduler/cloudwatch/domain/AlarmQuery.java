package io.sagebrush.scheduler.cloudwatch.domain;

import java.util.List;

/**
 * A DescribeAlarms filter; every member may be null (no filter).
 *
 * @param afterName only alarms whose name sorts after this (the page token)
 * @param limit the most alarms returned
 */
public record AlarmQuery(
    List<String> names, String namePrefix, AlarmState state, String afterName, int limit) {}
