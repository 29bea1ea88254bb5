package io.sagebrush.scheduler.logs.domain;

/** A log stream as DescribeLogStreams shows it; times are epoch milliseconds, null if none. */
public record LogStreamInfo(
    String group,
    String name,
    long creationTime,
    Long firstEventTimestamp,
    Long lastEventTimestamp,
    Long lastIngestionTime,
    long storedBytes) {}
