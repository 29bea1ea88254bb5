package io.sagebrush.agent.execution;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** {@code GET <base>/ping} with a timeout, as SageMaker's health check does. */
final class HttpPing {
  /**
   * One ping's outcome.
   *
   * @param ok the answer was 200
   * @param detail what happened, for failure reasons: {@code HTTP 503}, {@code timed out after 2
   *     s}, {@code connection refused}, ...
   */
  record Result(boolean ok, String detail) {}

  private final HttpClient client;
  private final Duration timeout;

  HttpPing(Duration timeout) {
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  Result ping(URI base) {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/ping")).timeout(timeout).GET().build();
    try {
      int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      return new Result(status == 200, "HTTP " + status);
    } catch (HttpTimeoutException e) {
      return new Result(false, "no answer within " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      String message = e.getMessage();
      return new Result(
          false,
          message == null || message.isBlank()
              ? "connection failed (" + e.getClass().getSimpleName() + ")"
              : "connection failed (" + message + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(false, "interrupted");
    }
  }
}
