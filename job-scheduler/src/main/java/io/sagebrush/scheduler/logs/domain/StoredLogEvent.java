package io.sagebrush.scheduler.logs.domain;

/**
 * One stored log event.
 *
 * @param stream its log stream
 * @param id a global, increasing id (the order of ingestion); also the basis of event ids and
 *     paging tokens
 * @param timestamp epoch millis the agent observed
 * @param ingestionTime epoch millis the control plane stored it
 * @param message the line
 */
public record StoredLogEvent(
    String stream, long id, long timestamp, long ingestionTime, String message) {}
