package io.sagebrush.scheduler.cloudwatch.service;

import io.sagebrush.scheduler.cloudwatch.adapter.persistence.AlarmStore;
import io.sagebrush.scheduler.cloudwatch.adapter.persistence.MetricStore;
import io.sagebrush.scheduler.cloudwatch.domain.AlarmDefinition;
import io.sagebrush.scheduler.cloudwatch.domain.AlarmEvaluator;
import io.sagebrush.scheduler.cloudwatch.domain.AlarmQuery;
import io.sagebrush.scheduler.cloudwatch.domain.AlarmState;
import io.sagebrush.scheduler.cloudwatch.domain.MetricAlarm;
import io.sagebrush.scheduler.cloudwatch.domain.MetricDatum;
import io.sagebrush.scheduler.cloudwatch.domain.MetricKey;
import io.sagebrush.scheduler.cloudwatch.domain.StatisticSet;
import io.sagebrush.scheduler.endpoint.service.RollbackAlarms;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The CloudWatch operations behind the API (metric alarms, metric data and statistics), each in its
 * own transaction, and the alarm states the fleet reconciler asks for. Input is validated by the
 * API edge; this layer keeps the rules of state (SetAlarmState holds until the next window is
 * evaluated).
 */
public class CloudWatchService implements RollbackAlarms {
  private final TransactionTemplate tx;
  private final AlarmStore alarms;
  private final MetricStore metrics;
  private final Clock clock;
  private final Duration evaluationDelay;

  public CloudWatchService(
      TransactionTemplate tx,
      AlarmStore alarms,
      MetricStore metrics,
      Clock clock,
      Duration evaluationDelay) {
    this.tx = tx;
    this.alarms = alarms;
    this.metrics = metrics;
    this.clock = clock;
    this.evaluationDelay = evaluationDelay;
  }

  /** PutMetricAlarm: creates the alarm, or replaces its definition keeping its state. */
  public void putAlarm(AlarmDefinition definition) {
    Instant now = clock.instant();
    tx.executeWithoutResult(s -> alarms.put(definition, now));
  }

  /** DescribeAlarms. */
  public List<MetricAlarm> describe(AlarmQuery query) {
    return tx.execute(s -> alarms.list(query));
  }

  public Optional<MetricAlarm> find(String name) {
    return tx.execute(s -> alarms.find(name));
  }

  /** DeleteAlarms: deletes those that exist; returns how many did. */
  public int delete(Collection<String> names) {
    Integer n = tx.execute(s -> alarms.delete(names));
    return n == null ? 0 : n;
  }

  /**
   * SetAlarmState: the state holds until the alarm's next window is evaluated (the one after the
   * newest complete window now), as on CloudWatch.
   *
   * @return false when there is no such alarm
   */
  public boolean setState(String name, AlarmState state, String reason, String reasonData) {
    Instant now = clock.instant();
    Boolean done =
        tx.execute(
            s ->
                alarms
                    .find(name)
                    .map(
                        a ->
                            alarms.setState(
                                name,
                                null,
                                state,
                                reason,
                                reasonData,
                                AlarmEvaluator.windowEnd(
                                    a.definition().period(), now, evaluationDelay),
                                now))
                    .orElse(false));
    return Boolean.TRUE.equals(done);
  }

  /** PutMetricData, and the gateways' intervals: one batch. */
  public void putData(List<MetricDatum> data) {
    if (!data.isEmpty()) {
      tx.executeWithoutResult(s -> metrics.add(data));
    }
  }

  /** One GetMetricStatistics series: statistic sets per period start in [start, end). */
  public Map<Instant, StatisticSet> statistics(
      MetricKey key, Instant start, Instant end, int period, String unit) {
    return tx.execute(s -> metrics.periods(key, start, end, period, unit));
  }

  /** The unit last stored for a metric in [start, end), or null. */
  public String unit(MetricKey key, Instant start, Instant end) {
    return tx.execute(s -> metrics.unit(key, start, end));
  }

  @Override
  public Map<String, String> inAlarm(Collection<String> names) {
    // called inside the reconciler's transaction: a plain read joins it
    return alarms.inAlarm(names);
  }
}
