package io.sagebrush.api.logs;

import java.util.List;

/** CloudWatch Logs shapes as they travel (camelCase members; times are epoch milliseconds). */
public final class LogsWire {
  private LogsWire() {}

  public record DescribeLogGroupsRequest(
      String logGroupNamePrefix, String logGroupNamePattern, String nextToken, Integer limit) {}

  public record LogGroup(
      String logGroupName,
      Long creationTime,
      Integer metricFilterCount,
      String arn,
      Long storedBytes,
      String logGroupClass,
      String logGroupArn) {}

  public record DescribeLogGroupsResponse(List<LogGroup> logGroups, String nextToken) {}

  public record DescribeLogStreamsRequest(
      String logGroupName,
      String logGroupIdentifier,
      String logStreamNamePrefix,
      String orderBy,
      Boolean descending,
      String nextToken,
      Integer limit) {}

  public record LogStream(
      String logStreamName,
      Long creationTime,
      Long firstEventTimestamp,
      Long lastEventTimestamp,
      Long lastIngestionTime,
      String arn,
      Long storedBytes) {}

  public record DescribeLogStreamsResponse(List<LogStream> logStreams, String nextToken) {}

  public record GetLogEventsRequest(
      String logGroupName,
      String logGroupIdentifier,
      String logStreamName,
      Long startTime,
      Long endTime,
      String nextToken,
      Integer limit,
      Boolean startFromHead) {}

  public record OutputLogEvent(Long timestamp, String message, Long ingestionTime) {}

  public record GetLogEventsResponse(
      List<OutputLogEvent> events, String nextForwardToken, String nextBackwardToken) {}

  public record FilterLogEventsRequest(
      String logGroupName,
      String logGroupIdentifier,
      List<String> logStreamNames,
      String logStreamNamePrefix,
      Long startTime,
      Long endTime,
      String filterPattern,
      String nextToken,
      Integer limit,
      Boolean interleaved) {}

  public record FilteredLogEvent(
      String logStreamName, Long timestamp, String message, Long ingestionTime, String eventId) {}

  public record SearchedLogStream(String logStreamName, Boolean searchedCompletely) {}

  public record FilterLogEventsResponse(
      List<FilteredLogEvent> events,
      List<SearchedLogStream> searchedLogStreams,
      String nextToken) {}
}
