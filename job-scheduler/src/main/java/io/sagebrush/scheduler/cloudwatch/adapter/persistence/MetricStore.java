package io.sagebrush.scheduler.cloudwatch.adapter.persistence;

import io.sagebrush.scheduler.cloudwatch.domain.MetricDatum;
import io.sagebrush.scheduler.cloudwatch.domain.MetricKey;
import io.sagebrush.scheduler.cloudwatch.domain.StatisticSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Metric datapoints in {@code cw_metric_datum}: one row per metric and second holding the statistic
 * set of everything written for that second. Callers run in a transaction.
 */
public class MetricStore {
  private static final String UPSERT =
      "INSERT INTO cw_metric_datum AS d"
          + " (namespace, metric_name, dimensions, ts, unit, sample_count, sum, min, max)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (namespace, metric_name, dimensions, ts) DO UPDATE SET"
          + " unit = COALESCE(EXCLUDED.unit, d.unit),"
          + " sample_count = d.sample_count + EXCLUDED.sample_count,"
          + " sum = d.sum + EXCLUDED.sum,"
          + " min = LEAST(d.min, EXCLUDED.min),"
          + " max = GREATEST(d.max, EXCLUDED.max)";

  private final JdbcTemplate jdbc;

  public MetricStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Adds datapoints: merged per metric and second first, then one batch of upserts. */
  public void add(List<MetricDatum> data) {
    record Row(MetricKey key, Instant second) {}
    Map<Row, MetricDatum> merged = new LinkedHashMap<>();
    for (MetricDatum d : data) {
      Row row = new Row(d.key(), d.timestamp().truncatedTo(ChronoUnit.SECONDS));
      merged.merge(
          row,
          d,
          (a, b) ->
              new MetricDatum(
                  a.key(),
                  a.timestamp(),
                  b.unit() != null ? b.unit() : a.unit(),
                  a.values().merge(b.values())));
    }
    if (merged.isEmpty()) {
      return;
    }
    List<Object[]> args = new ArrayList<>(merged.size());
    merged.forEach(
        (row, d) ->
            args.add(
                new Object[] {
                  row.key().namespace(),
                  row.key().metricName(),
                  row.key().dimensionsKey(),
                  Timestamp.from(row.second()),
                  d.unit(),
                  d.values().sampleCount(),
                  d.values().sum(),
                  d.values().minimum(),
                  d.values().maximum()
                }));
    // the same order every time, so concurrent writers of the same rows cannot deadlock
    args.sort(
        (a, b) -> {
          int c = ((String) a[0]).compareTo((String) b[0]);
          c = c != 0 ? c : ((String) a[1]).compareTo((String) b[1]);
          c = c != 0 ? c : ((String) a[2]).compareTo((String) b[2]);
          return c != 0 ? c : ((Timestamp) a[3]).compareTo((Timestamp) b[3]);
        });
    jdbc.batchUpdate(UPSERT, args);
  }

  /**
   * The statistic sets of {@code key} in {@code [start, end)} per period of {@code periodSeconds}
   * (aligned to epoch multiples), keyed by period start; periods without datapoints are absent.
   *
   * @param unit only datapoints of this unit, or null for all
   */
  public Map<Instant, StatisticSet> periods(
      MetricKey key, Instant start, Instant end, int periodSeconds, String unit) {
    Map<Instant, StatisticSet> out = new HashMap<>();
    jdbc.query(
        "SELECT floor(extract(epoch FROM ts) / ?)::bigint * ? AS bucket,"
            + " sum(sample_count), sum(sum), min(min), max(max)"
            + " FROM cw_metric_datum"
            + " WHERE namespace = ? AND metric_name = ? AND dimensions = ? AND ts >= ? AND ts < ?"
            + (unit == null ? "" : " AND unit = ?")
            + " GROUP BY bucket",
        rs -> {
          out.put(
              Instant.ofEpochSecond(rs.getLong(1)),
              new StatisticSet(rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5)));
        },
        unit == null
            ? new Object[] {
              periodSeconds,
              periodSeconds,
              key.namespace(),
              key.metricName(),
              key.dimensionsKey(),
              Timestamp.from(start),
              Timestamp.from(end)
            }
            : new Object[] {
              periodSeconds,
              periodSeconds,
              key.namespace(),
              key.metricName(),
              key.dimensionsKey(),
              Timestamp.from(start),
              Timestamp.from(end),
              unit
            });
    return out;
  }

  /** The unit most recently stored for {@code key} in {@code [start, end)}, or null. */
  public String unit(MetricKey key, Instant start, Instant end) {
    List<String> units =
        jdbc.queryForList(
            "SELECT unit FROM cw_metric_datum WHERE namespace = ? AND metric_name = ?"
                + " AND dimensions = ? AND ts >= ? AND ts < ? AND unit IS NOT NULL"
                + " ORDER BY ts DESC LIMIT 1",
            String.class,
            key.namespace(),
            key.metricName(),
            key.dimensionsKey(),
            Timestamp.from(start),
            Timestamp.from(end));
    return units.isEmpty() ? null : Objects.requireNonNullElse(units.get(0), null);
  }

  /** Deletes datapoints older than {@code before}; returns how many rows went. */
  public int purge(Instant before) {
    return jdbc.update("DELETE FROM cw_metric_datum WHERE ts < ?", Timestamp.from(before));
  }
}
