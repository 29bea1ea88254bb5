package io.sagebrush.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.sagebrush.api.support.BotocoreModel;
import io.sagebrush.api.support.EmbeddedHome;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * The CloudWatch edge in its three protocols: AWS Query through the AWS SDK for Java v2, AWS JSON
 * 1.0 checked against the botocore model, and rpc-v2-cbor with its error headers.
 */
class CloudWatchApiIT extends EmbeddedServerTestBase {
  static final BotocoreModel MODEL = BotocoreModel.load("cloudwatch");
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TARGET = "GraniteServiceVersion20100801.";

  private CloudWatchClient cloudWatch() {
    return CloudWatchClient.builder()
        .endpointOverride(URI.create("http://localhost:" + port))
        .region(Region.US_EAST_1)
        .credentialsProvider(EmbeddedServerTestBase.credentials(EmbeddedHome.SECRET_KEY))
        .build();
  }

  private HttpResponse<String> json(String operation, String body) {
    return http.send(
        "POST",
        "/",
        Map.of("X-Amz-Target", TARGET + operation, "Content-Type", "application/x-amz-json-1.0"),
        body,
        "monitoring",
        EmbeddedHome.SECRET_KEY);
  }

  @Test
  void theJavaSdkManagesAlarmsOverAwsQuery() {
    try (CloudWatchClient cw = cloudWatch()) {
      cw.putMetricAlarm(
          b ->
              b.alarmName("sdk-alarm")
                  .alarmDescription("5xx & more <b>")
                  .namespace("AWS/SageMaker")
                  .metricName("Invocation5XXErrors")
                  .dimensions(
                      d -> d.name("EndpointName").value("e"), d -> d.name("VariantName").value("v"))
                  .statistic(Statistic.AVERAGE)
                  .period(30)
                  .evaluationPeriods(3)
                  .datapointsToAlarm(2)
                  .threshold(0.05)
                  .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                  .treatMissingData("notBreaching")
                  .alarmActions("arn:aws:sns:us-east-1:000000000000:ops")
                  .tags(t -> t.key("team").value("ml")));
      MetricAlarm a = cw.describeAlarms(b -> b.alarmNamePrefix("sdk-")).metricAlarms().get(0);
      assertThat(a.alarmName()).isEqualTo("sdk-alarm");
      assertThat(a.alarmDescription()).isEqualTo("5xx & more <b>");
      assertThat(a.alarmArn())
          .isEqualTo("arn:aws:cloudwatch:us-east-1:000000000000:alarm:sdk-alarm");
      assertThat(a.stateValue()).isEqualTo(StateValue.INSUFFICIENT_DATA);
      assertThat(a.statistic()).isEqualTo(Statistic.AVERAGE);
      assertThat(a.dimensions()).hasSize(2);
      assertThat(a.datapointsToAlarm()).isEqualTo(2);
      assertThat(a.threshold()).isEqualTo(0.05);
      assertThat(a.treatMissingData()).isEqualTo("notBreaching");
      assertThat(a.alarmActions()).containsExactly("arn:aws:sns:us-east-1:000000000000:ops");
      assertThat(a.stateUpdatedTimestamp()).isBefore(Instant.now().plusSeconds(1));

      cw.setAlarmState(
          b -> b.alarmName("sdk-alarm").stateValue(StateValue.ALARM).stateReason("drill"));
      assertThat(cw.describeAlarms(b -> b.stateValue(StateValue.ALARM)).metricAlarms())
          .extracting(MetricAlarm::stateReason)
          .containsExactly("drill");

      assertThatThrownBy(
              () ->
                  cw.putMetricAlarm(
                      b ->
                          b.alarmName("bad")
                              .namespace("N")
                              .metricName("M")
                              .statistic(Statistic.SUM)
                              .period(45)
                              .evaluationPeriods(1)
                              .threshold(1.0)
                              .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)))
          .isInstanceOfSatisfying(
              CloudWatchException.class,
              e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                assertThat(e.statusCode()).isEqualTo(400);
              });

      cw.putMetricData(
          b ->
              b.namespace("Custom/Sdk")
                  .metricData(
                      m -> m.metricName("Queue").value(4.0).unit(StandardUnit.COUNT),
                      m -> m.metricName("Queue").value(6.0).unit(StandardUnit.COUNT)));
      Instant now = Instant.now();
      var stats =
          cw.getMetricStatistics(
              b ->
                  b.namespace("Custom/Sdk")
                      .metricName("Queue")
                      .startTime(now.minusSeconds(300))
                      .endTime(now.plusSeconds(60))
                      .period(60)
                      .statistics(Statistic.SUM, Statistic.MAXIMUM, Statistic.SAMPLE_COUNT));
      assertThat(stats.datapoints()).isNotEmpty();
      assertThat(stats.datapoints().stream().mapToDouble(d -> d.sum()).sum()).isEqualTo(10.0);

      cw.deleteAlarms(b -> b.alarmNames("sdk-alarm"));
      assertThat(cw.describeAlarms(b -> b.alarmNames("sdk-alarm")).metricAlarms()).isEmpty();
    }
  }

  @Test
  void jsonResponsesConformToTheBotocoreCloudWatchModel() throws Exception {
    HttpResponse<String> put =
        json(
            "PutMetricAlarm",
            "{\"AlarmName\":\"json-alarm\",\"Namespace\":\"AWS/SageMaker\","
                + "\"MetricName\":\"Invocations\",\"Dimensions\":[{\"Name\":\"EndpointName\","
                + "\"Value\":\"e\"}],\"Statistic\":\"Sum\",\"Period\":10,"
                + "\"EvaluationPeriods\":1,\"Threshold\":1,"
                + "\"ComparisonOperator\":\"LessThanThreshold\"}");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    HttpResponse<String> describe = json("DescribeAlarms", "{\"AlarmNames\":[\"json-alarm\"]}");
    assertThat(describe.statusCode()).isEqualTo(200);
    assertThat(MODEL.violations("DescribeAlarmsOutput", JSON.readTree(describe.body()))).isEmpty();
    assertThat(JSON.readTree(describe.body()).at("/MetricAlarms/0/AlarmName").asText())
        .isEqualTo("json-alarm");

    json(
        "PutMetricData",
        "{\"Namespace\":\"Custom/Json\",\"MetricData\":[{\"MetricName\":\"m\","
            + "\"StatisticValues\":{\"SampleCount\":2,\"Sum\":3,\"Minimum\":1,\"Maximum\":2}}]}");
    long now = Instant.now().getEpochSecond();
    HttpResponse<String> stats =
        json(
            "GetMetricStatistics",
            "{\"Namespace\":\"Custom/Json\",\"MetricName\":\"m\",\"StartTime\":"
                + (now - 300)
                + ",\"EndTime\":"
                + (now + 60)
                + ",\"Period\":60,\"Statistics\":[\"Average\",\"Minimum\"]}");
    assertThat(stats.statusCode()).as(stats.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(stats.body());
    assertThat(MODEL.violations("GetMetricStatisticsOutput", body)).isEmpty();
    assertThat(body.at("/Datapoints/0/Average").asDouble()).isEqualTo(1.5);

    HttpResponse<String> missing =
        json(
            "SetAlarmState",
            "{\"AlarmName\":\"nope\",\"StateValue\":\"OK\",\"StateReason\":\"x\"}");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("x-amzn-query-error"))
        .hasValue("ResourceNotFound;Sender");
    assertThat(JSON.readTree(missing.body()).get("__type").asText())
        .isEqualTo("com.amazonaws.cloudwatch#ResourceNotFound");

    HttpResponse<String> invalid =
        json("DescribeAlarms", "{\"StateValue\":\"RED\",\"MaxRecords\":500}");
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(invalid.headers().firstValue("x-amzn-query-error"))
        .hasValue("ValidationError;Sender");
    assertThat(invalid.body()).contains("2 validation errors detected");
    json("DeleteAlarms", "{\"AlarmNames\":[\"json-alarm\"]}");
  }

  @Test
  void rpcV2CborAnswersInCborWithTheQueryErrorCode() throws Exception {
    CBORMapper cbor = new CBORMapper();
    byte[] body =
        cbor.writeValueAsBytes(Map.of("AlarmName", "nope", "StateValue", "OK", "StateReason", "x"));
    HttpResponse<byte[]> r =
        http.sendBytes(
            "POST",
            "/service/GraniteServiceVersion20100801/operation/SetAlarmState",
            Map.of("Content-Type", "application/cbor", "smithy-protocol", "rpc-v2-cbor"),
            body,
            "monitoring");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("smithy-protocol")).hasValue("rpc-v2-cbor");
    assertThat(r.headers().firstValue("x-amzn-query-error")).hasValue("ResourceNotFound;Sender");
    assertThat(cbor.readTree(r.body()).get("__type").asText())
        .isEqualTo("com.amazonaws.cloudwatch#ResourceNotFound");

    HttpResponse<byte[]> ok =
        http.sendBytes(
            "POST",
            "/service/GraniteServiceVersion20100801/operation/DescribeAlarms",
            Map.of("Content-Type", "application/cbor", "smithy-protocol", "rpc-v2-cbor"),
            cbor.writeValueAsBytes(Map.of()),
            "monitoring");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.headers().firstValue("Content-Type")).hasValue("application/cbor");
    assertThat(cbor.readTree(ok.body()).has("MetricAlarms")).isTrue();
  }

  @Test
  void rpcV2CborBadInputIsAnErrorInCborNeverA500() throws Exception {
    CBORMapper cbor = new CBORMapper();
    Map<String, String> headers =
        Map.of("Content-Type", "application/cbor", "smithy-protocol", "rpc-v2-cbor");
    HttpResponse<byte[]> garbage =
        http.sendBytes(
            "POST",
            "/service/GraniteServiceVersion20100801/operation/PutMetricAlarm",
            headers,
            new byte[] {(byte) 0xff, 0, 'x'},
            "monitoring");
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(garbage.headers().firstValue("x-amzn-query-error"))
        .hasValue("ValidationError;Sender");

    HttpResponse<byte[]> otherService =
        http.sendBytes(
            "POST", "/service/SomethingElse/operation/Op", headers, new byte[] {(byte) 0xa0}, "x");
    assertThat(otherService.statusCode()).isEqualTo(400);
    assertThat(cbor.readTree(otherService.body()).get("__type").asText())
        .isEqualTo("com.amazonaws.cloudwatch#InvalidAction");
  }
}
