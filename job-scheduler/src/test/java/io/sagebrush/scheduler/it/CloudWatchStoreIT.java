package io.sagebrush.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.scheduler.cloudwatch.domain.AlarmDefinition;
import io.sagebrush.scheduler.cloudwatch.domain.AlarmQuery;
import io.sagebrush.scheduler.cloudwatch.domain.AlarmState;
import io.sagebrush.scheduler.cloudwatch.domain.ComparisonOperator;
import io.sagebrush.scheduler.cloudwatch.domain.MetricAlarm;
import io.sagebrush.scheduler.cloudwatch.domain.MetricDatum;
import io.sagebrush.scheduler.cloudwatch.domain.MetricKey;
import io.sagebrush.scheduler.cloudwatch.domain.Statistic;
import io.sagebrush.scheduler.cloudwatch.domain.StatisticSet;
import io.sagebrush.scheduler.cloudwatch.service.AlarmEvaluationLoop;
import io.sagebrush.scheduler.cloudwatch.service.CloudWatchService;
import io.sagebrush.scheduler.support.MutableClock;
import io.sagebrush.scheduler.support.SchedulerIntegrationTest;
import io.sagebrush.scheduler.support.SchedulerTestApplication;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The metric store, alarm store and alarm evaluation on PostgreSQL, on virtual time. */
@SchedulerIntegrationTest
class CloudWatchStoreIT {
  private static final Instant T0 = SchedulerTestApplication.T0;
  private static final MetricKey ERRORS =
      MetricKey.of(
          "AWS/SageMaker", "Invocation5XXErrors", Map.of("EndpointName", "e", "VariantName", "v"));

  @Autowired CloudWatchService cloudWatch;
  @Autowired AlarmEvaluationLoop evaluation;
  @Autowired MutableClock clock;
  @Autowired JdbcTemplate jdbc;

  @BeforeEach
  void cleanTablesAndResetTime() {
    jdbc.execute("TRUNCATE cw_metric_datum, cw_alarm");
    clock.set(T0);
  }

  private static MetricDatum datum(MetricKey key, Instant at, double... values) {
    StatisticSet set = null;
    for (double v : values) {
      set = set == null ? StatisticSet.of(v) : set.merge(StatisticSet.of(v));
    }
    return new MetricDatum(key, at, "Count", set);
  }

  private static AlarmDefinition errorsAlarm(String name, int period) {
    return new AlarmDefinition(
        name,
        "5xx on e/v",
        true,
        null,
        List.of("arn:aws:sns:us-east-1:000000000000:ops"),
        null,
        ERRORS,
        Statistic.SUM,
        null,
        period,
        1,
        null,
        1.0,
        ComparisonOperator.GREATER_THAN_OR_EQUAL,
        null,
        Map.of("team", "ml"));
  }

  @Test
  void datapointsAreAggregatedPerPeriodAndMetricWhateverTheDimensionOrder() {
    MetricKey reordered =
        MetricKey.of(
            "AWS/SageMaker",
            "Invocation5XXErrors",
            Map.of("VariantName", "v", "EndpointName", "e"));
    MetricKey other =
        MetricKey.of(
            "AWS/SageMaker",
            "Invocation5XXErrors",
            Map.of("EndpointName", "e", "VariantName", "w"));
    cloudWatch.putData(
        List.of(
            datum(ERRORS, T0.plusMillis(100), 1, 2),
            datum(reordered, T0.plusSeconds(3), 4),
            datum(ERRORS, T0.plusSeconds(3).plusMillis(900), 0.5),
            datum(other, T0.plusSeconds(4), 100),
            datum(ERRORS, T0.plusSeconds(12), 7)));
    // a second batch into the same second adds to it
    cloudWatch.putData(List.of(datum(ERRORS, T0.plusSeconds(12).plusMillis(500), 1)));

    Map<Instant, StatisticSet> tens =
        cloudWatch.statistics(ERRORS, T0, T0.plusSeconds(20), 10, null);
    assertThat(tens).containsOnlyKeys(T0, T0.plusSeconds(10));
    assertThat(tens.get(T0)).isEqualTo(new StatisticSet(4, 7.5, 0.5, 4));
    assertThat(tens.get(T0.plusSeconds(10))).isEqualTo(new StatisticSet(2, 8, 1, 7));
    assertThat(cloudWatch.statistics(ERRORS, T0, T0.plusSeconds(60), 60, null).get(T0))
        .isEqualTo(new StatisticSet(6, 15.5, 0.5, 7));
    assertThat(cloudWatch.statistics(ERRORS, T0, T0.plusSeconds(60), 60, "Seconds")).isEmpty();
    assertThat(cloudWatch.unit(ERRORS, T0, T0.plusSeconds(60))).isEqualTo("Count");
  }

  @Test
  void anAlarmGoesToAlarmWhenItsWindowBreachesAndBackWhenTheNextDoesNot() {
    cloudWatch.putAlarm(errorsAlarm("errors", 10));
    MetricAlarm created = cloudWatch.find("errors").orElseThrow();
    assertThat(created.state()).isEqualTo(AlarmState.INSUFFICIENT_DATA);
    assertThat(created.stateReason()).isEqualTo("Unchecked: Initial alarm creation");
    assertThat(created.definition().tags()).containsEntry("team", "ml");
    assertThat(created.definition().alarmActions()).hasSize(1);

    cloudWatch.putData(List.of(datum(ERRORS, T0.plusSeconds(2), 1, 1, 1)));
    clock.set(T0.plusSeconds(13));
    assertThat(evaluation.evaluateOnce()).isEqualTo(1);
    MetricAlarm alarm = cloudWatch.find("errors").orElseThrow();
    assertThat(alarm.state()).isEqualTo(AlarmState.ALARM);
    assertThat(alarm.stateReason())
        .isEqualTo(
            "Threshold Crossed: 1 datapoint [3.0 (01/01/26 00:00:00)] was greater than or equal"
                + " to the threshold (1.0).");
    assertThat(alarm.stateTransitionedAt()).isEqualTo(T0.plusSeconds(13));
    assertThat(cloudWatch.inAlarm(List.of("errors", "unknown"))).containsOnlyKeys("errors");

    // the same window is not evaluated twice
    clock.set(T0.plusSeconds(15));
    assertThat(evaluation.evaluateOnce()).isZero();

    cloudWatch.putData(List.of(datum(ERRORS, T0.plusSeconds(14), 0)));
    clock.set(T0.plusSeconds(23));
    assertThat(evaluation.evaluateOnce()).isEqualTo(1);
    assertThat(cloudWatch.find("errors").orElseThrow().state()).isEqualTo(AlarmState.OK);
    assertThat(cloudWatch.inAlarm(List.of("errors"))).isEmpty();
  }

  @Test
  void setAlarmStateHoldsUntilTheNextWindowIsEvaluated() {
    cloudWatch.putAlarm(errorsAlarm("manual", 60));
    clock.set(T0.plusSeconds(70));
    evaluation.evaluateOnce();
    assertThat(cloudWatch.setState("manual", AlarmState.ALARM, "test", null)).isTrue();
    assertThat(cloudWatch.setState("nope", AlarmState.ALARM, "test", null)).isFalse();
    clock.set(T0.plusSeconds(110));
    evaluation.evaluateOnce();
    MetricAlarm held = cloudWatch.find("manual").orElseThrow();
    assertThat(held.state()).isEqualTo(AlarmState.ALARM);
    assertThat(held.stateReason()).isEqualTo("test");
    assertThat(cloudWatch.inAlarm(List.of("manual"))).containsEntry("manual", "test");

    clock.set(T0.plusSeconds(123));
    evaluation.evaluateOnce();
    assertThat(cloudWatch.find("manual").orElseThrow().state())
        .isEqualTo(AlarmState.INSUFFICIENT_DATA);
  }

  @Test
  void describeFiltersByNamePrefixAndStateAndPagesByName() {
    for (String name : List.of("b-2", "a-1", "b-1", "c-1")) {
      cloudWatch.putAlarm(errorsAlarm(name, 60));
    }
    cloudWatch.setState("b-2", AlarmState.ALARM, "manual", null);
    assertThat(names(new AlarmQuery(null, null, null, null, 50)))
        .containsExactly("a-1", "b-1", "b-2", "c-1");
    assertThat(names(new AlarmQuery(null, "b-", null, null, 50))).containsExactly("b-1", "b-2");
    assertThat(names(new AlarmQuery(List.of("c-1", "a-1", "x"), null, null, null, 50)))
        .containsExactly("a-1", "c-1");
    assertThat(names(new AlarmQuery(null, null, AlarmState.ALARM, null, 50)))
        .containsExactly("b-2");
    assertThat(names(new AlarmQuery(null, null, null, null, 2))).containsExactly("a-1", "b-1");
    assertThat(names(new AlarmQuery(null, null, null, "b-1", 2))).containsExactly("b-2", "c-1");

    // a new definition keeps the state
    cloudWatch.putAlarm(errorsAlarm("b-2", 10));
    MetricAlarm redefined = cloudWatch.find("b-2").orElseThrow();
    assertThat(redefined.definition().period()).isEqualTo(10);
    assertThat(redefined.state()).isEqualTo(AlarmState.ALARM);

    assertThat(cloudWatch.delete(List.of("a-1", "b-2", "zz"))).isEqualTo(2);
    assertThat(names(new AlarmQuery(null, null, null, null, 50))).containsExactly("b-1", "c-1");
  }

  @Test
  void datapointsOlderThanTheRetentionArePurged() {
    cloudWatch.putData(
        List.of(datum(ERRORS, T0, 1), datum(ERRORS, T0.plus(Duration.ofHours(20)), 2)));
    clock.set(T0.plus(Duration.ofHours(25)));
    evaluation.evaluateOnce();
    assertThat(jdbc.queryForObject("SELECT count(*) FROM cw_metric_datum", Long.class))
        .isEqualTo(1);
  }

  private List<String> names(AlarmQuery q) {
    return cloudWatch.describe(q).stream().map(MetricAlarm::name).toList();
  }
}
