package io.sagebrush.agent.testing;

import com.sun.net.httpserver.HttpServer;
import io.sagebrush.agent.runtime.ContainerRuntime;
import io.sagebrush.agent.runtime.LaunchedHost;
import io.sagebrush.agent.runtime.LaunchedJob;
import io.sagebrush.agent.runtime.LaunchedServer;
import io.sagebrush.agent.runtime.LogSink;
import io.sagebrush.agent.runtime.ObjectDownloader;
import io.sagebrush.agent.runtime.TaskRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A container runtime whose one serving "container" is an HTTP server in the test JVM: the test
 * decides what {@code GET /ping} answers, whether the container heeds SIGTERM, and when it exits.
 * Everything that happens to the container goes into a timeline ({@link #record}) that a test
 * reporter may add its events to, to check their order.
 */
public final class FakeServingRuntime implements ContainerRuntime {
  /** One entry of the timeline. */
  public record Stamp(String what, long nanos) {}

  private final List<Stamp> timeline = new CopyOnWriteArrayList<>();
  private volatile int pingStatus = 200;
  private volatile boolean heedsSigterm = true;
  private volatile Integer exitCode;
  private volatile HttpServer server;
  private volatile LogSink sink;

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public void resolveImage(TaskRun run, ObjectDownloader downloader) {}

  @Override
  public LaunchedJob launch(TaskRun run, LogSink logs) {
    throw new UnsupportedOperationException("serving only");
  }

  @Override
  public LaunchedServer serve(TaskRun run, String bindAddress, LogSink logs) {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
      s.createContext(
          "/ping",
          exchange -> {
            try (exchange) {
              exchange.sendResponseHeaders(pingStatus, -1);
            }
          });
      s.start();
      server = s;
      sink = logs;
      record("started");
      logs.line("algo-1", "serving on port " + s.getAddress().getPort());
      return new Server(new InetSocketAddress("127.0.0.1", s.getAddress().getPort()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What {@code GET /ping} answers from now on. */
  public void answerPing(int status) {
    pingStatus = status;
  }

  /** Whether SIGTERM ends the container (else only SIGKILL does). */
  public void heedSigterm(boolean heeds) {
    heedsSigterm = heeds;
  }

  /** The container's process ends with {@code code}, writing a last line. */
  public synchronized void exit(int code, String lastLine) {
    if (exitCode != null) {
      return;
    }
    LogSink s = sink;
    if (s != null && lastLine != null) {
      s.line("algo-1", lastLine);
    }
    HttpServer http = server;
    if (http != null) {
      http.stop(0);
    }
    exitCode = code;
    record("exited " + code);
  }

  /** Adds an entry to the timeline. */
  public void record(String what) {
    timeline.add(new Stamp(what, System.nanoTime()));
  }

  /** What happened so far, in order. */
  public List<String> timeline() {
    List<String> names = new ArrayList<>();
    timeline.forEach(s -> names.add(s.what()));
    return names;
  }

  /** When {@code what} was first recorded; fails when it was not. */
  public long nanosOf(String what) {
    return timeline.stream()
        .filter(s -> s.what().equals(what))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no '" + what + "' in " + timeline()))
        .nanos();
  }

  /** Waits until {@code what} was recorded. */
  public void await(String what, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (timeline.stream().noneMatch(s -> s.what().equals(what))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no '" + what + "' within " + timeout + "; got " + timeline());
      }
      Thread.sleep(10);
    }
  }

  private final class Server implements LaunchedServer {
    private final InetSocketAddress published;
    private boolean closed;

    Server(InetSocketAddress published) {
      this.published = published;
    }

    @Override
    public InetSocketAddress published() {
      return published;
    }

    @Override
    public List<LaunchedHost> hosts() {
      return List.of(
          new LaunchedHost() {
            @Override
            public String hostName() {
              return "algo-1";
            }

            @Override
            public OptionalInt exitCode() {
              Integer code = exitCode;
              return code == null ? OptionalInt.empty() : OptionalInt.of(code);
            }

            @Override
            public void terminate() {
              if (exitCode == null) {
                record("SIGTERM");
                if (heedsSigterm) {
                  exit(143, "terminated");
                }
              }
            }

            @Override
            public void kill() {
              if (exitCode == null) {
                record("SIGKILL");
                exit(137, null);
              }
            }
          });
    }

    @Override
    public void awaitLogs(Duration timeout) {}

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        exit(137, null);
        record("removed");
      }
    }
  }
}
