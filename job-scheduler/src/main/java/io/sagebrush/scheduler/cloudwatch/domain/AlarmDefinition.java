package io.sagebrush.scheduler.cloudwatch.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A metric alarm as PutMetricAlarm defines it: one metric, one statistic over {@code period}
 * seconds, compared with a threshold over the last {@code evaluationPeriods} periods, of which
 * {@code datapointsToAlarm} must breach ("M out of N"). Actions are kept and echoed, never run.
 *
 * @param datapointsToAlarm M; null means N
 * @param unit the unit asked for, or null (kept and echoed; datapoints of every unit count)
 */
public record AlarmDefinition(
    String name,
    String description,
    boolean actionsEnabled,
    List<String> okActions,
    List<String> alarmActions,
    List<String> insufficientDataActions,
    MetricKey metric,
    Statistic statistic,
    String unit,
    int period,
    int evaluationPeriods,
    Integer datapointsToAlarm,
    double threshold,
    ComparisonOperator comparison,
    TreatMissingData treatMissingData,
    Map<String, String> tags) {

  public AlarmDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(statistic, "statistic");
    Objects.requireNonNull(comparison, "comparison");
    okActions = okActions == null ? List.of() : List.copyOf(okActions);
    alarmActions = alarmActions == null ? List.of() : List.copyOf(alarmActions);
    insufficientDataActions =
        insufficientDataActions == null ? List.of() : List.copyOf(insufficientDataActions);
    treatMissingData = treatMissingData == null ? TreatMissingData.MISSING : treatMissingData;
    tags =
        tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    if (period <= 0 || evaluationPeriods <= 0) {
      throw new IllegalArgumentException("period and evaluationPeriods must be positive");
    }
  }

  /** M of "M out of N": DatapointsToAlarm, else EvaluationPeriods. */
  public int requiredBreaches() {
    return datapointsToAlarm == null ? evaluationPeriods : datapointsToAlarm;
  }
}
