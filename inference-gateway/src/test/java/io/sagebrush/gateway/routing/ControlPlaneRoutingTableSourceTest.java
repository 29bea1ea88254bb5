package io.sagebrush.gateway.routing;

import static io.sagebrush.gateway.support.Tables.aTable;
import static io.sagebrush.gateway.support.Tables.aVariant;
import static io.sagebrush.gateway.support.Tables.anEndpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sagebrush.protocol.GatewayProtocol;
import io.sagebrush.protocol.RoutingTable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ControlPlaneRoutingTableSourceTest {
  static final String TOKEN = "agent-token-1";
  final ObjectMapper json = new ObjectMapper();
  FakeControlPlane controlPlane;
  ControlPlaneRoutingTableSource source;

  @AfterEach
  void stop() {
    if (source != null) {
      source.close();
    }
    if (controlPlane != null) {
      controlPlane.close();
    }
  }

  @Test
  void followsEveryNewTableWithTheBearerTokenAndLongPolls() throws Exception {
    controlPlane = new FakeControlPlane(0);
    controlPlane.table = aTable(3, anEndpoint("ep", aVariant("A", 1, "http://127.0.0.1:1")));
    List<Long> seen = new CopyOnWriteArrayList<>();
    source = newSource();
    source.subscribe(t -> seen.add(t.version()));
    source.start();

    await().atMost(Duration.ofSeconds(5)).until(() -> source.current().version() == 3);
    assertThat(source.current().endpoints().get(0).variants().get(0).replicas().get(0).url())
        .isEqualTo("http://127.0.0.1:1");
    await().atMost(Duration.ofSeconds(5)).until(() -> controlPlane.requests.size() >= 3);
    controlPlane.table = aTable(4, anEndpoint("ep", aVariant("B", 1, "http://127.0.0.1:2")));
    await().atMost(Duration.ofSeconds(5)).until(() -> source.current().version() == 4);

    assertThat(seen).containsSubsequence(0L, 3L, 4L);
    Map<String, String> first = controlPlane.requests.get(0);
    assertThat(first.get("after")).isEqualTo("-1");
    assertThat(first.get("waitMillis")).isEqualTo("300");
    assertThat(first.get("authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(controlPlane.requests.get(1).get("after")).isEqualTo("3");
  }

  @Test
  void keepsTheLastTableWhileTheControlPlaneIsDownAndCatchesUpWhenItIsBack() throws Exception {
    controlPlane = new FakeControlPlane(0);
    int port = controlPlane.port();
    controlPlane.table = aTable(5, anEndpoint("ep", aVariant("A", 1, "http://127.0.0.1:1")));
    source = newSource().start();
    await().atMost(Duration.ofSeconds(5)).until(() -> source.current().version() == 5);

    controlPlane.close();
    Thread.sleep(800);
    assertThat(source.current().version()).isEqualTo(5);
    assertThat(source.current().endpoints()).hasSize(1);

    // a restarted control plane may count versions from the start again
    controlPlane = new FakeControlPlane(port);
    controlPlane.table = aTable(1, anEndpoint("ep2", aVariant("A", 1, "http://127.0.0.1:3")));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> source.current().endpoints().get(0).endpointName().equals("ep2"));
  }

  @Test
  void aWrongAnswerIsRetriedWithoutLosingTheTable() throws Exception {
    controlPlane = new FakeControlPlane(0);
    controlPlane.table = aTable(2, anEndpoint("ep", aVariant("A", 1, "http://127.0.0.1:1")));
    source = newSource().start();
    await().atMost(Duration.ofSeconds(5)).until(() -> source.current().version() == 2);
    controlPlane.failWith = 500;
    Thread.sleep(600);
    assertThat(source.current().version()).isEqualTo(2);
    controlPlane.table = aTable(9);
    controlPlane.failWith = 0;
    await().atMost(Duration.ofSeconds(10)).until(() -> source.current().version() == 9);
  }

  private ControlPlaneRoutingTableSource newSource() {
    return new ControlPlaneRoutingTableSource(
        URI.create("http://127.0.0.1:" + controlPlane.port()),
        TOKEN,
        Duration.ofMillis(300),
        Duration.ofMillis(500));
  }

  /**
   * Serves the routing-table protocol: 200 when newer than {@code after}, else 204 after the wait.
   */
  final class FakeControlPlane implements AutoCloseable {
    final HttpServer server;
    final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    volatile RoutingTable table = RoutingTable.empty();
    volatile int failWith;

    FakeControlPlane(int port) throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
      server.setExecutor(Executors.newCachedThreadPool());
      server.createContext(GatewayProtocol.ROUTING_TABLE, this::handle);
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    void handle(HttpExchange exchange) throws IOException {
      Map<String, String> query =
          Stream.of(exchange.getRequestURI().getRawQuery().split("&"))
              .map(p -> p.split("=", 2))
              .collect(Collectors.toMap(p -> p[0], p -> p[1]));
      query.put("authorization", exchange.getRequestHeaders().getFirst("Authorization"));
      requests.add(query);
      if (!("Bearer " + TOKEN).equals(query.get("authorization"))) {
        exchange.sendResponseHeaders(401, -1);
        exchange.close();
        return;
      }
      if (failWith != 0) {
        exchange.sendResponseHeaders(failWith, -1);
        exchange.close();
        return;
      }
      long after = Long.parseLong(query.get(GatewayProtocol.AFTER_PARAM));
      long deadline =
          System.currentTimeMillis() + Long.parseLong(query.get(GatewayProtocol.WAIT_PARAM));
      while (table.version() <= after && System.currentTimeMillis() < deadline) {
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (table.version() > after) {
        byte[] body = json.writeValueAsBytes(table);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      } else {
        exchange.sendResponseHeaders(204, -1);
      }
      exchange.close();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
