package io.sagebrush.scheduler.cloudwatch.adapter.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebrush.scheduler.cloudwatch.domain.AlarmDefinition;
import io.sagebrush.scheduler.cloudwatch.domain.AlarmQuery;
import io.sagebrush.scheduler.cloudwatch.domain.AlarmState;
import io.sagebrush.scheduler.cloudwatch.domain.ComparisonOperator;
import io.sagebrush.scheduler.cloudwatch.domain.MetricAlarm;
import io.sagebrush.scheduler.cloudwatch.domain.MetricKey;
import io.sagebrush.scheduler.cloudwatch.domain.Statistic;
import io.sagebrush.scheduler.cloudwatch.domain.TreatMissingData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Metric alarms in {@code cw_alarm}. State writes are compare-and-set on {@code version} where the
 * caller decided on a version it read. Callers run in a transaction.
 */
public class AlarmStore {
  private static final String COLUMNS =
      "name, description, actions_enabled, ok_actions, alarm_actions, insufficient_data_actions,"
          + " namespace, metric_name, dimensions, statistic, unit, period, evaluation_periods,"
          + " datapoints_to_alarm, threshold, comparison_operator, treat_missing_data, tags,"
          + " config_updated_at, state_value, state_reason, state_reason_data, state_updated_at,"
          + " state_transitioned_at, evaluated_until, version";
  private static final TypeReference<List<String>> LIST = new TypeReference<>() {};
  private static final TypeReference<LinkedHashMap<String, String>> MAP = new TypeReference<>() {};

  private final JdbcTemplate jdbc;
  private final ObjectMapper json = new ObjectMapper();

  public AlarmStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Creates the alarm in INSUFFICIENT_DATA, or replaces the definition of the one with its name
   * (its state is left as it is, as CloudWatch does).
   */
  public void put(AlarmDefinition d, Instant now) {
    Timestamp t = Timestamp.from(now);
    jdbc.update(
        "INSERT INTO cw_alarm ("
            + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?,"
            + " NULL, 0)"
            + " ON CONFLICT (name) DO UPDATE SET description = EXCLUDED.description,"
            + " actions_enabled = EXCLUDED.actions_enabled, ok_actions = EXCLUDED.ok_actions,"
            + " alarm_actions = EXCLUDED.alarm_actions,"
            + " insufficient_data_actions = EXCLUDED.insufficient_data_actions,"
            + " namespace = EXCLUDED.namespace, metric_name = EXCLUDED.metric_name,"
            + " dimensions = EXCLUDED.dimensions, statistic = EXCLUDED.statistic,"
            + " unit = EXCLUDED.unit, period = EXCLUDED.period,"
            + " evaluation_periods = EXCLUDED.evaluation_periods,"
            + " datapoints_to_alarm = EXCLUDED.datapoints_to_alarm,"
            + " threshold = EXCLUDED.threshold,"
            + " comparison_operator = EXCLUDED.comparison_operator,"
            + " treat_missing_data = EXCLUDED.treat_missing_data, tags = EXCLUDED.tags,"
            + " config_updated_at = EXCLUDED.config_updated_at, evaluated_until = NULL,"
            + " version = cw_alarm.version + 1",
        d.name(),
        d.description(),
        d.actionsEnabled(),
        write(d.okActions()),
        write(d.alarmActions()),
        write(d.insufficientDataActions()),
        d.metric().namespace(),
        d.metric().metricName(),
        d.metric().dimensionsKey(),
        d.statistic().name(),
        d.unit(),
        d.period(),
        d.evaluationPeriods(),
        d.datapointsToAlarm(),
        d.threshold(),
        d.comparison().name(),
        d.treatMissingData().name(),
        write(d.tags()),
        t,
        AlarmState.INSUFFICIENT_DATA.name(),
        "Unchecked: Initial alarm creation",
        t,
        t);
  }

  public Optional<MetricAlarm> find(String name) {
    return jdbc
        .query("SELECT " + COLUMNS + " FROM cw_alarm WHERE name = ?", this::map, name)
        .stream()
        .findFirst();
  }

  /** Alarms matching the query, by name. */
  public List<MetricAlarm> list(AlarmQuery q) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM cw_alarm WHERE TRUE");
    List<Object> args = new ArrayList<>();
    if (q.names() != null && !q.names().isEmpty()) {
      sql.append(" AND name = ANY (?)");
      args.add(q.names().toArray(new String[0]));
    }
    if (q.namePrefix() != null) {
      sql.append(" AND starts_with(name, ?)");
      args.add(q.namePrefix());
    }
    if (q.state() != null) {
      sql.append(" AND state_value = ?");
      args.add(q.state().name());
    }
    if (q.afterName() != null) {
      sql.append(" AND name COLLATE \"C\" > ?");
      args.add(q.afterName());
    }
    sql.append(" ORDER BY name COLLATE \"C\" LIMIT ?");
    args.add(q.limit());
    return jdbc.query(
        con -> {
          var ps = con.prepareStatement(sql.toString());
          for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof String[] names) {
              ps.setArray(i + 1, con.createArrayOf("text", names));
            } else {
              ps.setObject(i + 1, a);
            }
          }
          return ps;
        },
        this::map);
  }

  /** Every alarm (the evaluation loop's pass). */
  public List<MetricAlarm> all() {
    return jdbc.query("SELECT " + COLUMNS + " FROM cw_alarm ORDER BY name", this::map);
  }

  /** The names among {@code names} that are in ALARM, with their state reasons. */
  public Map<String, String> inAlarm(Collection<String> names) {
    Map<String, String> out = new LinkedHashMap<>();
    if (names.isEmpty()) {
      return out;
    }
    jdbc.query(
        con -> {
          var ps =
              con.prepareStatement(
                  "SELECT name, state_reason FROM cw_alarm"
                      + " WHERE name = ANY (?) AND state_value = 'ALARM' ORDER BY name");
          ps.setArray(1, con.createArrayOf("text", names.toArray()));
          return ps;
        },
        rs -> {
          out.put(rs.getString(1), rs.getString(2));
        });
    return out;
  }

  /** Deletes the named alarms; returns how many existed. */
  public int delete(Collection<String> names) {
    int n = 0;
    for (String name : names) {
      n += jdbc.update("DELETE FROM cw_alarm WHERE name = ?", name);
    }
    return n;
  }

  /**
   * Sets the state (reason, data, the window evaluated up to), stamping StateUpdatedTimestamp, and
   * StateTransitionedTimestamp when the value changes.
   *
   * @param expectedVersion the version decided on, or null to write whatever is stored
   * @return false when the alarm is gone or its version moved on
   */
  public boolean setState(
      String name,
      Long expectedVersion,
      AlarmState state,
      String reason,
      String reasonData,
      Instant evaluatedUntil,
      Instant now) {
    Timestamp t = Timestamp.from(now);
    String sql =
        "UPDATE cw_alarm SET state_transitioned_at = CASE WHEN state_value = ? THEN"
            + " state_transitioned_at ELSE ? END, state_value = ?, state_reason = ?,"
            + " state_reason_data = ?, state_updated_at = ?,"
            + " evaluated_until = COALESCE(?, evaluated_until), version = version + 1"
            + " WHERE name = ?"
            + (expectedVersion == null ? "" : " AND version = ?");
    List<Object> args = new ArrayList<>();
    args.add(state.name());
    args.add(t);
    args.add(state.name());
    args.add(reason);
    args.add(reasonData);
    args.add(t);
    args.add(evaluatedUntil == null ? null : Timestamp.from(evaluatedUntil));
    args.add(name);
    if (expectedVersion != null) {
      args.add(expectedVersion);
    }
    return jdbc.update(sql, args.toArray()) == 1;
  }

  /** Records that the alarm was evaluated up to {@code until} with no state change. */
  public boolean markEvaluated(String name, long expectedVersion, Instant until) {
    return jdbc.update(
            "UPDATE cw_alarm SET evaluated_until = ?, version = version + 1"
                + " WHERE name = ? AND version = ?",
            Timestamp.from(until),
            name,
            expectedVersion)
        == 1;
  }

  private MetricAlarm map(ResultSet rs, int row) throws SQLException {
    int dta = rs.getInt("datapoints_to_alarm");
    Integer datapointsToAlarm = rs.wasNull() ? null : dta;
    AlarmDefinition d =
        new AlarmDefinition(
            rs.getString("name"),
            rs.getString("description"),
            rs.getBoolean("actions_enabled"),
            read(rs.getString("ok_actions"), LIST),
            read(rs.getString("alarm_actions"), LIST),
            read(rs.getString("insufficient_data_actions"), LIST),
            new MetricKey(
                rs.getString("namespace"),
                rs.getString("metric_name"),
                MetricKey.parseDimensions(rs.getString("dimensions"))),
            Statistic.valueOf(rs.getString("statistic")),
            rs.getString("unit"),
            rs.getInt("period"),
            rs.getInt("evaluation_periods"),
            datapointsToAlarm,
            rs.getDouble("threshold"),
            ComparisonOperator.valueOf(rs.getString("comparison_operator")),
            TreatMissingData.valueOf(rs.getString("treat_missing_data")),
            read(rs.getString("tags"), MAP));
    return new MetricAlarm(
        d,
        instant(rs, "config_updated_at"),
        AlarmState.valueOf(rs.getString("state_value")),
        rs.getString("state_reason"),
        rs.getString("state_reason_data"),
        instant(rs, "state_updated_at"),
        instant(rs, "state_transitioned_at"),
        instant(rs, "evaluated_until"),
        rs.getLong("version"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private <T> T read(String text, TypeReference<T> type) {
    try {
      return json.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable alarm column: " + text, e);
    }
  }
}
