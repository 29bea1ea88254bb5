package io.sagebrush.agent.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Calls a READY replica the way a gateway does, and asks the Docker CLI about containers. */
public final class Invocations {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Invocations() {}

  /** {@code POST <address>/invocations} with a CSV body. */
  public static HttpResponse<String> invokeCsv(String address, String csv)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(address + "/invocations"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "text/csv")
            .POST(HttpRequest.BodyPublishers.ofString(csv))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The status of {@code GET <address>/ping}, or -1 when nothing answers. */
  public static int ping(String address) throws InterruptedException {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(address + "/ping"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    }
  }

  /** Ids of containers (running or not) labelled with the task id. */
  public static List<String> containersOfTask(String taskId)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "docker", "ps", "-a", "-q", "--filter", "label=sagebrush.task-id=" + taskId)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("docker ps failed: " + out);
    }
    List<String> ids = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        ids.add(line.strip());
      }
    }
    return ids;
  }
}
