package io.sagebrush.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebrush.api.support.BotocoreModel;
import io.sagebrush.protocol.LogLine;
import io.sagebrush.scheduler.logs.service.LogStore;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/** The CloudWatch Logs edge over the real log store, read with the AWS SDK's Logs client. */
class LogsApiIT extends EmbeddedServerTestBase {
  static final String GROUP = LogStore.TRAINING_JOBS_GROUP;
  static final BotocoreModel MODEL = BotocoreModel.load("logs");
  static final ObjectMapper JSON = new ObjectMapper();

  @Autowired LogStore store;
  String job;
  String stream;

  @BeforeEach
  void aJobWithFiveLines() {
    job = unique("logs");
    stream = job + "/algo-1-1764150000";
    long t = 1_764_150_000_000L;
    store.append(
        GROUP,
        stream,
        List.of(
            new LogLine(t, "starting"),
            new LogLine(t + 1, "epoch 1 loss=0.9"),
            new LogLine(t + 2, "epoch 2 loss=0.5"),
            new LogLine(t + 3, "epoch 3 loss=0.2"),
            new LogLine(t + 4, "done")));
  }

  @Test
  void theTrainingGroupAndTheJobsStreamAreDescribed() {
    assertThat(logs.describeLogGroups(r -> r.logGroupNamePrefix("/aws/sagemaker/")).logGroups())
        .anySatisfy(g -> assertThat(g.logGroupName()).isEqualTo(GROUP));
    assertThat(
            logs.describeLogStreams(r -> r.logGroupName(GROUP).logStreamNamePrefix(job + "/"))
                .logStreams())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.logStreamName()).isEqualTo(stream);
              assertThat(s.lastEventTimestamp()).isEqualTo(1_764_150_000_004L);
            });
  }

  @Test
  void getLogEventsFromTheHeadReadsInOrderAndTheForwardTokenStaysPutAtTheEnd() {
    GetLogEventsResponse first =
        logs.getLogEvents(r -> r.logGroupName(GROUP).logStreamName(stream).startFromHead(true));
    assertThat(first.events())
        .extracting(OutputLogEvent::message)
        .containsExactly(
            "starting", "epoch 1 loss=0.9", "epoch 2 loss=0.5", "epoch 3 loss=0.2", "done");
    assertThat(first.events().get(0).timestamp()).isEqualTo(1_764_150_000_000L);
    assertThat(first.events().get(0).ingestionTime()).isPositive();

    GetLogEventsResponse next =
        logs.getLogEvents(
            r -> r.logGroupName(GROUP).logStreamName(stream).nextToken(first.nextForwardToken()));
    assertThat(next.events()).isEmpty();
    assertThat(next.nextForwardToken()).isEqualTo(first.nextForwardToken());

    store.append(GROUP, stream, List.of(new LogLine(1_764_150_000_005L, "late line")));
    GetLogEventsResponse later =
        logs.getLogEvents(
            r -> r.logGroupName(GROUP).logStreamName(stream).nextToken(next.nextForwardToken()));
    assertThat(later.events()).extracting(OutputLogEvent::message).containsExactly("late line");
  }

  @Test
  void getLogEventsWithoutStartFromHeadReturnsTheNewestAndPagesBackwards() {
    GetLogEventsResponse newest =
        logs.getLogEvents(r -> r.logGroupName(GROUP).logStreamName(stream).limit(2));
    assertThat(newest.events())
        .extracting(OutputLogEvent::message)
        .containsExactly("epoch 3 loss=0.2", "done");

    GetLogEventsResponse older =
        logs.getLogEvents(
            r ->
                r.logGroupName(GROUP)
                    .logStreamName(stream)
                    .limit(2)
                    .nextToken(newest.nextBackwardToken()));
    assertThat(older.events())
        .extracting(OutputLogEvent::message)
        .containsExactly("epoch 1 loss=0.9", "epoch 2 loss=0.5");
  }

  @Test
  void filterLogEventsMatchesTermsAcrossTheJobsStreams() {
    var response =
        logs.filterLogEvents(
            r -> r.logGroupName(GROUP).logStreamNamePrefix(job + "/").filterPattern("loss"));

    assertThat(response.events())
        .extracting(FilteredLogEvent::message)
        .containsExactly("epoch 1 loss=0.9", "epoch 2 loss=0.5", "epoch 3 loss=0.2");
    assertThat(response.events())
        .allSatisfy(
            e -> {
              assertThat(e.logStreamName()).isEqualTo(stream);
              assertThat(e.eventId()).isNotBlank();
            });
    assertThat(response.nextToken()).isNull();
  }

  @Test
  void filterLogEventsPagesWithNextToken() {
    var first = logs.filterLogEvents(r -> r.logGroupName(GROUP).logStreamNames(stream).limit(3));
    assertThat(first.events()).hasSize(3);
    var second =
        logs.filterLogEvents(
            r ->
                r.logGroupName(GROUP).logStreamNames(stream).limit(3).nextToken(first.nextToken()));
    assertThat(second.events())
        .extracting(FilteredLogEvent::message)
        .containsExactly("epoch 3 loss=0.2", "done");
  }

  @Test
  void anUnknownStreamIsAResourceNotFoundException() {
    assertThatThrownBy(
            () -> logs.getLogEvents(r -> r.logGroupName(GROUP).logStreamName(job + "/algo-9-1")))
        .isInstanceOfSatisfying(
            ResourceNotFoundException.class,
            e ->
                assertThat(e.awsErrorDetails().errorMessage())
                    .isEqualTo("The specified log stream does not exist."));
  }

  @Test
  void anUnknownGroupIsAResourceNotFoundException() {
    assertThatThrownBy(() -> logs.describeLogStreams(r -> r.logGroupName("/aws/sagemaker/Nothing")))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void responsesConformToTheBotocoreLogsModel() throws Exception {
    assertConforms(
        "DescribeLogGroupsResponse", http.awsJson("logs", "Logs_20140328.DescribeLogGroups", "{}"));
    assertConforms(
        "DescribeLogStreamsResponse",
        http.awsJson(
            "logs",
            "Logs_20140328.DescribeLogStreams",
            "{\"logGroupName\":\"" + GROUP + "\",\"logStreamNamePrefix\":\"" + job + "/\"}"));
    assertConforms(
        "GetLogEventsResponse",
        http.awsJson(
            "logs",
            "Logs_20140328.GetLogEvents",
            "{\"logGroupName\":\""
                + GROUP
                + "\",\"logStreamName\":\""
                + stream
                + "\",\"startFromHead\":true}"));
    assertConforms(
        "FilterLogEventsResponse",
        http.awsJson(
            "logs",
            "Logs_20140328.FilterLogEvents",
            "{\"logGroupName\":\"" + GROUP + "\",\"logStreamNamePrefix\":\"" + job + "/\"}"));
  }

  private static void assertConforms(String shape, HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(MODEL.violations(shape, JSON.readTree(response.body()))).isEmpty();
  }
}
