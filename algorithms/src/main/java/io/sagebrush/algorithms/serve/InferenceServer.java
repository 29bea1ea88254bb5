package io.sagebrush.algorithms.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The hosting contract on the JDK's HTTP server: {@code GET /ping} answers 200 with an empty body,
 * {@code POST /invocations} parses the body, predicts and encodes the result, {@code GET
 * /execution-parameters} tells batch transform how to call it. Bad requests get a 4xx with a
 * plain-text message; an unexpected failure gets a 500 and never stops the server.
 */
public final class InferenceServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final Predictor predictor;
  private final String defaultAccept;
  private final int workers;
  private final long maxPayloadBytes;

  /**
   * Starts listening.
   *
   * @param predictor the loaded model
   * @param host bind address (e.g. {@code 0.0.0.0})
   * @param port port; 0 picks a free one
   * @param env the process environment ({@code SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT}, {@code
   *     SAGEMAKER_MODEL_SERVER_WORKERS}, {@code SAGEMAKER_MAX_PAYLOAD_IN_MB})
   */
  public InferenceServer(Predictor predictor, String host, int port, Map<String, String> env)
      throws IOException {
    this.predictor = predictor;
    String accept = env.get("SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT");
    this.defaultAccept =
        accept == null || accept.isBlank()
            ? predictor.defaultAccept()
            : Responses.negotiate(accept, predictor.defaultAccept());
    this.workers =
        parseInt(
            env.get("SAGEMAKER_MODEL_SERVER_WORKERS"), Runtime.getRuntime().availableProcessors());
    this.maxPayloadBytes = parseInt(env.get("SAGEMAKER_MAX_PAYLOAD_IN_MB"), 100) * 1024L * 1024L;
    this.executor = Executors.newFixedThreadPool(Math.max(1, workers));
    // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's
    // delayed ACK: every answer waits ~40 ms. Read once, when the JDK's server config loads.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    this.server = HttpServer.create(new InetSocketAddress(host, port), 128);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  private static int parseInt(String v, int dflt) {
    try {
      return v == null || v.isBlank() ? dflt : Math.max(1, Integer.parseInt(v.trim()));
    } catch (NumberFormatException e) {
      return dflt;
    }
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      try {
        if (path.equals("/ping") && (method.equals("GET") || method.equals("HEAD"))) {
          send(ex, 200, null, new byte[0]);
        } else if (path.equals("/execution-parameters") && method.equals("GET")) {
          String body =
              "{\"MaxConcurrentTransforms\":"
                  + workers
                  + ",\"BatchStrategy\":\"MULTI_RECORD\",\"MaxPayloadInMB\":6}";
          send(ex, 200, "application/json", body.getBytes(StandardCharsets.UTF_8));
        } else if (path.equals("/invocations") && method.equals("POST")) {
          invoke(ex);
        } else if (path.equals("/invocations") || path.equals("/ping")) {
          send(
              ex,
              405,
              "text/plain",
              ("method " + method + " not allowed").getBytes(StandardCharsets.UTF_8));
        } else {
          send(ex, 404, "text/plain", ("no such path " + path).getBytes(StandardCharsets.UTF_8));
        }
      } catch (InvocationException e) {
        send(ex, e.status(), "text/plain", e.getMessage().getBytes(StandardCharsets.UTF_8));
      } catch (RuntimeException | OutOfMemoryError e) {
        String msg = "prediction failed: " + e;
        System.err.println(msg);
        send(ex, 500, "text/plain", msg.getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private void invoke(HttpExchange ex) throws IOException {
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxPayloadBytes + 1));
    }
    if (body.length > maxPayloadBytes) {
      throw new InvocationException(413, "payload exceeds " + maxPayloadBytes + " bytes");
    }
    String media = Responses.negotiate(ex.getRequestHeaders().getFirst("Accept"), defaultAccept);
    if (body.length == 0) {
      send(ex, 204, null, new byte[0]);
      return;
    }
    float[][] rows =
        Payloads.parse(
            ex.getRequestHeaders().getFirst("Content-Type"), body, predictor.featureDim());
    List<Map<String, Object>> predictions = predictor.predict(rows);
    send(ex, 200, media, Responses.encode(media, predictions, predictor));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    if (type != null) {
      ex.getResponseHeaders().set("Content-Type", type);
    }
    boolean empty = body.length == 0 || status == 204;
    ex.sendResponseHeaders(status, empty ? -1 : body.length);
    if (!empty) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Stops listening and the worker threads. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
