package io.sagebrush.scheduler.logs.domain;

import java.util.List;

/**
 * Which events to read from one log group. Null members do not filter.
 *
 * @param group log group name
 * @param streams exact stream names
 * @param streamPrefix stream name prefix
 * @param startTime events with timestamp at or after (epoch millis)
 * @param endTime events with timestamp before (epoch millis)
 * @param afterId only events with an id greater than this (forward paging)
 * @param beforeId only events with an id smaller than this (backward paging)
 * @param ascending order by id ascending (true) or descending
 * @param filterPattern CloudWatch-style terms: every unquoted term, or the quoted phrase, must
 *     appear (case-sensitive); null or blank matches all
 * @param limit at most this many events
 */
public record LogQuery(
    String group,
    List<String> streams,
    String streamPrefix,
    Long startTime,
    Long endTime,
    Long afterId,
    Long beforeId,
    boolean ascending,
    String filterPattern,
    int limit) {}
