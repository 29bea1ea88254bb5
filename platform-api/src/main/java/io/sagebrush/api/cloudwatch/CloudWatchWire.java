package io.sagebrush.api.cloudwatch;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;

/** The CloudWatch shapes as they travel (PascalCase members, absent = null). */
public final class CloudWatchWire {
  private CloudWatchWire() {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record Dimension(String name, String value) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record Tag(String key, String value) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record PutMetricAlarmRequest(
      String alarmName,
      String alarmDescription,
      Boolean actionsEnabled,
      @JsonProperty("OKActions") List<String> okActions,
      List<String> alarmActions,
      List<String> insufficientDataActions,
      String metricName,
      String namespace,
      String statistic,
      String extendedStatistic,
      List<Dimension> dimensions,
      Integer period,
      String unit,
      Integer evaluationPeriods,
      Integer datapointsToAlarm,
      Double threshold,
      String comparisonOperator,
      String treatMissingData,
      String evaluateLowSampleCountPercentile,
      JsonNode metrics,
      List<Tag> tags,
      String thresholdMetricId,
      JsonNode evaluationCriteria,
      Integer evaluationInterval) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record DescribeAlarmsRequest(
      List<String> alarmNames,
      String alarmNamePrefix,
      List<String> alarmTypes,
      String childrenOfAlarmName,
      String parentsOfAlarmName,
      String stateValue,
      String actionPrefix,
      Integer maxRecords,
      String nextToken) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record MetricAlarm(
      String alarmName,
      String alarmArn,
      String alarmDescription,
      Instant alarmConfigurationUpdatedTimestamp,
      Boolean actionsEnabled,
      @JsonProperty("OKActions") List<String> okActions,
      List<String> alarmActions,
      List<String> insufficientDataActions,
      String stateValue,
      String stateReason,
      String stateReasonData,
      Instant stateUpdatedTimestamp,
      String metricName,
      String namespace,
      String statistic,
      List<Dimension> dimensions,
      Integer period,
      String unit,
      Integer evaluationPeriods,
      Integer datapointsToAlarm,
      Double threshold,
      String comparisonOperator,
      String treatMissingData,
      Instant stateTransitionedTimestamp) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record DescribeAlarmsResponse(
      List<JsonNode> compositeAlarms, List<MetricAlarm> metricAlarms, String nextToken) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record DeleteAlarmsRequest(List<String> alarmNames) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record SetAlarmStateRequest(
      String alarmName, String stateValue, String stateReason, String stateReasonData) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record StatisticSet(Double sampleCount, Double sum, Double minimum, Double maximum) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record MetricDatum(
      String metricName,
      List<Dimension> dimensions,
      Instant timestamp,
      Double value,
      StatisticSet statisticValues,
      List<Double> values,
      List<Double> counts,
      String unit,
      Integer storageResolution) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record PutMetricDataRequest(
      String namespace,
      List<MetricDatum> metricData,
      JsonNode entityMetricData,
      Boolean strictEntityValidation) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record GetMetricStatisticsRequest(
      String namespace,
      String metricName,
      List<Dimension> dimensions,
      Instant startTime,
      Instant endTime,
      Integer period,
      List<String> statistics,
      List<String> extendedStatistics,
      String unit) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record Datapoint(
      Instant timestamp,
      Double sampleCount,
      Double average,
      Double sum,
      Double minimum,
      Double maximum,
      String unit) {}

  @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
  public record GetMetricStatisticsResponse(String label, List<Datapoint> datapoints) {}
}
