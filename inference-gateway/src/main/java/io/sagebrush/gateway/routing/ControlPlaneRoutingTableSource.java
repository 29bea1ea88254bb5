package io.sagebrush.gateway.routing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebrush.protocol.GatewayProtocol;
import io.sagebrush.protocol.RoutingTable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the control plane's routing table by long polling {@code GET
 * <controlPlane>/gateway/v1/routing-table?after=<version>&waitMillis=<wait>} with the agent bearer
 * token (see {@link GatewayProtocol}).
 *
 * <p>Steps of the loop: 1. ask for a table newer than the one held ({@code after=-1} at first and
 * after every failure, so a restarted control plane whose versions began again is followed too); 2.
 * on 200 replace the table and tell subscribers; on 204 ask again; 3. on an error or a refused
 * connection keep serving the last table and retry with a backoff from 250 ms doubling to {@code
 * maxBackoff}. The loop runs on its own daemon thread; nothing here is on the request path.
 */
public final class ControlPlaneRoutingTableSource implements RoutingTableSource, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlPlaneRoutingTableSource.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);

  private final URI controlPlane;
  private final String bearerToken;
  private final Duration wait;
  private final Duration maxBackoff;
  private final RoutingTableHolder holder = new RoutingTableHolder();
  private final HttpClient http;
  private final ObjectMapper json =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private final Thread thread;
  private volatile boolean running;
  private volatile boolean received;

  /**
   * @param controlPlane the control plane's base URL, e.g. {@code http://localhost:8080}
   * @param bearerToken the agent token
   * @param wait how long the control plane may hold one poll (e.g. 20 s)
   * @param maxBackoff the longest pause between attempts while the control plane is unreachable
   */
  public ControlPlaneRoutingTableSource(
      URI controlPlane, String bearerToken, Duration wait, Duration maxBackoff) {
    this.controlPlane = Objects.requireNonNull(controlPlane);
    this.bearerToken = Objects.requireNonNull(bearerToken);
    this.wait = wait;
    this.maxBackoff = maxBackoff;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    this.thread = new Thread(this::run, "sagebrush-gateway-routing");
    this.thread.setDaemon(true);
  }

  /** Starts following; returns at once. */
  public ControlPlaneRoutingTableSource start() {
    running = true;
    thread.start();
    return this;
  }

  @Override
  public RoutingTable current() {
    return holder.current();
  }

  @Override
  public Subscription subscribe(Consumer<RoutingTable> listener) {
    return holder.subscribe(listener);
  }

  /** True once a table has come from the control plane. */
  public boolean hasReceivedTable() {
    return received;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    long after = -1;
    Duration backoff = FIRST_BACKOFF;
    boolean failing = false;
    while (running) {
      try {
        HttpResponse<byte[]> response =
            http.send(request(after), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 200) {
          RoutingTable table = json.readValue(response.body(), RoutingTable.class);
          holder.set(table);
          received = true;
          after = table.version();
        } else if (response.statusCode() != 204) {
          throw new IOException(
              "control plane answered "
                  + response.statusCode()
                  + " "
                  + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        if (failing) {
          log.info("Following the routing table from {} again", controlPlane);
          failing = false;
        }
        backoff = FIRST_BACKOFF;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException | RuntimeException e) {
        if (!running) {
          return;
        }
        if (!failing) {
          log.warn(
              "Cannot get the routing table from {} ({}); serving table {} and retrying",
              controlPlane,
              e.toString(),
              holder.current().version());
          failing = true;
        } else {
          log.debug("Routing table poll failed again: {}", e.toString());
        }
        after = -1;
        try {
          Thread.sleep(backoff.toMillis());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff =
            backoff.multipliedBy(2).compareTo(maxBackoff) > 0
                ? maxBackoff
                : backoff.multipliedBy(2);
      }
    }
  }

  private HttpRequest request(long after) {
    String base = controlPlane.toString();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    URI uri =
        URI.create(
            base
                + GatewayProtocol.ROUTING_TABLE
                + "?"
                + GatewayProtocol.AFTER_PARAM
                + "="
                + after
                + "&"
                + GatewayProtocol.WAIT_PARAM
                + "="
                + wait.toMillis());
    return HttpRequest.newBuilder(uri)
        .GET()
        .header("Authorization", "Bearer " + bearerToken)
        .header("Accept", "application/json")
        .timeout(wait.plusSeconds(15))
        .build();
  }
}
