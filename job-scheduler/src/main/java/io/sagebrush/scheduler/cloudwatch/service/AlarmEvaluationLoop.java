package io.sagebrush.scheduler.cloudwatch.service;

import io.sagebrush.scheduler.cloudwatch.adapter.persistence.AlarmStore;
import io.sagebrush.scheduler.cloudwatch.adapter.persistence.MetricStore;
import io.sagebrush.scheduler.cloudwatch.domain.AlarmDefinition;
import io.sagebrush.scheduler.cloudwatch.domain.AlarmEvaluator;
import io.sagebrush.scheduler.cloudwatch.domain.AlarmEvaluator.Evaluation;
import io.sagebrush.scheduler.cloudwatch.domain.MetricAlarm;
import io.sagebrush.scheduler.cloudwatch.domain.StatisticSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The leader's alarm evaluation, run by {@link io.sagebrush.scheduler.leader.SchedulerLoops} every
 * alarm evaluation interval: each metric alarm whose next window is complete is evaluated ({@link
 * AlarmEvaluator}) and its state written when it changes; datapoints older than the retention are
 * purged now and then.
 *
 * <ol>
 *   <li>Read every alarm (one query).
 *   <li>For each one due: read its periods, evaluate, write the new state or just the window
 *       evaluated, compare-and-set on the version read (a SetAlarmState in between wins).
 *   <li>Every {@link #PURGE_INTERVAL}: delete datapoints older than the retention.
 * </ol>
 */
public class AlarmEvaluationLoop {
  private static final Logger LOG = LoggerFactory.getLogger(AlarmEvaluationLoop.class);
  static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

  private final TransactionTemplate tx;
  private final AlarmStore alarms;
  private final MetricStore metrics;
  private final Clock clock;
  private final Duration delay;
  private final Duration retention;
  private volatile Instant lastPurge;

  public AlarmEvaluationLoop(
      TransactionTemplate tx,
      AlarmStore alarms,
      MetricStore metrics,
      Clock clock,
      Duration delay,
      Duration retention) {
    this.tx = tx;
    this.alarms = alarms;
    this.metrics = metrics;
    this.clock = clock;
    this.delay = delay;
    this.retention = retention;
  }

  /**
   * One pass over every alarm.
   *
   * @return how many alarms changed state
   */
  public int evaluateOnce() {
    Instant now = clock.instant();
    purge(now);
    List<MetricAlarm> all = tx.execute(s -> alarms.all());
    int changed = 0;
    for (MetricAlarm alarm : all == null ? List.<MetricAlarm>of() : all) {
      if (!AlarmEvaluator.due(alarm, now, delay)) {
        continue;
      }
      try {
        if (Boolean.TRUE.equals(tx.execute(s -> evaluate(alarm, now)))) {
          changed++;
        }
      } catch (RuntimeException e) {
        LOG.warn("Evaluating alarm {} failed: {}", alarm.name(), e.toString(), e);
      }
    }
    return changed;
  }

  private boolean evaluate(MetricAlarm alarm, Instant now) {
    AlarmDefinition d = alarm.definition();
    Instant end = AlarmEvaluator.windowEnd(d.period(), now, delay);
    Map<Instant, StatisticSet> periods =
        metrics.periods(d.metric(), AlarmEvaluator.rangeStart(d, end), end, d.period(), d.unit());
    Evaluation e = AlarmEvaluator.evaluate(d, alarm.state(), periods, end, now);
    if (e.state() == null || e.state() == alarm.state()) {
      alarms.markEvaluated(alarm.name(), alarm.version(), end);
      return false;
    }
    boolean written =
        alarms.setState(
            alarm.name(), alarm.version(), e.state(), e.reason(), e.reasonData(), end, now);
    if (written) {
      LOG.info("Alarm {} is {} (was {}): {}", alarm.name(), e.state(), alarm.state(), e.reason());
    }
    return written;
  }

  private void purge(Instant now) {
    Instant last = lastPurge;
    if (last != null && now.isBefore(last.plus(PURGE_INTERVAL)) && !now.isBefore(last)) {
      return;
    }
    lastPurge = now;
    try {
      Integer n = tx.execute(s -> metrics.purge(now.minus(retention)));
      if (n != null && n > 0) {
        LOG.debug("Purged {} metric datapoints older than {}", n, retention);
      }
    } catch (RuntimeException e) {
      LOG.warn("Purging metric datapoints failed: {}", e.toString());
    }
  }
}
