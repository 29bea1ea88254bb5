package io.sagebrush.gateway.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny model container on the JDK's HTTP server: {@code GET /ping} answers 200; {@code POST
 * /invocations} answers {@code {"replica":"<id>","input":"<body>"}} (echoing the custom attributes)
 * or, once told so, a status and body of choice, optionally after a pause.
 */
public final class FakeReplica implements AutoCloseable {
  static {
    // the JDK server writes headers and body separately; without this, Nagle's algorithm and
    // delayed ACKs add 40 ms to every answer
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final String id;
  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicInteger invocations = new AtomicInteger();
  private volatile int status = 200;
  private volatile String errorBody = "";
  private volatile long delayMillis;
  private volatile String lastContentType;
  private volatile String lastAccept;
  private volatile String lastForeignHeader;

  private FakeReplica(String id) throws IOException {
    this.id = id;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
    this.executor = Executors.newFixedThreadPool(8);
    server.setExecutor(executor);
    server.createContext("/ping", this::ping);
    server.createContext("/invocations", this::invoke);
    server.start();
  }

  public static FakeReplica start(String id) throws IOException {
    return new FakeReplica(id);
  }

  /** A base URL where nothing listens. */
  public static String deadUrl() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }
  }

  public String id() {
    return id;
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public int invocations() {
    return invocations.get();
  }

  public String lastContentType() {
    return lastContentType;
  }

  public String lastAccept() {
    return lastAccept;
  }

  /** The value of a header the gateway must not forward ({@code X-Foreign}) on the last request. */
  public String lastForeignHeader() {
    return lastForeignHeader;
  }

  /** Answer every invocation with this status and body from now on. */
  public FakeReplica failWith(int status, String body) {
    this.status = status;
    this.errorBody = body;
    return this;
  }

  public FakeReplica delay(long millis) {
    this.delayMillis = millis;
    return this;
  }

  private void ping(HttpExchange exchange) throws IOException {
    exchange.sendResponseHeaders(200, -1);
    exchange.close();
  }

  private void invoke(HttpExchange exchange) throws IOException {
    invocations.incrementAndGet();
    byte[] input = exchange.getRequestBody().readAllBytes();
    lastContentType = exchange.getRequestHeaders().getFirst("Content-Type");
    lastAccept = exchange.getRequestHeaders().getFirst("Accept");
    lastForeignHeader = exchange.getRequestHeaders().getFirst("X-Foreign");
    if (delayMillis > 0) {
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    byte[] body;
    int code = status;
    if (code == 200) {
      String attributes =
          exchange.getRequestHeaders().getFirst("X-Amzn-SageMaker-Custom-Attributes");
      if (attributes != null) {
        exchange
            .getResponseHeaders()
            .add("X-Amzn-SageMaker-Custom-Attributes", "echo:" + attributes);
      }
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      body =
          ("{\"replica\":\""
                  + id
                  + "\",\"input\":\""
                  + new String(input, StandardCharsets.UTF_8)
                  + "\"}")
              .getBytes(StandardCharsets.UTF_8);
    } else {
      exchange.getResponseHeaders().add("Content-Type", "text/plain");
      body = errorBody.getBytes(StandardCharsets.UTF_8);
    }
    exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
