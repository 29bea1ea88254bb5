package io.sagebrush.api.agentapi;

import io.sagebrush.api.config.AgentApiProperties;
import io.sagebrush.common.error.ErrorCode;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.protocol.AgentProtocol;
import io.sagebrush.protocol.AgentRegistration;
import io.sagebrush.protocol.LogBatch;
import io.sagebrush.protocol.PollRequest;
import io.sagebrush.protocol.PollResponse;
import io.sagebrush.protocol.RegistrationResponse;
import io.sagebrush.protocol.TaskEvent;
import io.sagebrush.scheduler.agent.service.AgentCoordinator;
import jakarta.annotation.PreDestroy;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.WebAsyncTask;

/**
 * The agent API ({@link AgentProtocol}): registration, the long poll (also the heartbeat), task
 * events and log batches, as JSON records with ISO-8601 instants. Polls are held on a dedicated
 * pool so waiting agents do not occupy the servlet container's request threads. The bearer token is
 * checked by the authentication filter.
 */
@RestController
public class AgentApiController {
  private static final Logger log = LoggerFactory.getLogger(AgentApiController.class);
  private final AgentCoordinator coordinator;
  private final Duration maxWait;
  private final ThreadPoolTaskExecutor pollExecutor;

  public AgentApiController(AgentCoordinator coordinator, AgentApiProperties properties) {
    this.coordinator = coordinator;
    this.maxWait = properties.pollMaxWait();
    ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
    executor.setThreadNamePrefix("agent-poll-");
    executor.setCorePoolSize(4);
    executor.setMaxPoolSize(properties.maxConcurrentPolls());
    executor.setQueueCapacity(0);
    executor.setKeepAliveSeconds(60);
    executor.setWaitForTasksToCompleteOnShutdown(false);
    executor.initialize();
    this.pollExecutor = executor;
  }

  @PostMapping(AgentProtocol.REGISTER)
  public RegistrationResponse register(@RequestBody AgentRegistration registration) {
    // the coordinator logs the registration
    return coordinator.register(registration);
  }

  /** Held open up to the configured wait while there is no work. */
  @PostMapping(AgentProtocol.POLL)
  public WebAsyncTask<PollResponse> poll(
      @PathVariable String agentId, @RequestBody(required = false) PollRequest request) {
    PollRequest poll = request == null ? new PollRequest(List.of()) : request;
    long timeout = maxWait.plusSeconds(30).toMillis();
    WebAsyncTask<PollResponse> task =
        new WebAsyncTask<>(timeout, pollExecutor, () -> coordinator.poll(agentId, poll, maxWait));
    task.onTimeout(PollResponse::empty);
    return task;
  }

  @PostMapping(AgentProtocol.TASK_EVENTS)
  public ResponseEntity<Void> event(@PathVariable String taskId, @RequestBody TaskEvent event) {
    coordinator.report(taskId, event);
    return ResponseEntity.noContent().build();
  }

  @PostMapping(AgentProtocol.TASK_LOGS)
  public ResponseEntity<Void> logs(@PathVariable String taskId, @RequestBody LogBatch batch) {
    coordinator.appendLogs(taskId, batch);
    return ResponseEntity.noContent().build();
  }

  /** The agent edge's error table: unknown agents and tasks are 404 so agents re-register. */
  @ExceptionHandler(SagebrushException.class)
  public ResponseEntity<Map<String, String>> failed(
      SagebrushException e, HttpServletRequest request) {
    ErrorCode code = e.code();
    HttpStatus status =
        code == ErrorCode.RESOURCE_NOT_FOUND
            ? HttpStatus.NOT_FOUND
            : HttpStatus.valueOf(code.httpStatus());
    if (status.is5xxServerError()) {
      log.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
    } else {
      log.warn(
          "{} {} -> {}: {}",
          request.getMethod(),
          request.getRequestURI(),
          status.value(),
          e.getMessage());
    }
    return ResponseEntity.status(status)
        .body(Map.of("code", code.awsType(), "message", e.getMessage()));
  }

  @ExceptionHandler(org.springframework.http.converter.HttpMessageNotReadableException.class)
  public ResponseEntity<Map<String, String>> unreadable(Exception e, HttpServletRequest request) {
    log.warn("{} {} -> 400: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
    return ResponseEntity.badRequest()
        .body(Map.of("code", "SerializationException", "message", "Malformed JSON body."));
  }

  @PreDestroy
  void shutdown() {
    pollExecutor.shutdown();
  }
}
