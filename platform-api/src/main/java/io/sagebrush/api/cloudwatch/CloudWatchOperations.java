package io.sagebrush.api.cloudwatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebrush.api.awsjson.AwsOperation;
import io.sagebrush.api.awsjson.AwsOperationProvider;
import io.sagebrush.api.awsjson.Violations;
import io.sagebrush.api.cloudwatch.CloudWatchWire.Datapoint;
import io.sagebrush.api.cloudwatch.CloudWatchWire.DeleteAlarmsRequest;
import io.sagebrush.api.cloudwatch.CloudWatchWire.DescribeAlarmsRequest;
import io.sagebrush.api.cloudwatch.CloudWatchWire.DescribeAlarmsResponse;
import io.sagebrush.api.cloudwatch.CloudWatchWire.Dimension;
import io.sagebrush.api.cloudwatch.CloudWatchWire.GetMetricStatisticsRequest;
import io.sagebrush.api.cloudwatch.CloudWatchWire.GetMetricStatisticsResponse;
import io.sagebrush.api.cloudwatch.CloudWatchWire.PutMetricAlarmRequest;
import io.sagebrush.api.cloudwatch.CloudWatchWire.PutMetricDataRequest;
import io.sagebrush.api.cloudwatch.CloudWatchWire.SetAlarmStateRequest;
import io.sagebrush.api.cloudwatch.CloudWatchWire.Tag;
import io.sagebrush.common.arn.Arns;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.scheduler.cloudwatch.domain.AlarmDefinition;
import io.sagebrush.scheduler.cloudwatch.domain.AlarmQuery;
import io.sagebrush.scheduler.cloudwatch.domain.AlarmState;
import io.sagebrush.scheduler.cloudwatch.domain.ComparisonOperator;
import io.sagebrush.scheduler.cloudwatch.domain.MetricAlarm;
import io.sagebrush.scheduler.cloudwatch.domain.MetricDatum;
import io.sagebrush.scheduler.cloudwatch.domain.MetricKey;
import io.sagebrush.scheduler.cloudwatch.domain.Statistic;
import io.sagebrush.scheduler.cloudwatch.domain.StatisticSet;
import io.sagebrush.scheduler.cloudwatch.domain.TreatMissingData;
import io.sagebrush.scheduler.cloudwatch.service.CloudWatchService;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The CloudWatch operations Sagebrush serves: PutMetricAlarm, DescribeAlarms, DeleteAlarms,
 * SetAlarmState (metric alarms on one metric), PutMetricData and GetMetricStatistics. Registered
 * for AWS JSON 1.0 ({@code X-Amz-Target: GraniteServiceVersion20100801.<Op>}) and looked up by name
 * by the rpc-v2-cbor and Query controllers. Composite alarms, metric math, anomaly detection,
 * percentiles and alarm actions are not supported (actions are stored and echoed, never run).
 */
@Component
public class CloudWatchOperations implements AwsOperationProvider {
  static final String TARGET_PREFIX = "GraniteServiceVersion20100801.";
  static final List<String> STATE_VALUES = List.of("OK", "ALARM", "INSUFFICIENT_DATA");
  static final List<String> STATISTICS =
      List.of("SampleCount", "Average", "Sum", "Minimum", "Maximum");
  static final List<String> UNITS =
      List.of(
          "Seconds",
          "Microseconds",
          "Milliseconds",
          "Bytes",
          "Kilobytes",
          "Megabytes",
          "Gigabytes",
          "Terabytes",
          "Bits",
          "Kilobits",
          "Megabits",
          "Gigabits",
          "Terabits",
          "Percent",
          "Count",
          "Bytes/Second",
          "Kilobytes/Second",
          "Megabytes/Second",
          "Gigabytes/Second",
          "Terabytes/Second",
          "Bits/Second",
          "Kilobits/Second",
          "Megabits/Second",
          "Gigabits/Second",
          "Terabits/Second",
          "Count/Second",
          "None");
  static final List<String> COMPARISONS =
      List.of(
          "GreaterThanOrEqualToThreshold",
          "GreaterThanThreshold",
          "LessThanThreshold",
          "LessThanOrEqualToThreshold",
          "LessThanLowerOrGreaterThanUpperThreshold",
          "LessThanLowerThreshold",
          "GreaterThanUpperThreshold");
  private static final Pattern NAMESPACE = Pattern.compile("[^:].*");
  private static final int MAX_DATAPOINTS = 1440;

  private final CloudWatchService cloudWatch;
  private final Arns arns;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, AwsOperation<?>> byName = new LinkedHashMap<>();

  public CloudWatchOperations(CloudWatchService cloudWatch, Arns arns, Clock clock) {
    this.cloudWatch = cloudWatch;
    this.arns = arns;
    this.clock = clock;
    add("PutMetricAlarm", PutMetricAlarmRequest.class, this::putMetricAlarm);
    add("DescribeAlarms", DescribeAlarmsRequest.class, this::describeAlarms);
    add("DeleteAlarms", DeleteAlarmsRequest.class, this::deleteAlarms);
    add("SetAlarmState", SetAlarmStateRequest.class, this::setAlarmState);
    add("PutMetricData", PutMetricDataRequest.class, this::putMetricData);
    add("GetMetricStatistics", GetMetricStatisticsRequest.class, this::getMetricStatistics);
  }

  private <I> void add(String name, Class<I> input, java.util.function.Function<I, Object> op) {
    byName.put(name, AwsOperation.of(TARGET_PREFIX + name, input, op));
  }

  @Override
  public List<AwsOperation<?>> operations() {
    return List.copyOf(byName.values());
  }

  /**
   * The operation called {@code name} (e.g. {@code PutMetricAlarm}).
   *
   * @throws CloudWatchException INVALID_ACTION when Sagebrush does not serve it
   */
  public AwsOperation<?> operation(String name) {
    AwsOperation<?> op = byName.get(name);
    if (op == null) {
      throw new CloudWatchException(
          CloudWatchError.INVALID_ACTION,
          "The action "
              + name
              + " is not valid for this web service (not supported by Sagebrush).");
    }
    return op;
  }

  /** The ARN of a metric alarm. */
  public String alarmArn(String name) {
    return "arn:aws:cloudwatch:" + arns.region() + ":" + arns.accountId() + ":alarm:" + name;
  }

  // ---- PutMetricAlarm ----

  Object putMetricAlarm(PutMetricAlarmRequest r) {
    Violations v = Violations.validation();
    if (v.required("alarmName", r.alarmName())) {
      v.length("alarmName", r.alarmName(), 1, 255);
    }
    v.length("alarmDescription", r.alarmDescription(), 0, 1024);
    actions(v, "oKActions", r.okActions());
    actions(v, "alarmActions", r.alarmActions());
    actions(v, "insufficientDataActions", r.insufficientDataActions());
    v.length("metricName", r.metricName(), 1, 255);
    v.length("namespace", r.namespace(), 1, 255);
    v.pattern("namespace", r.namespace(), NAMESPACE);
    v.oneOf("statistic", r.statistic(), STATISTICS);
    dimensions(v, r.dimensions());
    v.range("period", r.period(), 1, Integer.MAX_VALUE);
    v.oneOf("unit", r.unit(), UNITS);
    v.range("evaluationPeriods", r.evaluationPeriods(), 1, Integer.MAX_VALUE);
    v.range("datapointsToAlarm", r.datapointsToAlarm(), 1, Integer.MAX_VALUE);
    v.oneOf("comparisonOperator", r.comparisonOperator(), COMPARISONS);
    v.length("treatMissingData", r.treatMissingData(), 1, 255);
    if (r.tags() != null) {
      for (int i = 0; i < r.tags().size(); i++) {
        Tag t = r.tags().get(i);
        String at = "tags." + (i + 1) + ".member.";
        if (v.required(at + "key", t.key())) {
          v.length(at + "key", t.key(), 1, 128);
        }
        if (v.required(at + "value", t.value())) {
          v.length(at + "value", t.value(), 0, 256);
        }
      }
    }
    check(v);
    if (r.metrics() != null && !r.metrics().isNull()) {
      throw CloudWatchException.invalidValue(
          "Metric math alarms (Metrics) are not supported by Sagebrush: alarm on one metric with"
              + " Namespace, MetricName, Dimensions and Statistic.");
    }
    if (r.extendedStatistic() != null) {
      if (r.statistic() != null) {
        throw new CloudWatchException(
            CloudWatchError.INVALID_PARAMETER_COMBINATION,
            "Exactly one element of the Statistic and ExtendedStatistic parameters must be"
                + " specified.");
      }
      throw CloudWatchException.invalidValue(
          "ExtendedStatistic (percentiles) is not supported by Sagebrush.");
    }
    if (r.metricName() == null || r.namespace() == null) {
      throw CloudWatchException.validation(
          "Namespace and MetricName must be specified for an alarm on a single metric.");
    }
    if (r.statistic() == null) {
      throw CloudWatchException.validation(
          "Exactly one element of the Statistic and ExtendedStatistic parameters must be"
              + " specified.");
    }
    if (r.period() == null) {
      throw CloudWatchException.missing("Period");
    }
    if (r.evaluationPeriods() == null) {
      throw CloudWatchException.missing("EvaluationPeriods");
    }
    if (r.comparisonOperator() == null) {
      throw CloudWatchException.missing("ComparisonOperator");
    }
    if (r.threshold() == null) {
      throw CloudWatchException.validation(
          "Threshold must be specified for an alarm that is not an anomaly detection alarm.");
    }
    int period = r.period();
    if (period != 10 && period != 30 && period % 60 != 0) {
      throw CloudWatchException.validation(
          "The parameter Period must be 10, 30 or a multiple of 60.");
    }
    if ((long) period * r.evaluationPeriods() > 86_400) {
      throw CloudWatchException.validation(
          "The evaluation range of an alarm (Period * EvaluationPeriods) can be at most one day"
              + " (86400 seconds).");
    }
    if (r.datapointsToAlarm() != null && r.datapointsToAlarm() > r.evaluationPeriods()) {
      throw CloudWatchException.validation(
          "DatapointsToAlarm must be less than or equal to EvaluationPeriods.");
    }
    ComparisonOperator op = ComparisonOperator.fromWire(r.comparisonOperator());
    if (op == null) {
      throw CloudWatchException.invalidValue(
          "ComparisonOperator "
              + r.comparisonOperator()
              + " needs an anomaly detection band, which Sagebrush does not support.");
    }
    TreatMissingData missing = TreatMissingData.MISSING;
    if (r.treatMissingData() != null) {
      missing = TreatMissingData.fromWire(r.treatMissingData());
      if (missing == null) {
        throw CloudWatchException.validation(
            "The value "
                + r.treatMissingData()
                + " for parameter TreatMissingData is invalid: use breaching, notBreaching,"
                + " ignore or missing.");
      }
    }
    if (!Double.isFinite(r.threshold())) {
      throw CloudWatchException.invalidValue("The parameter Threshold must be a finite number.");
    }
    Map<String, String> tags = new LinkedHashMap<>();
    if (r.tags() != null) {
      r.tags().forEach(t -> tags.put(t.key(), t.value()));
    }
    cloudWatch.putAlarm(
        new AlarmDefinition(
            r.alarmName(),
            r.alarmDescription(),
            r.actionsEnabled() == null || r.actionsEnabled(),
            r.okActions(),
            r.alarmActions(),
            r.insufficientDataActions(),
            key(r.namespace(), r.metricName(), r.dimensions()),
            Statistic.fromWire(r.statistic()),
            r.unit(),
            period,
            r.evaluationPeriods(),
            r.datapointsToAlarm(),
            r.threshold(),
            op,
            missing,
            tags));
    return null;
  }

  private static void actions(Violations v, String path, List<String> actions) {
    v.size(path, actions, 0, 5);
    if (actions != null) {
      for (int i = 0; i < actions.size(); i++) {
        v.length(path + "." + (i + 1) + ".member", actions.get(i), 1, 1024);
      }
    }
  }

  private static void dimensions(Violations v, List<Dimension> dimensions) {
    v.size("dimensions", dimensions, 0, 30);
    if (dimensions == null) {
      return;
    }
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < dimensions.size(); i++) {
      Dimension d = dimensions.get(i);
      String at = "dimensions." + (i + 1) + ".member.";
      if (d == null) {
        v.add("dimensions." + (i + 1) + ".member", null, "Member must not be null");
        continue;
      }
      if (v.required(at + "name", d.name())) {
        v.length(at + "name", d.name(), 1, 255);
        if (!seen.add(d.name())) {
          v.addMessage("The collection Dimensions must not contain duplicate names: " + d.name());
        }
      }
      if (v.required(at + "value", d.value())) {
        v.length(at + "value", d.value(), 1, 1024);
      }
    }
  }

  private static void check(Violations v) {
    try {
      v.throwIfAny();
    } catch (SagebrushException e) {
      throw CloudWatchException.validation(e.getMessage());
    }
  }

  private static MetricKey key(String namespace, String metricName, List<Dimension> dimensions) {
    Map<String, String> dims = new TreeMap<>();
    if (dimensions != null) {
      dimensions.forEach(d -> dims.put(d.name(), d.value()));
    }
    return MetricKey.of(namespace, metricName, dims);
  }

  // ---- DescribeAlarms, DeleteAlarms, SetAlarmState ----

  Object describeAlarms(DescribeAlarmsRequest r) {
    Violations v = Violations.validation();
    v.size("alarmNames", r.alarmNames(), 0, 100);
    v.length("alarmNamePrefix", r.alarmNamePrefix(), 1, 255);
    v.oneOf("stateValue", r.stateValue(), STATE_VALUES);
    v.range("maxRecords", r.maxRecords(), 1, 100);
    v.length("childrenOfAlarmName", r.childrenOfAlarmName(), 1, 255);
    v.length("parentsOfAlarmName", r.parentsOfAlarmName(), 1, 255);
    v.length("actionPrefix", r.actionPrefix(), 1, 1024);
    if (r.alarmTypes() != null) {
      for (int i = 0; i < r.alarmTypes().size(); i++) {
        v.oneOf(
            "alarmTypes." + (i + 1) + ".member",
            r.alarmTypes().get(i),
            List.of("CompositeAlarm", "MetricAlarm"));
      }
    }
    check(v);
    if (r.alarmNames() != null && !r.alarmNames().isEmpty() && r.alarmNamePrefix() != null) {
      throw new CloudWatchException(
          CloudWatchError.INVALID_PARAMETER_COMBINATION,
          "AlarmNames and AlarmNamePrefix cannot be used together.");
    }
    String after = null;
    if (r.nextToken() != null) {
      after = decodeToken(r.nextToken());
    }
    boolean metricAlarms =
        r.alarmTypes() == null
            || r.alarmTypes().isEmpty()
            || r.alarmTypes().contains("MetricAlarm");
    // only composite alarms have children or parents; there are none
    if (!metricAlarms || r.childrenOfAlarmName() != null || r.parentsOfAlarmName() != null) {
      return new DescribeAlarmsResponse(List.of(), List.of(), null);
    }
    int limit = r.maxRecords() == null ? 50 : r.maxRecords();
    List<MetricAlarm> found =
        cloudWatch.describe(
            new AlarmQuery(
                r.alarmNames(),
                r.alarmNamePrefix(),
                r.stateValue() == null ? null : AlarmState.valueOf(r.stateValue()),
                after,
                limit + 1));
    List<MetricAlarm> page = found.size() > limit ? found.subList(0, limit) : found;
    if (r.actionPrefix() != null) {
      page =
          page.stream()
              .filter(
                  a ->
                      a.definition().alarmActions().stream()
                              .anyMatch(x -> x.startsWith(r.actionPrefix()))
                          || a.definition().okActions().stream()
                              .anyMatch(x -> x.startsWith(r.actionPrefix()))
                          || a.definition().insufficientDataActions().stream()
                              .anyMatch(x -> x.startsWith(r.actionPrefix())))
              .toList();
    }
    String next = found.size() > limit ? encodeToken(found.get(limit - 1).name()) : null;
    return new DescribeAlarmsResponse(List.of(), page.stream().map(this::wire).toList(), next);
  }

  private CloudWatchWire.MetricAlarm wire(MetricAlarm a) {
    AlarmDefinition d = a.definition();
    List<Dimension> dims = new ArrayList<>();
    d.metric().dimensions().forEach((n, val) -> dims.add(new Dimension(n, val)));
    return new CloudWatchWire.MetricAlarm(
        d.name(),
        alarmArn(d.name()),
        d.description(),
        a.configUpdatedAt(),
        d.actionsEnabled(),
        d.okActions(),
        d.alarmActions(),
        d.insufficientDataActions(),
        a.state().name(),
        a.stateReason(),
        a.stateReasonData(),
        a.stateUpdatedAt(),
        d.metric().metricName(),
        d.metric().namespace(),
        d.statistic().wireName(),
        dims,
        d.period(),
        d.unit(),
        d.evaluationPeriods(),
        d.datapointsToAlarm(),
        d.threshold(),
        d.comparison().wireName(),
        d.treatMissingData().wireName(),
        a.stateTransitionedAt());
  }

  private static String encodeToken(String name) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(("alarm:" + name).getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeToken(String token) {
    try {
      String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (s.startsWith("alarm:")) {
        return s.substring("alarm:".length());
      }
    } catch (IllegalArgumentException e) {
      // not one of ours
    }
    throw new CloudWatchException(
        CloudWatchError.INVALID_NEXT_TOKEN, "The service returned an invalid next token.");
  }

  Object deleteAlarms(DeleteAlarmsRequest r) {
    Violations v = Violations.validation();
    if (v.required("alarmNames", r.alarmNames())) {
      v.size("alarmNames", r.alarmNames(), 0, 100);
      for (int i = 0; i < r.alarmNames().size(); i++) {
        v.length("alarmNames." + (i + 1) + ".member", r.alarmNames().get(i), 1, 255);
      }
    }
    check(v);
    Set<String> names = new LinkedHashSet<>(r.alarmNames());
    List<String> missing = new ArrayList<>();
    for (String name : names) {
      if (cloudWatch.find(name).isEmpty()) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      throw new CloudWatchException(
          CloudWatchError.RESOURCE_NOT_FOUND,
          missing.size() + "/" + names.size() + " alarms not found: " + missing);
    }
    cloudWatch.delete(names);
    return null;
  }

  Object setAlarmState(SetAlarmStateRequest r) {
    Violations v = Violations.validation();
    if (v.required("alarmName", r.alarmName())) {
      v.length("alarmName", r.alarmName(), 1, 255);
    }
    if (v.required("stateValue", r.stateValue())) {
      v.oneOf("stateValue", r.stateValue(), STATE_VALUES);
    }
    if (v.required("stateReason", r.stateReason())) {
      v.length("stateReason", r.stateReason(), 0, 1023);
    }
    v.length("stateReasonData", r.stateReasonData(), 0, 4000);
    check(v);
    if (r.stateReasonData() != null) {
      try {
        json.readTree(r.stateReasonData());
      } catch (JsonProcessingException e) {
        throw new CloudWatchException(
            CloudWatchError.INVALID_FORMAT, "The StateReasonData is not valid JSON.");
      }
    }
    if (!cloudWatch.setState(
        r.alarmName(), AlarmState.valueOf(r.stateValue()), r.stateReason(), r.stateReasonData())) {
      throw new CloudWatchException(
          CloudWatchError.RESOURCE_NOT_FOUND, "Alarm " + r.alarmName() + " not found");
    }
    return null;
  }

  // ---- PutMetricData, GetMetricStatistics ----

  Object putMetricData(PutMetricDataRequest r) {
    Violations v = Violations.validation();
    if (v.required("namespace", r.namespace())) {
      v.length("namespace", r.namespace(), 1, 255);
      v.pattern("namespace", r.namespace(), NAMESPACE);
    }
    v.size("metricData", r.metricData(), 0, 1000);
    if (r.metricData() != null) {
      for (int i = 0; i < r.metricData().size(); i++) {
        CloudWatchWire.MetricDatum d = r.metricData().get(i);
        String at = "metricData." + (i + 1) + ".member.";
        if (v.required(at + "metricName", d.metricName())) {
          v.length(at + "metricName", d.metricName(), 1, 255);
        }
        v.oneOf(at + "unit", d.unit(), UNITS);
        v.range(at + "storageResolution", d.storageResolution(), 1, Integer.MAX_VALUE);
      }
    }
    if (r.metricData() != null) {
      for (CloudWatchWire.MetricDatum d : r.metricData()) {
        dimensions(v, d.dimensions());
      }
    }
    check(v);
    if (r.namespace().startsWith("AWS/")) {
      throw CloudWatchException.invalidValue(
          "The value AWS/ for parameter Namespace is invalid: AWS/ namespaces are reserved for"
              + " the service's own metrics.");
    }
    if (r.metricData() == null || r.metricData().isEmpty()) {
      throw CloudWatchException.missing("MetricData");
    }
    Instant now = clock.instant();
    List<MetricDatum> data = new ArrayList<>();
    for (int i = 0; i < r.metricData().size(); i++) {
      CloudWatchWire.MetricDatum d = r.metricData().get(i);
      String at = "MetricData.member." + (i + 1);
      Instant ts = d.timestamp() == null ? now : d.timestamp();
      if (ts.isBefore(now.minus(Duration.ofDays(14))) || ts.isAfter(now.plusSeconds(7200))) {
        throw CloudWatchException.invalidValue(
            "The parameter "
                + at
                + ".Timestamp must be within the last two weeks and at most"
                + " two hours in the future.");
      }
      int given =
          (d.value() != null ? 1 : 0)
              + (d.statisticValues() != null ? 1 : 0)
              + (d.values() != null && !d.values().isEmpty() ? 1 : 0);
      if (given > 1) {
        throw new CloudWatchException(
            CloudWatchError.INVALID_PARAMETER_COMBINATION,
            "The parameters "
                + at
                + ".Value, "
                + at
                + ".StatisticValues and "
                + at
                + ".Values are mutually exclusive.");
      }
      if (given == 0) {
        throw CloudWatchException.missing(at + ".Value");
      }
      StatisticSet set = statisticSet(d, at);
      data.add(
          new MetricDatum(key(r.namespace(), d.metricName(), d.dimensions()), ts, d.unit(), set));
    }
    cloudWatch.putData(data);
    return null;
  }

  private static StatisticSet statisticSet(CloudWatchWire.MetricDatum d, String at) {
    if (d.value() != null) {
      finite(d.value(), at + ".Value");
      return StatisticSet.of(d.value());
    }
    if (d.statisticValues() != null) {
      CloudWatchWire.StatisticSet s = d.statisticValues();
      if (s.sampleCount() == null
          || s.sum() == null
          || s.minimum() == null
          || s.maximum() == null) {
        throw CloudWatchException.missing(
            at + ".StatisticValues (SampleCount, Sum, Minimum and Maximum)");
      }
      finite(s.sampleCount(), at + ".StatisticValues.SampleCount");
      finite(s.sum(), at + ".StatisticValues.Sum");
      finite(s.minimum(), at + ".StatisticValues.Minimum");
      finite(s.maximum(), at + ".StatisticValues.Maximum");
      if (s.sampleCount() <= 0 || s.minimum() > s.maximum()) {
        throw CloudWatchException.invalidValue(
            "The parameter "
                + at
                + ".StatisticValues needs SampleCount > 0 and Minimum <="
                + " Maximum.");
      }
      return new StatisticSet(s.sampleCount(), s.sum(), s.minimum(), s.maximum());
    }
    List<Double> values = d.values();
    List<Double> counts = d.counts();
    if (counts != null && !counts.isEmpty() && counts.size() != values.size()) {
      throw new CloudWatchException(
          CloudWatchError.INVALID_PARAMETER_COMBINATION,
          "The parameters " + at + ".Values and " + at + ".Counts must be of the same size.");
    }
    StatisticSet set = null;
    for (int j = 0; j < values.size(); j++) {
      double value = finite(values.get(j), at + ".Values");
      double count = counts == null || counts.isEmpty() ? 1 : finite(counts.get(j), at + ".Counts");
      StatisticSet one = new StatisticSet(count, value * count, value, value);
      set = set == null ? one : set.merge(one);
    }
    return set;
  }

  private static double finite(Double value, String member) {
    if (value == null || !Double.isFinite(value)) {
      throw CloudWatchException.invalidValue(
          "The value " + value + " for parameter " + member + " is invalid.");
    }
    return value;
  }

  Object getMetricStatistics(GetMetricStatisticsRequest r) {
    Violations v = Violations.validation();
    if (v.required("namespace", r.namespace())) {
      v.length("namespace", r.namespace(), 1, 255);
      v.pattern("namespace", r.namespace(), NAMESPACE);
    }
    if (v.required("metricName", r.metricName())) {
      v.length("metricName", r.metricName(), 1, 255);
    }
    dimensions(v, r.dimensions());
    v.required("startTime", r.startTime());
    v.required("endTime", r.endTime());
    if (v.required("period", r.period())) {
      v.range("period", r.period(), 1, Integer.MAX_VALUE);
    }
    v.size("statistics", r.statistics(), 1, 5);
    if (r.statistics() != null) {
      for (int i = 0; i < r.statistics().size(); i++) {
        v.oneOf("statistics." + (i + 1) + ".member", r.statistics().get(i), STATISTICS);
      }
    }
    v.size("extendedStatistics", r.extendedStatistics(), 1, 10);
    v.oneOf("unit", r.unit(), UNITS);
    check(v);
    boolean stats = r.statistics() != null && !r.statistics().isEmpty();
    boolean extended = r.extendedStatistics() != null && !r.extendedStatistics().isEmpty();
    if (stats == extended) {
      throw new CloudWatchException(
          stats ? CloudWatchError.INVALID_PARAMETER_COMBINATION : CloudWatchError.MISSING_PARAMETER,
          "Exactly one of the parameters Statistics or ExtendedStatistics must be specified.");
    }
    if (extended) {
      throw CloudWatchException.invalidValue(
          "ExtendedStatistics (percentiles) are not supported by Sagebrush.");
    }
    int period = r.period();
    if (period % 60 != 0 && 60 % period != 0) {
      throw CloudWatchException.invalidValue(
          "The parameter Period must be 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or a multiple of 60.");
    }
    if (!r.startTime().isBefore(r.endTime())) {
      throw CloudWatchException.invalidValue(
          "The parameter StartTime must be less than the parameter EndTime.");
    }
    long requested =
        (Duration.between(r.startTime(), r.endTime()).getSeconds() + period - 1)
            / period
            * r.statistics().size();
    if (requested > MAX_DATAPOINTS) {
      throw new CloudWatchException(
          CloudWatchError.INVALID_PARAMETER_COMBINATION,
          "You have requested up to "
              + requested
              + " datapoints, which exceeds the limit of "
              + MAX_DATAPOINTS
              + ". You may reduce the datapoints requested by increasing Period, or decreasing"
              + " the time range.");
    }
    MetricKey key = key(r.namespace(), r.metricName(), r.dimensions());
    Map<Instant, StatisticSet> periods =
        cloudWatch.statistics(key, r.startTime(), r.endTime(), period, r.unit());
    String unit =
        r.unit() != null
            ? r.unit()
            : periods.isEmpty() ? null : cloudWatch.unit(key, r.startTime(), r.endTime());
    Map<Instant, StatisticSet> sorted = new TreeMap<>(Comparator.naturalOrder());
    sorted.putAll(periods);
    List<Datapoint> points = new ArrayList<>();
    Set<String> wanted = new LinkedHashSet<>(r.statistics());
    sorted.forEach(
        (start, s) -> {
          Map<String, Double> values = new HashMap<>();
          for (String name : wanted) {
            values.put(name, Statistic.fromWire(name).of(s));
          }
          points.add(
              new Datapoint(
                  start.isBefore(r.startTime()) ? r.startTime() : start,
                  values.get("SampleCount"),
                  values.get("Average"),
                  values.get("Sum"),
                  values.get("Minimum"),
                  values.get("Maximum"),
                  unit == null ? "None" : unit));
        });
    return new GetMetricStatisticsResponse(r.metricName(), points);
  }
}
