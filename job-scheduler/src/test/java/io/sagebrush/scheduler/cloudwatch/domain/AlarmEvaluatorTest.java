package io.sagebrush.scheduler.cloudwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.scheduler.cloudwatch.domain.AlarmEvaluator.Evaluation;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlarmEvaluatorTest {
  private static final Instant END = Instant.parse("2026-11-26T22:10:10Z");
  private static final MetricKey ERRORS =
      MetricKey.of(
          "AWS/SageMaker", "Invocation5XXErrors", Map.of("EndpointName", "e", "VariantName", "v"));

  private static AlarmDefinition alarm(
      Statistic statistic,
      int period,
      int n,
      Integer m,
      double threshold,
      ComparisonOperator op,
      TreatMissingData missing) {
    return new AlarmDefinition(
        "a", null, true, null, null, null, ERRORS, statistic, null, period, n, m, threshold, op,
        missing, null);
  }

  private static AlarmDefinition sumAtLeastOne(int n, Integer m, TreatMissingData missing) {
    return alarm(Statistic.SUM, 10, n, m, 1.0, ComparisonOperator.GREATER_THAN_OR_EQUAL, missing);
  }

  /** Statistic sets for the periods ending at END, newest first; null is a missing period. */
  private static Map<Instant, StatisticSet> newestFirst(int period, StatisticSet... sets) {
    Map<Instant, StatisticSet> out = new HashMap<>();
    for (int i = 0; i < sets.length; i++) {
      if (sets[i] != null) {
        out.put(END.minusSeconds((long) period * (i + 1)), sets[i]);
      }
    }
    return out;
  }

  private static StatisticSet sum(double v) {
    return new StatisticSet(1, v, v, v);
  }

  @Test
  void windowsAreAlignedToThePeriodAfterTheDelay() {
    Instant now = Instant.parse("2026-11-26T22:10:12.500Z");
    assertThat(AlarmEvaluator.windowEnd(10, now, Duration.ofSeconds(3)))
        .isEqualTo(Instant.parse("2026-11-26T22:10:00Z"));
    assertThat(AlarmEvaluator.windowEnd(10, now, Duration.ZERO))
        .isEqualTo(Instant.parse("2026-11-26T22:10:10Z"));
    assertThat(AlarmEvaluator.windowEnd(60, now, Duration.ZERO))
        .isEqualTo(Instant.parse("2026-11-26T22:10:00Z"));
    assertThat(AlarmEvaluator.windowEnd(30, now, Duration.ZERO))
        .isEqualTo(Instant.parse("2026-11-26T22:10:00Z"));
  }

  @Test
  void anAlarmIsDueOncePerNewWindow() {
    AlarmDefinition d = sumAtLeastOne(1, null, null);
    MetricAlarm evaluated =
        new MetricAlarm(
            d, END, AlarmState.OK, "r", null, END, END, Instant.parse("2026-11-26T22:10:00Z"), 3);
    assertThat(
            AlarmEvaluator.due(
                evaluated, Instant.parse("2026-11-26T22:10:12Z"), Duration.ofSeconds(3)))
        .isFalse();
    assertThat(
            AlarmEvaluator.due(
                evaluated, Instant.parse("2026-11-26T22:10:13Z"), Duration.ofSeconds(3)))
        .isTrue();
    MetricAlarm fresh =
        new MetricAlarm(d, END, AlarmState.INSUFFICIENT_DATA, "r", null, END, END, null, 0);
    assertThat(AlarmEvaluator.due(fresh, END, Duration.ZERO)).isTrue();
  }

  @Test
  void oneBreachingDatapointRaisesTheAlarmWithCloudWatchsReason() {
    Evaluation e =
        AlarmEvaluator.evaluate(
            sumAtLeastOne(1, null, null),
            AlarmState.OK,
            newestFirst(10, new StatisticSet(3, 3.0, 1, 1)),
            END,
            END);
    assertThat(e.state()).isEqualTo(AlarmState.ALARM);
    assertThat(e.reason())
        .isEqualTo(
            "Threshold Crossed: 1 datapoint [3.0 (26/11/26 22:10:00)] was greater than or equal"
                + " to the threshold (1.0).");
    assertThat(e.reasonData())
        .contains("\"statistic\":\"Sum\"", "\"period\":10", "\"recentDatapoints\":[3.0]")
        .contains("\"threshold\":1.0");
  }

  @Test
  void aDatapointWithinTheThresholdIsOk() {
    Evaluation e =
        AlarmEvaluator.evaluate(
            sumAtLeastOne(1, null, null), AlarmState.ALARM, newestFirst(10, sum(0)), END, END);
    assertThat(e.state()).isEqualTo(AlarmState.OK);
    assertThat(e.reason())
        .isEqualTo(
            "Threshold Crossed: 1 datapoint [0.0 (26/11/26 22:10:00)] was not greater than or"
                + " equal to the threshold (1.0).");
  }

  @Test
  void statisticsAreTakenFromTheSetOfEachPeriod() {
    StatisticSet set = new StatisticSet(4, 10, 1, 7);
    Map<Instant, StatisticSet> one = newestFirst(60, set);
    Instant end = END.minusSeconds(10);
    Map<Instant, StatisticSet> aligned = Map.of(end.minusSeconds(60), set);
    record Case(Statistic s, double threshold, boolean alarm) {}
    for (Case c :
        List.of(
            new Case(Statistic.SAMPLE_COUNT, 4, true),
            new Case(Statistic.SAMPLE_COUNT, 5, false),
            new Case(Statistic.AVERAGE, 2.5, true),
            new Case(Statistic.AVERAGE, 2.6, false),
            new Case(Statistic.SUM, 10, true),
            new Case(Statistic.MINIMUM, 1, true),
            new Case(Statistic.MINIMUM, 1.5, false),
            new Case(Statistic.MAXIMUM, 7, true),
            new Case(Statistic.MAXIMUM, 7.5, false))) {
      AlarmDefinition d =
          alarm(c.s(), 60, 1, null, c.threshold(), ComparisonOperator.GREATER_THAN_OR_EQUAL, null);
      assertThat(AlarmEvaluator.evaluate(d, AlarmState.OK, aligned, end, end).state())
          .as("%s >= %s", c.s(), c.threshold())
          .isEqualTo(c.alarm() ? AlarmState.ALARM : AlarmState.OK);
    }
    assertThat(one).hasSize(1);
  }

  @Test
  void everyComparisonOperatorComparesAsNamed() {
    assertThat(ComparisonOperator.GREATER_THAN_OR_EQUAL.breaches(1, 1)).isTrue();
    assertThat(ComparisonOperator.GREATER_THAN.breaches(1, 1)).isFalse();
    assertThat(ComparisonOperator.GREATER_THAN.breaches(1.5, 1)).isTrue();
    assertThat(ComparisonOperator.LESS_THAN.breaches(1, 1)).isFalse();
    assertThat(ComparisonOperator.LESS_THAN.breaches(0.5, 1)).isTrue();
    assertThat(ComparisonOperator.LESS_THAN_OR_EQUAL.breaches(1, 1)).isTrue();
    assertThat(ComparisonOperator.fromWire("LessThanLowerThreshold")).isNull();
    AlarmDefinition low =
        alarm(Statistic.AVERAGE, 10, 1, null, 5, ComparisonOperator.LESS_THAN, null);
    Evaluation e = AlarmEvaluator.evaluate(low, AlarmState.OK, newestFirst(10, sum(2)), END, END);
    assertThat(e.state()).isEqualTo(AlarmState.ALARM);
    assertThat(e.reason()).contains("was less than the threshold (5.0)");
  }

  @Test
  void mOutOfNNeedsMBreachingPeriods() {
    AlarmDefinition twoOfThree = sumAtLeastOne(3, 2, null);
    Evaluation one =
        AlarmEvaluator.evaluate(
            twoOfThree, AlarmState.OK, newestFirst(10, sum(5), sum(0), sum(0)), END, END);
    assertThat(one.state()).isEqualTo(AlarmState.OK);
    assertThat(one.reason())
        .startsWith("Threshold Crossed: 2 out of the last 3 datapoints [0.0 (26/11/26 22:09:50)");
    Evaluation two =
        AlarmEvaluator.evaluate(
            twoOfThree, AlarmState.OK, newestFirst(10, sum(5), sum(0), sum(4)), END, END);
    assertThat(two.state()).isEqualTo(AlarmState.ALARM);
    assertThat(two.reason())
        .isEqualTo(
            "Threshold Crossed: 2 out of the last 3 datapoints [5.0 (26/11/26 22:10:00), 4.0"
                + " (26/11/26 22:09:40)] were greater than or equal to the threshold (1.0)"
                + " (minimum 2 datapoints for OK -> ALARM transition).");
    // without DatapointsToAlarm every period must breach
    assertThat(
            AlarmEvaluator.evaluate(
                    sumAtLeastOne(3, null, null),
                    AlarmState.OK,
                    newestFirst(10, sum(5), sum(0), sum(4)),
                    END,
                    END)
                .state())
        .isEqualTo(AlarmState.OK);
  }

  @Test
  void datapointsOutsideTheEvaluationRangeDoNotCount() {
    Map<Instant, StatisticSet> old = newestFirst(10, null, null, sum(9));
    assertThat(
            AlarmEvaluator.evaluate(sumAtLeastOne(2, 1, null), AlarmState.OK, old, END, END)
                .state())
        .isEqualTo(AlarmState.INSUFFICIENT_DATA);
  }

  @Test
  void allPeriodsMissingFollowsTreatMissingData() {
    Map<Instant, StatisticSet> none = Map.of();
    Evaluation missing =
        AlarmEvaluator.evaluate(sumAtLeastOne(2, null, null), AlarmState.OK, none, END, END);
    assertThat(missing.state()).isEqualTo(AlarmState.INSUFFICIENT_DATA);
    assertThat(missing.reason()).isEqualTo("Insufficient Data: 2 datapoints were unknown.");
    assertThat(
            AlarmEvaluator.evaluate(
                    sumAtLeastOne(1, null, TreatMissingData.MISSING), AlarmState.OK, none, END, END)
                .reason())
        .isEqualTo("Insufficient Data: 1 datapoint was unknown.");
    assertThat(
            AlarmEvaluator.evaluate(
                    sumAtLeastOne(2, null, TreatMissingData.IGNORE),
                    AlarmState.ALARM,
                    none,
                    END,
                    END)
                .state())
        .as("ignore keeps the state")
        .isNull();
    Evaluation breaching =
        AlarmEvaluator.evaluate(
            sumAtLeastOne(2, null, TreatMissingData.BREACHING), AlarmState.OK, none, END, END);
    assertThat(breaching.state()).isEqualTo(AlarmState.ALARM);
    assertThat(breaching.reason()).contains("treated as [Breaching]");
    assertThat(
            AlarmEvaluator.evaluate(
                    sumAtLeastOne(2, null, TreatMissingData.NOT_BREACHING),
                    AlarmState.ALARM,
                    none,
                    END,
                    END)
                .state())
        .isEqualTo(AlarmState.OK);
  }

  @Test
  void someMissingPeriodsCountAsBreachingOnlyWhenTreatedSo() {
    Map<Instant, StatisticSet> oneOfTwo = newestFirst(10, sum(3), null);
    assertThat(
            AlarmEvaluator.evaluate(sumAtLeastOne(2, null, null), AlarmState.OK, oneOfTwo, END, END)
                .state())
        .isEqualTo(AlarmState.OK);
    assertThat(
            AlarmEvaluator.evaluate(
                    sumAtLeastOne(2, null, TreatMissingData.BREACHING),
                    AlarmState.OK,
                    oneOfTwo,
                    END,
                    END)
                .state())
        .isEqualTo(AlarmState.ALARM);
    assertThat(
            AlarmEvaluator.evaluate(
                    sumAtLeastOne(2, null, TreatMissingData.IGNORE),
                    AlarmState.OK,
                    oneOfTwo,
                    END,
                    END)
                .state())
        .isEqualTo(AlarmState.OK);
  }

  @Test
  void dimensionsAreCanonicalWhateverTheirOrder() {
    MetricKey a = MetricKey.of("N", "M", Map.of("B", "2", "A", "1"));
    MetricKey b = MetricKey.of("N", "M", Map.of("A", "1", "B", "2"));
    assertThat(a).isEqualTo(b);
    assertThat(a.dimensionsKey()).isEqualTo(b.dimensionsKey());
    assertThat(MetricKey.parseDimensions(a.dimensionsKey())).isEqualTo(a.dimensions());
    assertThat(MetricKey.parseDimensions(MetricKey.of("N", "M", Map.of()).dimensionsKey()))
        .isEmpty();
  }
}
