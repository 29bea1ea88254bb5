package io.sagebrush.scheduler.cloudwatch.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a metric alarm on the statistic sets of its periods. Pure: the caller reads the
 * datapoints and the time.
 *
 * <ol>
 *   <li>Windows are aligned to the period (epoch multiples). The newest one evaluated ends at
 *       {@code floor((now - delay) / period) * period}: complete, with the delay for datapoints
 *       still on their way.
 *   <li>The last {@code EvaluationPeriods} periods each give the alarm's statistic, or are missing.
 *   <li>Breaching periods (missing ones count as breaching with {@code breaching}) are counted; at
 *       least {@code DatapointsToAlarm} of them is ALARM, fewer is OK.
 *   <li>With every period missing: {@code missing} is INSUFFICIENT_DATA, {@code ignore} keeps the
 *       state, {@code breaching} is ALARM (when that meets DatapointsToAlarm), {@code notBreaching}
 *       is OK.
 * </ol>
 */
public final class AlarmEvaluator {
  private static final DateTimeFormatter REASON_DATE =
      DateTimeFormatter.ofPattern("dd/MM/yy HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DATA_DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

  private AlarmEvaluator() {}

  /**
   * The outcome of one evaluation.
   *
   * @param state the state the alarm should be in; null keeps the current one ({@code ignore})
   * @param reason the StateReason for a change to {@code state}
   * @param reasonData the StateReasonData (JSON) for a change to {@code state}
   */
  public record Evaluation(AlarmState state, String reason, String reasonData) {}

  /** The end of the newest complete window of {@code periodSeconds} at {@code now - delay}. */
  public static Instant windowEnd(int periodSeconds, Instant now, Duration delay) {
    long t = now.minus(delay).getEpochSecond();
    return Instant.ofEpochSecond(Math.floorDiv(t, periodSeconds) * periodSeconds);
  }

  /** True when a window newer than the one the alarm last evaluated is complete. */
  public static boolean due(MetricAlarm alarm, Instant now, Duration delay) {
    Instant end = windowEnd(alarm.definition().period(), now, delay);
    return alarm.evaluatedUntil() == null || end.isAfter(alarm.evaluatedUntil());
  }

  /** The start of the evaluation range that ends at {@code end}. */
  public static Instant rangeStart(AlarmDefinition d, Instant end) {
    return end.minusSeconds((long) d.period() * d.evaluationPeriods());
  }

  /**
   * Evaluates {@code d} over the periods ending at {@code end}.
   *
   * @param current the alarm's state now
   * @param periods statistic sets by period start (periods without datapoints absent)
   * @param queryDate the evaluation time, for StateReasonData
   */
  public static Evaluation evaluate(
      AlarmDefinition d,
      AlarmState current,
      Map<Instant, StatisticSet> periods,
      Instant end,
      Instant queryDate) {
    int n = d.evaluationPeriods();
    int m = d.requiredBreaches();
    List<Point> present = new ArrayList<>();
    int missing = 0;
    // newest first, as CloudWatch lists them
    for (int i = 0; i < n; i++) {
      Instant start = end.minusSeconds((long) d.period() * (i + 1));
      StatisticSet s = periods.get(start);
      if (s == null || s.sampleCount() <= 0) {
        missing++;
        continue;
      }
      double value = d.statistic().of(s);
      present.add(
          new Point(start, value, s.sampleCount(), d.comparison().breaches(value, d.threshold())));
    }
    String data = reasonData(d, present, end, queryDate);
    if (present.isEmpty()) {
      switch (d.treatMissingData()) {
        case IGNORE:
          return new Evaluation(null, null, null);
        case MISSING:
          return new Evaluation(
              AlarmState.INSUFFICIENT_DATA,
              "Insufficient Data: "
                  + n
                  + (n == 1 ? " datapoint was" : " datapoints were")
                  + " unknown.",
              data);
        default:
          break;
      }
    }
    List<Point> breaching = present.stream().filter(Point::breaching).toList();
    int breaches =
        breaching.size() + (d.treatMissingData() == TreatMissingData.BREACHING ? missing : 0);
    boolean alarm = breaches >= m;
    return new Evaluation(
        alarm ? AlarmState.ALARM : AlarmState.OK,
        reason(d, alarm, present, breaching, breaches, missing),
        data);
  }

  private record Point(Instant start, double value, double sampleCount, boolean breaching) {}

  private static String reason(
      AlarmDefinition d,
      boolean alarm,
      List<Point> present,
      List<Point> breaching,
      int breaches,
      int missing) {
    int n = d.evaluationPeriods();
    String threshold = " the threshold (" + d.threshold() + ")";
    if (present.isEmpty()) {
      return "Threshold Crossed: no datapoints were received for "
          + n
          + (n == 1 ? " period" : " periods")
          + " and "
          + missing
          + " missing "
          + (missing == 1 ? "datapoint was" : "datapoints were")
          + " treated as ["
          + (d.treatMissingData() == TreatMissingData.BREACHING ? "Breaching" : "NonBreaching")
          + "].";
    }
    if (n == 1) {
      Point p = present.get(0);
      return "Threshold Crossed: 1 datapoint "
          + list(List.of(p))
          + " was "
          + (alarm ? "" : "not ")
          + d.comparison().words()
          + threshold
          + ".";
    }
    if (alarm) {
      return "Threshold Crossed: "
          + breaches
          + " out of the last "
          + n
          + " datapoints "
          + list(breaching)
          + " were "
          + d.comparison().words()
          + threshold
          + " (minimum "
          + d.requiredBreaches()
          + (d.requiredBreaches() == 1 ? " datapoint" : " datapoints")
          + " for OK -> ALARM transition).";
    }
    List<Point> within = present.stream().filter(p -> !p.breaching()).toList();
    return "Threshold Crossed: "
        + within.size()
        + " out of the last "
        + n
        + " datapoints "
        + list(within)
        + (within.size() == 1 ? " was not " : " were not ")
        + d.comparison().words()
        + threshold
        + " (minimum "
        + (n - d.requiredBreaches() + 1)
        + " datapoints for ALARM -> OK transition).";
  }

  private static String list(List<Point> points) {
    StringBuilder b = new StringBuilder("[");
    for (Point p : points) {
      if (b.length() > 1) {
        b.append(", ");
      }
      b.append(p.value()).append(" (").append(REASON_DATE.format(p.start())).append(')');
    }
    return b.append(']').toString();
  }

  private static String reasonData(
      AlarmDefinition d, List<Point> present, Instant end, Instant queryDate) {
    StringBuilder b = new StringBuilder();
    b.append("{\"version\":\"1.0\",\"queryDate\":\"")
        .append(DATA_DATE.format(queryDate))
        .append("\",\"startDate\":\"")
        .append(DATA_DATE.format(rangeStart(d, end)))
        .append("\",\"statistic\":\"")
        .append(d.statistic().wireName())
        .append("\",\"period\":")
        .append(d.period())
        .append(",\"recentDatapoints\":[");
    for (int i = 0; i < present.size(); i++) {
      b.append(i == 0 ? "" : ",").append(present.get(i).value());
    }
    b.append("],\"threshold\":").append(d.threshold()).append(",\"evaluatedDatapoints\":[");
    for (int i = 0; i < present.size(); i++) {
      Point p = present.get(i);
      b.append(i == 0 ? "" : ",")
          .append("{\"timestamp\":\"")
          .append(DATA_DATE.format(p.start()))
          .append("\",\"sampleCount\":")
          .append(p.sampleCount())
          .append(",\"value\":")
          .append(p.value())
          .append('}');
    }
    return b.append("]}").toString();
  }
}
