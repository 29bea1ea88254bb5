package io.sagebrush.gateway.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebrush.protocol.GatewayProtocol;
import io.sagebrush.protocol.MetricBatch;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Sends a standalone gateway's datapoints to the control plane: {@code POST
 * <controlPlane>/gateway/v1/metrics} with the agent bearer token (see {@link GatewayProtocol}).
 */
public final class ControlPlaneMetricSink implements MetricSink {
  private final URI endpoint;
  private final String bearerToken;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  /**
   * @param controlPlane the control plane's base URL, e.g. {@code http://localhost:8080}
   * @param bearerToken the agent token
   */
  public ControlPlaneMetricSink(URI controlPlane, String bearerToken) {
    String base = controlPlane.toString();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    this.endpoint = URI.create(base + GatewayProtocol.METRICS);
    this.bearerToken = Objects.requireNonNull(bearerToken);
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  @Override
  public void publish(MetricBatch batch) {
    byte[] body;
    try {
      body = json.writeValueAsBytes(batch);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .header("Authorization", "Bearer " + bearerToken)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(10))
            .build();
    try {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            "control plane answered "
                + response.statusCode()
                + " "
                + new String(response.body(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach " + endpoint + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
