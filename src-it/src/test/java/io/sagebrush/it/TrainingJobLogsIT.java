package io.sagebrush.it;

import static io.sagebrush.it.support.TrainingJobs.LOG_GROUP;
import static io.sagebrush.it.support.TrainingJobs.aTrainerJob;
import static io.sagebrush.it.support.TrainingJobs.awaitEnded;
import static io.sagebrush.it.support.TrainingJobs.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagebrush.it.support.AwsClients;
import io.sagebrush.it.support.SagebrushServerProcess;
import io.sagebrush.it.support.SharedServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

/** Container output read back through the CloudWatch Logs API. */
@ExtendWith(SharedServer.class)
class TrainingJobLogsIT {
  private static SagebrushServerProcess server;
  private static AwsClients clients;
  private static CloudWatchLogsClient logs;
  private static String job;

  @BeforeAll
  static void runAJob(SagebrushServerProcess shared) {
    server = shared;
    clients = shared.clients();
    logs = clients.logs();
    job = uniqueName("logs");
    clients
        .sageMaker()
        .createTrainingJob(aTrainerJob(job, Map.of("mode", "succeed", "epochs", "2")).build());
    assertThat(awaitEnded(clients.sageMaker(), job, Duration.ofSeconds(180)).trainingJobStatus())
        .isEqualTo(TrainingJobStatus.COMPLETED);
  }

  @AfterAll
  static void disconnect() {
    clients.close();
  }

  private static String streamName() {
    List<LogStream> streams =
        logs.describeLogStreams(r -> r.logGroupName(LOG_GROUP).logStreamNamePrefix(job + "/"))
            .logStreams();
    assertThat(streams).hasSize(1);
    return streams.get(0).logStreamName();
  }

  @Test
  void eachHostHasOneStreamNamedAfterJobHostAndEpoch() {
    List<LogStream> streams =
        logs.describeLogStreams(r -> r.logGroupName(LOG_GROUP).logStreamNamePrefix(job + "/"))
            .logStreams();

    assertThat(streams)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.logStreamName())
                  .matches(java.util.regex.Pattern.quote(job) + "/algo-1-\\d{10}");
              assertThat(s.creationTime()).isPositive();
            });
  }

  @Test
  void getLogEventsReturnsStdoutAndStderrInOrder() {
    String stream = streamName();
    // log shipping is asynchronous: the last lines may arrive a moment after the job ends
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              GetLogEventsResponse page =
                  logs.getLogEvents(
                      r -> r.logGroupName(LOG_GROUP).logStreamName(stream).startFromHead(true));
              List<String> messages = page.events().stream().map(OutputLogEvent::message).toList();
              assertThat(messages)
                  .containsSubsequence("epoch=1 loss=0.49", "epoch=2 loss=0.48", "trainer done")
                  .contains("stderr line from the trainer");
              assertThat(page.events())
                  .allSatisfy(
                      e -> {
                        assertThat(e.timestamp()).isPositive();
                        assertThat(e.ingestionTime()).isPositive();
                      });
              assertThat(page.nextForwardToken()).isNotBlank();
            });
  }

  @Test
  void getLogEventsPagesWithTheForwardToken() {
    String stream = streamName();
    GetLogEventsResponse first =
        logs.getLogEvents(
            r -> r.logGroupName(LOG_GROUP).logStreamName(stream).startFromHead(true).limit(2));
    assertThat(first.events()).hasSize(2);

    GetLogEventsResponse second =
        logs.getLogEvents(
            r ->
                r.logGroupName(LOG_GROUP)
                    .logStreamName(stream)
                    .nextToken(first.nextForwardToken())
                    .limit(2));
    assertThat(second.events()).isNotEmpty();
    assertThat(second.events().get(0).message()).isNotEqualTo(first.events().get(0).message());
  }

  @Test
  void filterLogEventsFindsMatchingLinesAcrossTheJobsStreams() {
    List<FilteredLogEvent> events =
        logs.filterLogEvents(
                r -> r.logGroupName(LOG_GROUP).logStreamNamePrefix(job + "/").filterPattern("loss"))
            .events();

    assertThat(events)
        .extracting(FilteredLogEvent::message)
        .containsExactly("epoch=1 loss=0.49", "epoch=2 loss=0.48");
    assertThat(events).allSatisfy(e -> assertThat(e.logStreamName()).startsWith(job + "/algo-1-"));
  }

  @Test
  void unknownStreamIsResourceNotFoundException() {
    assertThatThrownBy(
            () ->
                logs.getLogEvents(r -> r.logGroupName(LOG_GROUP).logStreamName(job + "/algo-9-1")))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  private static java.net.http.HttpResponse<String> restGet(String path, boolean withCredentials)
      throws Exception {
    java.net.http.HttpRequest.Builder request =
        java.net.http.HttpRequest.newBuilder(server.apiEndpoint().resolve(path))
            .timeout(Duration.ofSeconds(30))
            .GET();
    if (withCredentials) {
      String basic = SagebrushServerProcess.ACCESS_KEY + ":" + SagebrushServerProcess.SECRET_KEY;
      request.header(
          "Authorization",
          "Basic "
              + java.util.Base64.getEncoder()
                  .encodeToString(basic.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    return java.net.http.HttpClient.newHttpClient()
        .send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void restLogEndpointStreamsTheJobsLinesAsServerSentEventsWithBasicAuth() throws Exception {
    java.net.http.HttpResponse<String> response =
        restGet("/api/v1/training-jobs/" + job + "/logs", true);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    assertThat(response.body())
        .containsPattern("event: ?log")
        .contains("epoch=1 loss=0.49")
        .contains("trainer done");
  }

  @Test
  void restApiRefusesRequestsWithoutCredentials() throws Exception {
    assertThat(restGet("/api/v1/training-jobs/" + job, false).statusCode()).isIn(401, 403);
    java.net.http.HttpResponse<String> described = restGet("/api/v1/training-jobs/" + job, true);
    assertThat(described.statusCode()).isEqualTo(200);
    assertThat(described.body()).contains("\"TrainingJobStatus\":\"Completed\"");
  }
}
