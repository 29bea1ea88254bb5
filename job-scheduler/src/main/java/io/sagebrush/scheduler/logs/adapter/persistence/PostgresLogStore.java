package io.sagebrush.scheduler.logs.adapter.persistence;

import io.sagebrush.common.error.ErrorCode;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.protocol.LogLine;
import io.sagebrush.scheduler.common.Page;
import io.sagebrush.scheduler.common.PageToken;
import io.sagebrush.scheduler.logs.domain.LogQuery;
import io.sagebrush.scheduler.logs.domain.LogStreamInfo;
import io.sagebrush.scheduler.logs.domain.StoredLogEvent;
import io.sagebrush.scheduler.logs.service.LogStore;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Log events in PostgreSQL. Each append runs in a transaction (the caller's, or its own); the
 * stream's first/last event timestamps and stored bytes are kept on the stream row.
 */
public class PostgresLogStore implements LogStore {
  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final Clock clock;

  public PostgresLogStore(JdbcTemplate jdbc, TransactionTemplate tx, Clock clock) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.clock = clock;
  }

  @Override
  public void append(String group, String stream, List<LogLine> lines) {
    if (lines == null || lines.isEmpty()) {
      createStream(group, stream);
      return;
    }
    tx.executeWithoutResult(
        s -> {
          long streamId = ensureStream(group, stream);
          long now = clock.millis();
          long bytes = 0;
          long first = Long.MAX_VALUE;
          long last = Long.MIN_VALUE;
          List<Object[]> rows = new ArrayList<>(lines.size());
          for (LogLine l : lines) {
            String msg = l.message() == null ? "" : l.message();
            rows.add(new Object[] {streamId, l.timestampMillis(), now, msg});
            bytes += msg.getBytes(StandardCharsets.UTF_8).length;
            first = Math.min(first, l.timestampMillis());
            last = Math.max(last, l.timestampMillis());
          }
          jdbc.batchUpdate(
              "INSERT INTO log_event (stream_id, event_timestamp, ingestion_time, message)"
                  + " VALUES (?, ?, ?, ?)",
              rows);
          jdbc.update(
              "UPDATE log_stream SET first_event_timestamp = LEAST(COALESCE(first_event_timestamp, ?), ?),"
                  + " last_event_timestamp = GREATEST(COALESCE(last_event_timestamp, ?), ?),"
                  + " last_ingestion_time = ?, stored_bytes = stored_bytes + ? WHERE id = ?",
              first,
              first,
              last,
              last,
              now,
              bytes,
              streamId);
        });
  }

  @Override
  public void createStream(String group, String stream) {
    tx.executeWithoutResult(s -> ensureStream(group, stream));
  }

  @Override
  public void createStreams(String group, List<String> streams) {
    if (streams.isEmpty()) {
      return;
    }
    tx.executeWithoutResult(
        s -> {
          long now = clock.millis();
          jdbc.update(
              "INSERT INTO log_group (name, creation_time) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
              group,
              now);
          List<Object[]> rows = new ArrayList<>();
          for (String stream : streams) {
            rows.add(new Object[] {group, stream, now});
          }
          jdbc.batchUpdate(
              "INSERT INTO log_stream (group_name, name, creation_time) VALUES (?, ?, ?)"
                  + " ON CONFLICT (group_name, name) DO NOTHING",
              rows);
        });
  }

  private long ensureStream(String group, String stream) {
    long now = clock.millis();
    jdbc.update(
        "INSERT INTO log_group (name, creation_time) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
        group,
        now);
    jdbc.update(
        "INSERT INTO log_stream (group_name, name, creation_time) VALUES (?, ?, ?)"
            + " ON CONFLICT (group_name, name) DO NOTHING",
        group,
        stream,
        now);
    Long id =
        jdbc.queryForObject(
            "SELECT id FROM log_stream WHERE group_name = ? AND name = ?",
            Long.class,
            group,
            stream);
    return id;
  }

  @Override
  public boolean groupExists(String group) {
    Integer n =
        jdbc.queryForObject("SELECT count(*) FROM log_group WHERE name = ?", Integer.class, group);
    return n != null && n > 0;
  }

  @Override
  public Page<LogStreamInfo> streams(
      String group,
      String prefix,
      boolean orderByLastEventTime,
      boolean descending,
      String nextToken,
      int limit) {
    int max = limit <= 0 ? 50 : limit;
    String fingerprint =
        "streams|" + group + "|" + prefix + "|" + orderByLastEventTime + "|" + descending;
    OptionalLong offset = PageToken.decode(nextToken, fingerprint);
    if (offset.isEmpty()) {
      throw new SagebrushException(
          ErrorCode.INVALID_PARAMETER, "The specified nextToken is invalid.");
    }
    String dir = descending ? "DESC" : "ASC";
    String order =
        orderByLastEventTime
            ? "COALESCE(last_event_timestamp, 0) " + dir + ", name " + dir
            : "name " + dir;
    List<Object> params = new ArrayList<>();
    params.add(group);
    String where = "group_name = ?";
    if (prefix != null && !prefix.isEmpty()) {
      where += " AND left(name, ?) = ?";
      params.add(prefix.length());
      params.add(prefix);
    }
    params.add(offset.getAsLong());
    params.add(max + 1);
    List<LogStreamInfo> rows =
        jdbc.query(
            "SELECT group_name, name, creation_time, first_event_timestamp, last_event_timestamp,"
                + " last_ingestion_time, stored_bytes FROM log_stream WHERE "
                + where
                + " ORDER BY "
                + order
                + " OFFSET ? LIMIT ?",
            PostgresLogStore::stream,
            params.toArray());
    String token =
        rows.size() > max ? PageToken.encode(offset.getAsLong() + max, fingerprint) : null;
    return new Page<>(List.copyOf(rows.subList(0, Math.min(max, rows.size()))), token);
  }

  private static LogStreamInfo stream(ResultSet rs, int i) throws SQLException {
    return new LogStreamInfo(
        rs.getString(1),
        rs.getString(2),
        rs.getLong(3),
        (Long) rs.getObject(4),
        (Long) rs.getObject(5),
        (Long) rs.getObject(6),
        rs.getLong(7));
  }

  @Override
  public List<StoredLogEvent> events(LogQuery q) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT s.name, e.id, e.event_timestamp, e.ingestion_time, e.message FROM log_event e"
                + " JOIN log_stream s ON s.id = e.stream_id WHERE s.group_name = ?");
    List<Object> params = new ArrayList<>();
    params.add(q.group());
    if (q.streams() != null && !q.streams().isEmpty()) {
      sql.append(" AND s.name = ANY (?)");
      params.add(q.streams().toArray(new String[0]));
    }
    if (q.streamPrefix() != null && !q.streamPrefix().isEmpty()) {
      sql.append(" AND left(s.name, ?) = ?");
      params.add(q.streamPrefix().length());
      params.add(q.streamPrefix());
    }
    if (q.startTime() != null) {
      sql.append(" AND e.event_timestamp >= ?");
      params.add(q.startTime());
    }
    if (q.endTime() != null) {
      sql.append(" AND e.event_timestamp < ?");
      params.add(q.endTime());
    }
    if (q.afterId() != null) {
      sql.append(" AND e.id > ?");
      params.add(q.afterId());
    }
    if (q.beforeId() != null) {
      sql.append(" AND e.id < ?");
      params.add(q.beforeId());
    }
    for (String term : FilterPattern.terms(q.filterPattern())) {
      sql.append(" AND strpos(e.message, ?) > 0");
      params.add(term);
    }
    sql.append(" ORDER BY e.id ").append(q.ascending() ? "ASC" : "DESC");
    sql.append(" LIMIT ?");
    params.add(Math.max(0, q.limit()));
    return jdbc.query(
        sql.toString(),
        (rs, i) ->
            new StoredLogEvent(
                rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5)),
        params.toArray());
  }
}
