package io.sagebrush.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.sagebrush.api.awsjson.AwsJsonMapper;
import io.sagebrush.api.trainingjob.TrainingJobOperations;
import io.sagebrush.api.trainingjob.TrainingJobWire.CreateTrainingJobRequest;
import io.sagebrush.api.trainingjob.TrainingJobWire.CreateTrainingJobResponse;
import io.sagebrush.api.trainingjob.TrainingJobWire.ListTrainingJobsRequest;
import java.net.URI;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Training jobs over REST, with the same JSON members as the SageMaker API.
 *
 * <pre>
 * GET  /api/v1/training-jobs                 ListTrainingJobs (query parameters as filters)
 * POST /api/v1/training-jobs                 CreateTrainingJob body -> 201 {TrainingJobArn}
 * GET  /api/v1/training-jobs/{name}          DescribeTrainingJob
 * POST /api/v1/training-jobs/{name}/stop     StopTrainingJob -> 202
 * GET  /api/v1/training-jobs/{name}/logs     text/event-stream; follow=true until the job ends
 * </pre>
 */
@RestController
@RequestMapping("/api/v1/training-jobs")
public class TrainingJobRestController {
  private final TrainingJobOperations operations;
  private final AwsJsonMapper json;
  private final LogFollower follower;

  public TrainingJobRestController(
      TrainingJobOperations operations, AwsJsonMapper json, LogFollower follower) {
    this.operations = operations;
    this.json = json;
    this.follower = follower;
  }

  @GetMapping
  public ResponseEntity<byte[]> list(
      @RequestParam(required = false) String nameContains,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String sortBy,
      @RequestParam(required = false) String sortOrder,
      @RequestParam(required = false) Integer maxResults,
      @RequestParam(required = false) String nextToken) {
    return ok(
        operations.list(
            new ListTrainingJobsRequest(
                nextToken,
                maxResults,
                null,
                null,
                null,
                null,
                nameContains,
                status,
                sortBy,
                sortOrder,
                null)));
  }

  @PostMapping(consumes = MediaType.ALL_VALUE)
  public ResponseEntity<byte[]> create(@RequestBody byte[] body) {
    JsonNode raw = json.readBody(body);
    CreateTrainingJobRequest request = json.bind(raw, CreateTrainingJobRequest.class);
    CreateTrainingJobResponse response = operations.create(request, raw);
    return ResponseEntity.created(URI.create("/api/v1/training-jobs/" + request.trainingJobName()))
        .contentType(MediaType.APPLICATION_JSON)
        .body(json.write(response));
  }

  @GetMapping("/{name}")
  public ResponseEntity<byte[]> describe(@PathVariable String name) {
    return ok(operations.describe(name));
  }

  @PostMapping("/{name}/stop")
  public ResponseEntity<byte[]> stop(@PathVariable String name) {
    operations.stop(name);
    return ResponseEntity.accepted().contentType(MediaType.APPLICATION_JSON).body(json.write(null));
  }

  /**
   * The job's log events as server-sent events ({@code event: log}, id = event id, data = {@code
   * {"logStreamName", "timestamp", "message"}}), then {@code event: end} with the job's status.
   * {@code Last-Event-ID} resumes after an event.
   */
  @GetMapping(path = "/{name}/logs", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  public SseEmitter logs(
      @PathVariable String name,
      @RequestParam(defaultValue = "false") boolean follow,
      @RequestParam(required = false) Long startTime,
      @org.springframework.web.bind.annotation.RequestHeader(
              name = "Last-Event-ID",
              required = false)
          Long lastEventId) {
    return follower.follow(name, follow, startTime, lastEventId);
  }

  private ResponseEntity<byte[]> ok(Object body) {
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json.write(body));
  }
}
