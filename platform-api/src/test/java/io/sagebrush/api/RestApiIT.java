package io.sagebrush.api;

import static io.sagebrush.api.support.TrainingJobs.aCreateRequest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebrush.api.support.EmbeddedHome;
import io.sagebrush.protocol.LogLine;
import io.sagebrush.scheduler.logs.service.LogStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The REST edge: HTTP Basic or SigV4, the SageMaker JSON members, logs as server-sent events. */
class RestApiIT extends EmbeddedServerTestBase {
  static final ObjectMapper JSON = new ObjectMapper();
  @Autowired LogStore store;

  @Test
  void withoutCredentialsTheRestApiAsksForBasicAuthentication() {
    HttpResponse<String> response =
        http.plain("GET", "/api/v1/training-jobs", Map.of(), null, false);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
  }

  @Test
  void aWrongBasicPasswordIsRefused() {
    HttpResponse<String> response =
        http.plain(
            "GET",
            "/api/v1/training-jobs",
            Map.of(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString(
                            (EmbeddedHome.ACCESS_KEY + ":nope").getBytes(StandardCharsets.UTF_8))),
            null,
            false);

    assertThat(response.statusCode()).isEqualTo(401);
  }

  @Test
  void aJobIsCreatedDescribedListedAndStoppedOverRest() throws Exception {
    String name = unique("rest");
    HttpResponse<String> created =
        http.plain(
            "POST",
            "/api/v1/training-jobs",
            Map.of("Content-Type", "application/json"),
            aCreateRequest(name),
            true);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(JSON.readTree(created.body()).get("TrainingJobArn").asText())
        .endsWith("training-job/" + name);

    HttpResponse<String> described =
        http.plain("GET", "/api/v1/training-jobs/" + name, Map.of(), null, true);
    JsonNode job = JSON.readTree(described.body());
    assertThat(job.get("TrainingJobStatus").asText()).isEqualTo("InProgress");
    assertThat(job.get("CreationTime").isNumber()).isTrue();

    HttpResponse<String> signed =
        http.send(
            "GET",
            "/api/v1/training-jobs?nameContains=" + name,
            Map.of(),
            null,
            "sagemaker",
            EmbeddedHome.SECRET_KEY);
    assertThat(signed.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(signed.body()).get("TrainingJobSummaries")).hasSize(1);

    assertThat(
            http.plain("POST", "/api/v1/training-jobs/" + name + "/stop", Map.of(), null, true)
                .statusCode())
        .isEqualTo(202);
  }

  @Test
  void anUnknownJobOverRestIsAValidationException() throws Exception {
    HttpResponse<String> response =
        http.plain("GET", "/api/v1/training-jobs/missing-job", Map.of(), null, true);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).get("__type").asText())
        .isEqualTo("ValidationException");
  }

  @Test
  void logsOfAFinishedReadAreSentAsServerSentEventsThenEnd() {
    String name = createQueuedJob();
    store.append(
        LogStore.TRAINING_JOBS_GROUP,
        name + "/algo-1-1",
        List.of(new LogLine(1, "hello"), new LogLine(2, "world")));

    HttpResponse<String> response =
        http.plain("GET", "/api/v1/training-jobs/" + name + "/logs", Map.of(), null, true);

    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
    assertThat(response.body())
        .contains("event:log", "\"message\":\"hello\"", "\"message\":\"world\"", "event:end");
  }

  @Test
  void followingLogsStreamsNewLinesUntilTheJobEnds() throws Exception {
    String name = createQueuedJob();
    String stream = name + "/algo-1-1";
    store.append(LogStore.TRAINING_JOBS_GROUP, stream, List.of(new LogLine(1, "first")));
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://localhost:"
                        + port
                        + "/api/v1/training-jobs/"
                        + name
                        + "/logs?follow=true"))
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString(
                            (EmbeddedHome.ACCESS_KEY + ":" + EmbeddedHome.SECRET_KEY)
                                .getBytes(StandardCharsets.UTF_8)))
            .timeout(Duration.ofSeconds(30))
            .build();
    CompletableFuture<HttpResponse<String>> following =
        HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofString());

    Thread.sleep(1500);
    assertThat(following).isNotDone();
    store.append(LogStore.TRAINING_JOBS_GROUP, stream, List.of(new LogLine(2, "second")));
    Thread.sleep(1000);
    sagemaker.stopTrainingJob(r -> r.trainingJobName(name));

    String body = following.get(20, TimeUnit.SECONDS).body();
    assertThat(body)
        .contains("\"message\":\"first\"", "\"message\":\"second\"", "event:end", "Stopped");
  }

  private String createQueuedJob() {
    String name = unique("sse");
    HttpResponse<String> created =
        http.plain(
            "POST",
            "/api/v1/training-jobs",
            Map.of("Content-Type", "application/json"),
            aCreateRequest(name),
            true);
    assertThat(created.statusCode()).isEqualTo(201);
    return name;
  }
}
