import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A user's own model server behind SageMaker's hosting contract, for src-it and bench: {@code
 * docker run sagebrush-test/server:1 serve} listens on {@code ${SAGEMAKER_BIND_TO_PORT:-8080}}.
 *
 * <ul>
 *   <li>{@code GET /ping}: 200, empty body.
 *   <li>{@code POST /invocations} with {@code text/csv} rows of numbers (Content-Type unchecked): one line per row, {@code
 *       factor * sum(row)}, where factor is the number in {@code /opt/ml/model/factor.txt} (so a
 *       prediction proves the model artifact was downloaded and unpacked, and models with
 *       different factors tell fleets apart). {@code Accept: application/json} answers {@code
 *       {"predictions":[..],"factor":f,"tag":"$SERVER_TAG","host":"<hostname>"}} instead, which
 *       tells replicas apart. {@code Accept: application/jsonlines} streams instead, for
 *       InvokeEndpointWithResponseStream: 200 with chunked transfer and {@code Content-Type:
 *       application/jsonlines}, one HTTP chunk per row, {@code {"prediction":p,"row":i}} and a
 *       newline ({@code i} counts the rows from 0), each flushed on its own, {@code STREAM_GAP_MS}
 *       (default 100) ms apart (no wait before the first). The header {@code
 *       X-Amzn-SageMaker-Custom-Attributes} is echoed. A cell that is not a number, or no rows,
 *       answers 400 with a plain-text message (before any chunk: nothing streams then).
 *   <li>{@code SERVER_MODE=crash}: prints {@code fatal: cannot load model} to stderr and exits 1
 *       at start. {@code SERVER_MODE=noping}: {@code /ping} always answers 503. {@code
 *       SERVER_MODE=slow}: every invocation first sleeps {@code SLEEP_MS} (default 1000) ms. {@code
 *       SERVER_MODE=fail}: {@code /ping} answers 200 but every invocation answers 500 (a model
 *       that deploys fine and then fails, for alarm-driven rollbacks).
 *   <li>SIGTERM: requests in flight (and any that still arrive) are answered until none has been
 *       in flight for 300 ms (at most {@code DRAIN_SECONDS}, default 25 s), then the server closes
 *       and the process exits.
 * </ul>
 *
 * A missing or non-numeric factor.txt is fatal at start (exit 2), with the model dir's listing.
 */
public final class TestModelServer {
  private static final AtomicInteger IN_FLIGHT = new AtomicInteger();
  private static final AtomicLong LAST_REQUEST_END = new AtomicLong();
  private static final AtomicLong SERVED = new AtomicLong();

  private static double factor;
  private static String mode;
  private static String tag;
  private static String host;
  private static long sleepMillis;
  private static long streamGapMillis;

  private TestModelServer() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !args[0].equals("serve")) {
      System.err.println("expected the argument 'serve', got " + String.join(" ", args));
      System.exit(64);
    }
    mode = env("SERVER_MODE", "normal").toLowerCase(Locale.ROOT);
    tag = env("SERVER_TAG", "");
    sleepMillis = Long.parseLong(env("SLEEP_MS", "1000"));
    streamGapMillis = Long.parseLong(env("STREAM_GAP_MS", "100"));
    host = hostName();
    int port = Integer.parseInt(env("SAGEMAKER_BIND_TO_PORT", "8080"));
    log("test model server starting: mode=" + mode + " tag=" + tag + " host=" + host);
    if (mode.equals("crash")) {
      System.err.println("fatal: cannot load model");
      System.err.flush();
      System.exit(1);
    }
    factor = loadFactor(Path.of(env("MODEL_DIR", "/opt/ml/model")));

    // TCP_NODELAY: otherwise every answer waits ~40 ms for the client's delayed ACK.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 256);
    ExecutorService workers =
        Executors.newFixedThreadPool(
            64,
            r -> {
              Thread t = new Thread(r, "worker");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(workers);
    server.createContext("/", TestModelServer::handle);
    server.start();
    log("listening on port " + port + " with factor " + format(factor));

    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> drainAndStop(server), "sigterm"));
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return env("HOSTNAME", "unknown");
    }
  }

  private static double loadFactor(Path modelDir) throws IOException {
    Path file = modelDir.resolve("factor.txt");
    if (!Files.isRegularFile(file)) {
      List<String> listing = new ArrayList<>();
      if (Files.isDirectory(modelDir)) {
        try (Stream<Path> files = Files.walk(modelDir, 3)) {
          files.forEach(p -> listing.add(modelDir.relativize(p).toString()));
        }
      }
      System.err.println("fatal: cannot load model: " + file + " is missing; model dir: " + listing);
      System.exit(2);
    }
    String text = Files.readString(file, StandardCharsets.UTF_8).trim();
    try {
      double f = Double.parseDouble(text);
      log("loaded " + file + ": factor " + format(f));
      return f;
    } catch (NumberFormatException e) {
      System.err.println("fatal: cannot load model: " + file + " holds '" + text + "', no number");
      System.exit(2);
      return 0;
    }
  }

  private static void handle(HttpExchange ex) throws IOException {
    IN_FLIGHT.incrementAndGet();
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      try (InputStream in = ex.getRequestBody()) {
        byte[] body = in.readAllBytes();
        if (path.equals("/ping")) {
          if (mode.equals("noping")) {
            send(ex, 503, "text/plain", "not ready (SERVER_MODE=noping)");
          } else {
            send(ex, 200, null, "");
          }
        } else if (path.equals("/invocations") && method.equals("POST")) {
          invoke(ex, body);
        } else if (path.equals("/invocations")) {
          send(ex, 405, "text/plain", "method " + method + " not allowed");
        } else {
          send(ex, 404, "text/plain", "no such path " + path);
        }
      } catch (RuntimeException e) {
        System.err.println("invocation failed: " + e);
        send(ex, 500, "text/plain", "server error: " + e);
      }
    } finally {
      LAST_REQUEST_END.set(System.nanoTime());
      IN_FLIGHT.decrementAndGet();
    }
  }

  private static void invoke(HttpExchange ex, byte[] body) throws IOException {
    if (mode.equals("fail")) {
      send(ex, 500, "text/plain", "model failure (SERVER_MODE=fail)");
      return;
    }
    if (mode.equals("slow")) {
      sleep(sleepMillis);
    }
    String attributes = ex.getRequestHeaders().getFirst("X-Amzn-SageMaker-Custom-Attributes");
    if (attributes != null) {
      ex.getResponseHeaders().set("X-Amzn-SageMaker-Custom-Attributes", attributes);
    }
    List<Double> predictions = new ArrayList<>();
    String[] lines = new String(body, StandardCharsets.UTF_8).split("\r?\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      double sum = 0;
      String[] cells = lines[i].split(",", -1);
      for (int j = 0; j < cells.length; j++) {
        try {
          sum += Double.parseDouble(cells[j].trim());
        } catch (NumberFormatException e) {
          send(
              ex,
              400,
              "text/plain",
              "cannot parse '" + cells[j].trim() + "' on line " + (i + 1) + " column " + (j + 1)
                  + " as a number");
          return;
        }
      }
      predictions.add(factor * sum);
    }
    if (predictions.isEmpty()) {
      send(ex, 400, "text/plain", "no rows in the request body");
      return;
    }
    SERVED.incrementAndGet();
    String accept = ex.getRequestHeaders().getFirst("Accept");
    accept = accept == null ? "" : accept.toLowerCase(Locale.ROOT);
    if (accept.contains("application/jsonlines")) {
      stream(ex, predictions);
    } else if (accept.contains("application/json")) {
      StringBuilder json = new StringBuilder("{\"predictions\":[");
      for (int i = 0; i < predictions.size(); i++) {
        json.append(i == 0 ? "" : ",").append(format(predictions.get(i)));
      }
      json.append("],\"factor\":").append(format(factor));
      json.append(",\"tag\":\"").append(jsonEscape(tag)).append('"');
      json.append(",\"host\":\"").append(jsonEscape(host)).append("\"}");
      send(ex, 200, "application/json", json.toString());
    } else {
      StringBuilder csv = new StringBuilder();
      for (double p : predictions) {
        csv.append(format(p)).append('\n');
      }
      send(ex, 200, "text/csv", csv.toString());
    }
  }

  /**
   * One HTTP chunk per prediction, {@code STREAM_GAP_MS} apart: {@code sendResponseHeaders(200, 0)}
   * selects chunked transfer, and each {@code flush()} sends what was written as one chunk.
   */
  private static void stream(HttpExchange ex, List<Double> predictions) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/jsonlines");
    ex.sendResponseHeaders(200, 0);
    try (OutputStream out = ex.getResponseBody()) {
      for (int i = 0; i < predictions.size(); i++) {
        if (i > 0) {
          sleep(streamGapMillis);
        }
        String line = "{\"prediction\":" + format(predictions.get(i)) + ",\"row\":" + i + "}\n";
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void send(HttpExchange ex, int status, String type, String text)
      throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (type != null) {
      ex.getResponseHeaders().set("Content-Type", type);
    }
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** SIGTERM: answer what is in flight (and what still comes) until 300 ms pass idle, then close. */
  private static void drainAndStop(HttpServer server) {
    log("received SIGTERM: finishing " + IN_FLIGHT.get() + " requests in flight");
    long deadline =
        System.nanoTime() + Long.parseLong(env("DRAIN_SECONDS", "25")) * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      boolean idle =
          IN_FLIGHT.get() == 0 && System.nanoTime() - LAST_REQUEST_END.get() > 300_000_000L;
      if (idle) {
        break;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        break;
      }
    }
    server.stop(0);
    log("stopped after serving " + SERVED.get() + " invocations; " + IN_FLIGHT.get() + " in flight");
  }

  private static String format(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }

  private static String jsonEscape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static void log(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
