package io.sagebrush.scheduler.logs.service;

import io.sagebrush.protocol.LogLine;
import io.sagebrush.scheduler.common.Page;
import io.sagebrush.scheduler.logs.domain.LogQuery;
import io.sagebrush.scheduler.logs.domain.LogStreamInfo;
import io.sagebrush.scheduler.logs.domain.StoredLogEvent;
import java.util.List;

/** Container output, kept per log group and stream in PostgreSQL. */
public interface LogStore {
  /** The group training jobs log to. */
  String TRAINING_JOBS_GROUP = "/aws/sagemaker/TrainingJobs";

  /** Appends lines to a stream, creating the group and stream when absent. */
  void append(String group, String stream, List<LogLine> lines);

  /** Creates an empty stream (so it shows up before its first line). Idempotent. */
  void createStream(String group, String stream);

  /** Creates empty streams in one group (as {@link #createStream}, for many at once). */
  default void createStreams(String group, List<String> streams) {
    streams.forEach(s -> createStream(group, s));
  }

  boolean groupExists(String group);

  /**
   * Streams of a group, by name (or by last event time when {@code orderByLastEventTime}).
   *
   * @throws io.sagebrush.common.error.SagebrushException INVALID_PARAMETER for a bad token
   */
  Page<LogStreamInfo> streams(
      String group,
      String prefix,
      boolean orderByLastEventTime,
      boolean descending,
      String nextToken,
      int limit);

  /** Events matching a query, in the order it asks for. */
  List<StoredLogEvent> events(LogQuery query);
}
