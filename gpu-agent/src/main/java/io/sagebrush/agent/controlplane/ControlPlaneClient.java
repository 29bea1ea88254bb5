package io.sagebrush.agent.controlplane;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.sagebrush.protocol.AgentProtocol;
import io.sagebrush.protocol.AgentRegistration;
import io.sagebrush.protocol.LogBatch;
import io.sagebrush.protocol.PollRequest;
import io.sagebrush.protocol.PollResponse;
import io.sagebrush.protocol.RegistrationResponse;
import io.sagebrush.protocol.TaskEvent;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Speaks the agent protocol (see {@link AgentProtocol}) over HTTP with a bearer token. Thread-safe.
 *
 * <p>Every call throws {@link IOException} when the control plane cannot be reached and {@link
 * ControlPlaneException} when it answers with an error status.
 */
public final class ControlPlaneClient {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final URI base;
  private final String token;
  private final HttpClient http;
  private final ObjectMapper json = mapper();

  /**
   * @param base the control plane's base URL, e.g. {@code http://127.0.0.1:8080}
   * @param token the agent token
   */
  public ControlPlaneClient(URI base, String token) {
    String b = base.toString();
    this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
    this.token = token;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** The JSON mapping both sides use: ISO-8601 instants, unknown members ignored. */
  public static ObjectMapper mapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /** Registers (or re-registers, when {@code registration.agentId()} is set) the agent. */
  public RegistrationResponse register(AgentRegistration registration) throws IOException {
    return post(AgentProtocol.REGISTER, registration, RegistrationResponse.class, REQUEST_TIMEOUT);
  }

  /**
   * Long-polls for work; also the heartbeat.
   *
   * @param wait how long the server may hold the request; the client waits a little longer
   * @throws ControlPlaneException with status 404 when the control plane does not know the agent
   */
  public PollResponse poll(String agentId, PollRequest request, Duration wait) throws IOException {
    PollResponse response =
        post(
            AgentProtocol.poll(agentId),
            request,
            PollResponse.class,
            wait.plus(Duration.ofSeconds(15)));
    return response == null ? PollResponse.empty() : response;
  }

  /** Reports one observation of a task. */
  public void sendEvent(String taskId, TaskEvent event) throws IOException {
    post(AgentProtocol.taskEvents(taskId), event, Void.class, REQUEST_TIMEOUT);
  }

  /** Ships one batch of log lines of a task. */
  public void sendLogs(String taskId, LogBatch batch) throws IOException {
    post(AgentProtocol.taskLogs(taskId), batch, Void.class, REQUEST_TIMEOUT);
  }

  private <T> T post(String path, Object body, Class<T> type, Duration timeout) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
            .build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while calling " + path);
    }
    int status = response.statusCode();
    if (status / 100 != 2) {
      String text = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
      if (text.length() > 500) {
        text = text.substring(0, 500);
      }
      throw new ControlPlaneException(
          status, "POST " + path + " answered " + status + (text.isBlank() ? "" : ": " + text));
    }
    if (type == Void.class || response.body().length == 0) {
      return null;
    }
    return json.readValue(response.body(), type);
  }
}
