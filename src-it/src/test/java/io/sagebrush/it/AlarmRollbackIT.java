package io.sagebrush.it;

import static io.sagebrush.it.Endpoints.START_TIMEOUT;
import static io.sagebrush.it.Endpoints.aFactorModel;
import static io.sagebrush.it.Endpoints.awaitInService;
import static io.sagebrush.it.Endpoints.createConfig;
import static io.sagebrush.it.Endpoints.createEndpoint;
import static io.sagebrush.it.Endpoints.csv;
import static io.sagebrush.it.Endpoints.variant;
import static io.sagebrush.it.support.TrainingJobs.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebrush.it.support.AwsCli;
import io.sagebrush.it.support.AwsClients;
import io.sagebrush.it.support.SagebrushServerProcess;
import io.sagebrush.it.support.SharedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.Alarm;
import software.amazon.awssdk.services.sagemaker.model.AutoRollbackConfig;
import software.amazon.awssdk.services.sagemaker.model.BlueGreenUpdatePolicy;
import software.amazon.awssdk.services.sagemaker.model.CapacitySize;
import software.amazon.awssdk.services.sagemaker.model.CapacitySizeType;
import software.amazon.awssdk.services.sagemaker.model.DeploymentConfig;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.TrafficRoutingConfig;
import software.amazon.awssdk.services.sagemaker.model.TrafficRoutingConfigType;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;

/**
 * DeploymentConfig.AutoRollbackConfiguration against the server's CloudWatch alarms: an update
 * rolls back when a named alarm goes into ALARM while the new fleet takes traffic, whether set by
 * SetAlarmState (AWS SDK for Java v2, AWS Query protocol) or by the gateway's metrics (an alarm on
 * InvocationModelErrors over a model that answers 500), and the AWS CLI (rpc-v2-cbor) manages
 * alarms and reads the endpoint's Invocations. Both endpoints start together up front.
 */
@ExtendWith(SharedServer.class)
class AlarmRollbackIT {
  private static final String ROW = "1,2\n";
  private static final Duration ROLLBACK_TIMEOUT = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static AwsClients clients;
  private static SageMakerClient sm;
  private static CloudWatchClient cloudWatch;
  private static SagebrushServerProcess server;

  /** "primary" of factor 2; updated (linear, 60 s steps) to factor 5, rolled back by hand. */
  private static String manual;

  /** "primary" of factor 2; updated to factor 7 whose container answers 500. */
  private static String failing;

  private static String manualConfig;
  private static String failingConfig;

  @BeforeAll
  static void createEndpoints(SagebrushServerProcess shared) {
    server = shared;
    Endpoints.ensureImages();
    clients = server.clients();
    sm = clients.sageMaker();
    cloudWatch = server.cloudWatch();

    manual = uniqueName("ep-alarm-manual");
    manualConfig =
        createConfig(
            sm,
            manual + "-v1",
            variant("primary", aFactorModel(sm, clients.s3(), manual + "-f2", 2, Map.of()), 1, 1f));
    createConfig(
        sm,
        manual + "-v2",
        variant("primary", aFactorModel(sm, clients.s3(), manual + "-f5", 5, Map.of()), 1, 1f));
    createEndpoint(sm, manual, manualConfig);

    failing = uniqueName("ep-alarm-5xx");
    failingConfig =
        createConfig(
            sm,
            failing + "-v1",
            variant(
                "primary", aFactorModel(sm, clients.s3(), failing + "-f2", 2, Map.of()), 1, 1f));
    createConfig(
        sm,
        failing + "-v2",
        variant(
            "primary",
            aFactorModel(sm, clients.s3(), failing + "-f7", 7, Map.of("SERVER_MODE", "fail")),
            1,
            1f));
    createEndpoint(sm, failing, failingConfig);
  }

  @AfterAll
  static void deleteEndpoints() {
    if (clients != null) {
      Endpoints.deleteQuietly(sm, manual, failing);
      cloudWatch.close();
      clients.close();
    }
  }

  private static SageMakerRuntimeClient runtime() {
    return clients.runtime();
  }

  /** The prediction for {@link #ROW} (3 * factor), as the endpoint answers it. */
  private static double predict(String endpoint) {
    String body = runtime().invokeEndpoint(csv(endpoint, ROW)).body().asUtf8String().trim();
    return Double.parseDouble(body);
  }

  private static DeploymentConfig withAlarm(TrafficRoutingConfig routing, String alarm) {
    return DeploymentConfig.builder()
        .blueGreenUpdatePolicy(
            BlueGreenUpdatePolicy.builder()
                .trafficRoutingConfiguration(routing)
                .terminationWaitInSeconds(0)
                .maximumExecutionTimeoutInSeconds(900)
                .build())
        .autoRollbackConfiguration(
            AutoRollbackConfig.builder().alarms(Alarm.builder().alarmName(alarm).build()).build())
        .build();
  }

  private static List<Dimension> dimensions(String endpoint) {
    return List.of(
        Dimension.builder().name("EndpointName").value(endpoint).build(),
        Dimension.builder().name("VariantName").value("primary").build());
  }

  /**
   * Puts (through the SDK) an alarm on the endpoint's "primary" variant that is in ALARM when the
   * Sum of {@code metric} over one period of {@code period} seconds is at least 1.
   *
   * @param treatMissingData null for the default (missing)
   */
  private static void putAlarm(
      String alarm, String endpoint, String metric, int period, String treatMissingData) {
    cloudWatch.putMetricAlarm(
        b ->
            b.alarmName(alarm)
                .namespace("AWS/SageMaker")
                .metricName(metric)
                .dimensions(dimensions(endpoint))
                .statistic(Statistic.SUM)
                .period(period)
                .evaluationPeriods(1)
                .threshold(1.0)
                .treatMissingData(treatMissingData)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD));
  }

  /** The AWS CLI's arguments {@code cloudwatch <operation> --endpoint-url <server> <args>}. */
  private static String[] cloudWatchCli(String operation, String... args) {
    List<String> all =
        new ArrayList<>(
            List.of("cloudwatch", operation, "--endpoint-url", server.apiEndpoint().toString()));
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }

  /**
   * Runs {@code aws cloudwatch <operation> <args> --output json}, which must succeed: its answer.
   */
  private static JsonNode cloudWatchJson(AwsCli cli, Path work, String operation, String... args)
      throws Exception {
    List<String> json = new ArrayList<>(List.of(args));
    json.addAll(List.of("--output", "json"));
    return JSON.readTree(cli.ok(work, cloudWatchCli(operation, json.toArray(String[]::new))));
  }

  @Test
  void setAlarmStateDuringALinearShiftRollsBackAndInvocationsKeepSucceeding() {
    awaitInService(sm, manual, START_TIMEOUT);
    String alarm = manual + "-guard";
    putAlarm(alarm, manual, "Invocation5XXErrors", 60, null);
    MetricAlarm described =
        cloudWatch.describeAlarms(b -> b.alarmNames(alarm)).metricAlarms().get(0);
    assertThat(described.alarmArn())
        .isEqualTo("arn:aws:cloudwatch:us-east-1:000000000000:alarm:" + alarm);
    assertThat(described.stateValue()).isEqualTo(StateValue.INSUFFICIENT_DATA);
    assertThat(described.dimensions()).hasSize(2);
    assertThat(predict(manual)).isEqualTo(6.0);

    sm.updateEndpoint(
        b ->
            b.endpointName(manual)
                .endpointConfigName(manual + "-v2")
                .deploymentConfig(
                    withAlarm(
                        TrafficRoutingConfig.builder()
                            .type(TrafficRoutingConfigType.LINEAR)
                            .waitIntervalInSeconds(60)
                            .linearStepSize(
                                CapacitySize.builder()
                                    .type(CapacitySizeType.CAPACITY_PERCENT)
                                    .value(50)
                                    .build())
                            .build(),
                        alarm)));
    // the new fleet takes its first share: some answers come from factor 5
    Awaitility.await("the new fleet of " + manual + " answers")
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> predict(manual) == 15.0);

    cloudWatch.setAlarmState(
        b -> b.alarmName(alarm).stateValue(StateValue.ALARM).stateReason("rollback drill"));
    Instant deadline = Instant.now().plus(ROLLBACK_TIMEOUT);
    DescribeEndpointResponse d;
    do {
      // every request succeeds through the rollback
      assertThat(predict(manual)).isIn(6.0, 15.0);
      d = sm.describeEndpoint(b -> b.endpointName(manual));
    } while (d.endpointStatus() != EndpointStatus.IN_SERVICE && Instant.now().isBefore(deadline));

    assertThat(d.endpointStatus()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(d.endpointConfigName()).isEqualTo(manualConfig);
    assertThat(d.failureReason())
        .isEqualTo(
            "Endpoint update rolled back: Alarm \""
                + alarm
                + "\" is in ALARM state: rollback drill");
    // every gateway follows the control plane's routing table a moment later: from then on, 20
    // answers in a row come from the old fleet
    Awaitility.await(manual + " answering from the old fleet only")
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> IntStream.range(0, 20).allMatch(i -> predict(manual) == 6.0));
    // the SDK registers two exceptions for the code ResourceNotFound; the code is what counts
    assertThatThrownBy(
            () ->
                cloudWatch.setAlarmState(
                    b ->
                        b.alarmName(alarm + "-nope").stateValue(StateValue.ALARM).stateReason("x")))
        .isInstanceOfSatisfying(
            CloudWatchException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFound");
              assertThat(e.statusCode()).isEqualTo(404);
            });
    cloudWatch.deleteAlarms(b -> b.alarmNames(alarm));
    assertThat(cloudWatch.describeAlarms(b -> b.alarmNames(alarm)).metricAlarms()).isEmpty();
  }

  @Test
  void aMetricAlarmOnModelErrorsRollsBackAnUpdateWhoseModelAnswers500() throws Exception {
    awaitInService(sm, failing, START_TIMEOUT);
    Optional<AwsCli> cli = AwsCli.find();
    Path work = Files.createTempDirectory("alarm-cli");
    String alarm = failing + "-model-errors";
    String[] put =
        cloudWatchCli(
            "put-metric-alarm",
            "--alarm-name",
            alarm,
            "--namespace",
            "AWS/SageMaker",
            "--metric-name",
            "InvocationModelErrors",
            "--dimensions",
            "Name=EndpointName,Value=" + failing,
            "Name=VariantName,Value=primary",
            "--statistic",
            "Sum",
            "--period",
            "10",
            "--evaluation-periods",
            "1",
            "--threshold",
            "1",
            "--comparison-operator",
            "GreaterThanOrEqualToThreshold",
            "--treat-missing-data",
            "notBreaching");
    if (cli.isPresent()) {
      cli.get().ok(work, put);
    } else {
      putAlarm(alarm, failing, "InvocationModelErrors", 10, "notBreaching");
    }
    assertThat(predict(failing)).isEqualTo(6.0);

    sm.updateEndpoint(
        b ->
            b.endpointName(failing)
                .endpointConfigName(failing + "-v2")
                .deploymentConfig(
                    withAlarm(
                        TrafficRoutingConfig.builder()
                            .type(TrafficRoutingConfigType.ALL_AT_ONCE)
                            .waitIntervalInSeconds(90)
                            .build(),
                        alarm)));
    int modelErrors = 0;
    Instant deadline = Instant.now().plus(START_TIMEOUT).plus(ROLLBACK_TIMEOUT);
    DescribeEndpointResponse d;
    do {
      try {
        predict(failing);
      } catch (ModelErrorException e) {
        assertThat(e.statusCode()).isEqualTo(424);
        modelErrors++;
      }
      Thread.sleep(200);
      d = sm.describeEndpoint(b -> b.endpointName(failing));
    } while (d.endpointStatus() != EndpointStatus.IN_SERVICE && Instant.now().isBefore(deadline));

    assertThat(modelErrors).as("requests the failing model answered").isPositive();
    assertThat(d.endpointStatus()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(d.endpointConfigName()).isEqualTo(failingConfig);
    assertThat(d.failureReason())
        .startsWith("Endpoint update rolled back: Alarm \"" + alarm + "\" is in ALARM state:")
        .contains("Threshold Crossed: 1 datapoint [")
        .contains("was greater than or equal to the threshold (1.0).");
    Awaitility.await("only the old fleet answers")
        .atMost(Duration.ofSeconds(30))
        .until(() -> predict(failing) == 6.0);
    for (int i = 0; i < 10; i++) {
      assertThat(predict(failing)).isEqualTo(6.0);
    }

    MetricAlarm tripped = cloudWatch.describeAlarms(b -> b.alarmNames(alarm)).metricAlarms().get(0);
    assertThat(tripped.stateReason()).startsWith("Threshold Crossed");
    assertThat(tripped.stateReasonData()).contains("\"statistic\":\"Sum\"");

    // the endpoint's Invocations as GetMetricStatistics shows them
    Instant now = Instant.now();
    int failed = modelErrors;
    Awaitility.await("Invocations of " + failing)
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                cloudWatch
                        .getMetricStatistics(
                            b ->
                                b.namespace("AWS/SageMaker")
                                    .metricName("Invocations")
                                    .dimensions(dimensions(failing))
                                    .startTime(now.minus(Duration.ofMinutes(10)))
                                    .endTime(now.plus(Duration.ofMinutes(1)))
                                    .period(60)
                                    .statistics(Statistic.SUM))
                        .datapoints()
                        .stream()
                        .mapToDouble(Datapoint::sum)
                        .sum()
                    >= failed);
  }

  @Test
  void theAwsCliManagesAlarmsAndReadsEndpointMetrics() throws Exception {
    Optional<AwsCli> found = AwsCli.find();
    Assumptions.assumeTrue(found.isPresent(), "the AWS CLI is not installed");
    AwsCli cli = found.get();
    Path work = Files.createTempDirectory("cloudwatch-cli");
    String name = uniqueName("cli-alarm");
    cli.ok(
        work,
        cloudWatchCli(
            "put-metric-alarm",
            "--alarm-name",
            name,
            "--alarm-description",
            "errors of e/v",
            "--namespace",
            "AWS/SageMaker",
            "--metric-name",
            "Invocation5XXErrors",
            "--dimensions",
            "Name=EndpointName,Value=e",
            "Name=VariantName,Value=v",
            "--statistic",
            "Sum",
            "--period",
            "60",
            "--evaluation-periods",
            "3",
            "--datapoints-to-alarm",
            "2",
            "--threshold",
            "5",
            "--comparison-operator",
            "GreaterThanThreshold",
            "--alarm-actions",
            "arn:aws:sns:us-east-1:000000000000:ops",
            "--tags",
            "Key=team,Value=ml"));
    JsonNode alarms = cloudWatchJson(cli, work, "describe-alarms", "--alarm-name-prefix", name);
    JsonNode alarm = alarms.path("MetricAlarms").get(0);
    assertThat(alarm.path("AlarmName").asText()).isEqualTo(name);
    assertThat(alarm.path("StateValue").asText()).isEqualTo("INSUFFICIENT_DATA");
    assertThat(alarm.path("DatapointsToAlarm").asInt()).isEqualTo(2);
    assertThat(alarm.path("Threshold").asDouble()).isEqualTo(5.0);
    assertThat(alarm.path("AlarmActions").get(0).asText())
        .isEqualTo("arn:aws:sns:us-east-1:000000000000:ops");
    assertThat(alarm.path("AlarmArn").asText()).endsWith(":alarm:" + name);

    cli.ok(
        work,
        cloudWatchCli(
            "set-alarm-state",
            "--alarm-name",
            name,
            "--state-value",
            "ALARM",
            "--state-reason",
            "test"));
    JsonNode inAlarm =
        cloudWatchJson(
            cli, work, "describe-alarms", "--state-value", "ALARM", "--alarm-names", name);
    assertThat(inAlarm.path("MetricAlarms").get(0).path("StateReason").asText()).isEqualTo("test");

    AwsCli.Result invalid =
        cli.run(
            work,
            cloudWatchCli(
                "put-metric-alarm",
                "--alarm-name",
                name + "-bad",
                "--namespace",
                "N",
                "--metric-name",
                "M",
                "--statistic",
                "Sum",
                "--period",
                "45",
                "--evaluation-periods",
                "1",
                "--threshold",
                "1",
                "--comparison-operator",
                "GreaterThanThreshold"));
    assertThat(invalid.exitCode()).isNotZero();
    assertThat(invalid.stderr()).contains("ValidationError").contains("Period");

    AwsCli.Result missing =
        cli.run(
            work,
            cloudWatchCli(
                "set-alarm-state",
                "--alarm-name",
                name + "-missing",
                "--state-value",
                "OK",
                "--state-reason",
                "x"));
    assertThat(missing.stderr()).contains("ResourceNotFound");

    cli.ok(work, cloudWatchCli("delete-alarms", "--alarm-names", name));
    JsonNode none = cloudWatchJson(cli, work, "describe-alarms", "--alarm-names", name);
    assertThat(none.path("MetricAlarms")).isEmpty();

    // custom metrics in, statistics out
    cli.ok(
        work,
        cloudWatchCli(
            "put-metric-data",
            "--namespace",
            "Custom/" + name,
            "--metric-name",
            "Queue",
            "--dimensions",
            "Q=a",
            "--value",
            "4",
            "--unit",
            "Count"));
    String start = Instant.now().minus(Duration.ofMinutes(5)).toString();
    String end = Instant.now().plus(Duration.ofMinutes(1)).toString();
    JsonNode stats =
        cloudWatchJson(
            cli,
            work,
            "get-metric-statistics",
            "--namespace",
            "Custom/" + name,
            "--metric-name",
            "Queue",
            "--dimensions",
            "Name=Q,Value=a",
            "--start-time",
            start,
            "--end-time",
            end,
            "--period",
            "60",
            "--statistics",
            "Sum",
            "Maximum");
    assertThat(stats.path("Label").asText()).isEqualTo("Queue");
    JsonNode point = stats.path("Datapoints").get(0);
    assertThat(point.path("Sum").asDouble()).isEqualTo(4.0);
    assertThat(point.path("Unit").asText()).isEqualTo("Count");
  }
}
