package io.sagebrush.api.logs;

import io.sagebrush.api.awsjson.AwsOperation;
import io.sagebrush.api.awsjson.AwsOperationProvider;
import io.sagebrush.api.awsjson.Violations;
import io.sagebrush.api.logs.LogsWire.DescribeLogGroupsRequest;
import io.sagebrush.api.logs.LogsWire.DescribeLogGroupsResponse;
import io.sagebrush.api.logs.LogsWire.DescribeLogStreamsRequest;
import io.sagebrush.api.logs.LogsWire.DescribeLogStreamsResponse;
import io.sagebrush.api.logs.LogsWire.FilterLogEventsRequest;
import io.sagebrush.api.logs.LogsWire.FilterLogEventsResponse;
import io.sagebrush.api.logs.LogsWire.FilteredLogEvent;
import io.sagebrush.api.logs.LogsWire.GetLogEventsRequest;
import io.sagebrush.api.logs.LogsWire.GetLogEventsResponse;
import io.sagebrush.api.logs.LogsWire.LogGroup;
import io.sagebrush.api.logs.LogsWire.LogStream;
import io.sagebrush.api.logs.LogsWire.OutputLogEvent;
import io.sagebrush.api.logs.LogsWire.SearchedLogStream;
import io.sagebrush.common.arn.Arns;
import io.sagebrush.common.error.ErrorCode;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.scheduler.common.Page;
import io.sagebrush.scheduler.logs.domain.LogQuery;
import io.sagebrush.scheduler.logs.domain.LogStreamInfo;
import io.sagebrush.scheduler.logs.domain.StoredLogEvent;
import io.sagebrush.scheduler.logs.service.LogStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The CloudWatch Logs operations clients use to read training output: DescribeLogGroups,
 * DescribeLogStreams, GetLogEvents and FilterLogEvents.
 *
 * <p>GetLogEvents tokens are {@code f/<event id>} (events after it) and {@code b/<event id>}
 * (events before it). When there is nothing newer, the forward token handed back equals the one
 * passed in, which is how {@code aws logs get-log-events} and the SDKs know to stop.
 * FilterLogEvents tokens are the last event id returned.
 */
@Component
public class LogsOperations implements AwsOperationProvider {
  static final String TARGET_PREFIX = "Logs_20140328.";
  static final List<String> KNOWN_GROUPS = List.of(LogStore.TRAINING_JOBS_GROUP);
  private final LogStore store;
  private final Arns arns;

  public LogsOperations(LogStore store, Arns arns) {
    this.store = store;
    this.arns = arns;
  }

  @Override
  public List<AwsOperation<?>> operations() {
    return List.of(
        AwsOperation.of(
            TARGET_PREFIX + "DescribeLogGroups",
            DescribeLogGroupsRequest.class,
            this::describeLogGroups),
        AwsOperation.of(
            TARGET_PREFIX + "DescribeLogStreams",
            DescribeLogStreamsRequest.class,
            this::describeLogStreams),
        AwsOperation.of(
            TARGET_PREFIX + "GetLogEvents", GetLogEventsRequest.class, this::getLogEvents),
        AwsOperation.of(
            TARGET_PREFIX + "FilterLogEvents",
            FilterLogEventsRequest.class,
            this::filterLogEvents));
  }

  DescribeLogGroupsResponse describeLogGroups(DescribeLogGroupsRequest r) {
    Violations v = Violations.invalidParameter();
    v.range("limit", r.limit(), 1, 50);
    v.throwIfAny();
    List<LogGroup> groups = new ArrayList<>();
    for (String group : KNOWN_GROUPS) {
      boolean prefix = r.logGroupNamePrefix() == null || group.startsWith(r.logGroupNamePrefix());
      boolean pattern = r.logGroupNamePattern() == null || group.contains(r.logGroupNamePattern());
      if (prefix && pattern && store.groupExists(group)) {
        String arn = groupArn(group);
        groups.add(new LogGroup(group, 0L, 0, arn + ":*", 0L, "STANDARD", arn));
      }
    }
    return new DescribeLogGroupsResponse(groups, null);
  }

  DescribeLogStreamsResponse describeLogStreams(DescribeLogStreamsRequest r) {
    String group = group(r.logGroupName(), r.logGroupIdentifier());
    Violations v = Violations.invalidParameter();
    v.range("limit", r.limit(), 1, 50);
    v.oneOf("orderBy", r.orderBy(), List.of("LogStreamName", "LastEventTime"));
    v.throwIfAny();
    boolean byTime = "LastEventTime".equals(r.orderBy());
    if (byTime && r.logStreamNamePrefix() != null) {
      throw new SagebrushException(
          ErrorCode.INVALID_PARAMETER, "Cannot order by LastEventTime with a logStreamNamePrefix.");
    }
    requireGroup(group);
    Page<LogStreamInfo> page =
        store.streams(
            group,
            r.logStreamNamePrefix(),
            byTime,
            Boolean.TRUE.equals(r.descending()),
            r.nextToken(),
            r.limit() == null ? 50 : r.limit());
    List<LogStream> streams =
        page.items().stream()
            .map(
                s ->
                    new LogStream(
                        s.name(),
                        s.creationTime(),
                        s.firstEventTimestamp(),
                        s.lastEventTimestamp(),
                        s.lastIngestionTime(),
                        groupArn(group) + ":log-stream:" + s.name(),
                        s.storedBytes()))
            .toList();
    return new DescribeLogStreamsResponse(streams, page.nextToken());
  }

  GetLogEventsResponse getLogEvents(GetLogEventsRequest r) {
    String group = group(r.logGroupName(), r.logGroupIdentifier());
    Violations v = Violations.invalidParameter();
    v.required("logStreamName", r.logStreamName());
    v.range("limit", r.limit(), 1, 10_000);
    v.throwIfAny();
    requireGroup(group);
    requireStream(group, r.logStreamName());
    int limit = r.limit() == null ? 10_000 : r.limit();
    Token token = Token.parse(r.nextToken());
    List<StoredLogEvent> events;
    boolean ascending;
    if (token != null) {
      ascending = token.forward;
    } else {
      ascending = Boolean.TRUE.equals(r.startFromHead());
    }
    events =
        new ArrayList<>(
            store.events(
                new LogQuery(
                    group,
                    List.of(r.logStreamName()),
                    null,
                    r.startTime(),
                    r.endTime(),
                    token != null && token.forward ? token.id : null,
                    token != null && !token.forward ? token.id : null,
                    ascending,
                    null,
                    limit)));
    if (!ascending) {
      Collections.reverse(events);
    }
    String forward;
    String backward;
    if (events.isEmpty()) {
      if (token != null && token.forward) {
        forward = r.nextToken();
        backward = "b/" + (token.id + 1);
      } else if (token != null) {
        forward = "f/" + (token.id - 1);
        backward = r.nextToken();
      } else {
        forward = "f/0";
        backward = "b/0";
      }
    } else {
      forward = "f/" + events.get(events.size() - 1).id();
      backward = "b/" + events.get(0).id();
    }
    List<OutputLogEvent> out =
        events.stream()
            .map(e -> new OutputLogEvent(e.timestamp(), e.message(), e.ingestionTime()))
            .toList();
    return new GetLogEventsResponse(out, forward, backward);
  }

  FilterLogEventsResponse filterLogEvents(FilterLogEventsRequest r) {
    String group = group(r.logGroupName(), r.logGroupIdentifier());
    Violations v = Violations.invalidParameter();
    v.range("limit", r.limit(), 1, 10_000);
    v.size("logStreamNames", r.logStreamNames(), 1, 100);
    v.throwIfAny();
    if (r.logStreamNames() != null && r.logStreamNamePrefix() != null) {
      throw new SagebrushException(
          ErrorCode.INVALID_PARAMETER,
          "logStreamNames and logStreamNamePrefix are mutually exclusive.");
    }
    requireGroup(group);
    Long after = null;
    if (r.nextToken() != null) {
      try {
        after = Long.parseLong(r.nextToken());
      } catch (NumberFormatException e) {
        throw new SagebrushException(
            ErrorCode.INVALID_PARAMETER, "The specified nextToken is invalid.");
      }
    }
    int limit = r.limit() == null ? 10_000 : r.limit();
    List<StoredLogEvent> events =
        store.events(
            new LogQuery(
                group,
                r.logStreamNames(),
                r.logStreamNamePrefix(),
                r.startTime(),
                r.endTime(),
                after,
                null,
                true,
                r.filterPattern(),
                limit));
    Set<String> searched = new LinkedHashSet<>();
    if (r.logStreamNames() != null) {
      searched.addAll(r.logStreamNames());
    }
    List<FilteredLogEvent> out = new ArrayList<>();
    for (StoredLogEvent e : events) {
      searched.add(e.stream());
      out.add(
          new FilteredLogEvent(
              e.stream(), e.timestamp(), e.message(), e.ingestionTime(), String.valueOf(e.id())));
    }
    String next =
        events.size() >= limit ? String.valueOf(events.get(events.size() - 1).id()) : null;
    return new FilterLogEventsResponse(
        out, searched.stream().map(s -> new SearchedLogStream(s, true)).toList(), next);
  }

  private String groupArn(String group) {
    return "arn:aws:logs:" + arns.region() + ":" + arns.accountId() + ":log-group:" + group;
  }

  /** The group named by logGroupName or logGroupIdentifier (a name or a log-group ARN). */
  static String group(String name, String identifier) {
    if (name != null && identifier != null) {
      throw new SagebrushException(
          ErrorCode.INVALID_PARAMETER,
          "logGroupName and logGroupIdentifier are mutually exclusive.");
    }
    String value = name != null ? name : identifier;
    if (value == null || value.isBlank()) {
      throw new SagebrushException(
          ErrorCode.INVALID_PARAMETER, "Either logGroupName or logGroupIdentifier is required.");
    }
    int marker = value.indexOf(":log-group:");
    if (value.startsWith("arn:") && marker >= 0) {
      value = value.substring(marker + ":log-group:".length());
      if (value.endsWith(":*")) {
        value = value.substring(0, value.length() - 2);
      }
    }
    return value;
  }

  private void requireGroup(String group) {
    if (!store.groupExists(group)) {
      throw new SagebrushException(
          ErrorCode.LOGS_RESOURCE_NOT_FOUND, "The specified log group does not exist.");
    }
  }

  private void requireStream(String group, String stream) {
    Page<LogStreamInfo> page = store.streams(group, stream, false, false, null, 50);
    boolean found = page.items().stream().anyMatch(s -> s.name().equals(stream));
    if (!found) {
      throw new SagebrushException(
          ErrorCode.LOGS_RESOURCE_NOT_FOUND, "The specified log stream does not exist.");
    }
  }

  private record Token(boolean forward, long id) {
    static Token parse(String token) {
      if (token == null) {
        return null;
      }
      if (token.length() > 2 && (token.startsWith("f/") || token.startsWith("b/"))) {
        try {
          return new Token(token.charAt(0) == 'f', Long.parseLong(token.substring(2)));
        } catch (NumberFormatException e) {
          // falls through to the error below
        }
      }
      throw new SagebrushException(
          ErrorCode.INVALID_PARAMETER, "The specified nextToken is invalid.");
    }
  }
}
