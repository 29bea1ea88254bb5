package io.sagebrush.agent.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sagebrush.agent.controlplane.ControlPlaneClient;
import io.sagebrush.protocol.AgentRegistration;
import io.sagebrush.protocol.LogBatch;
import io.sagebrush.protocol.LogLine;
import io.sagebrush.protocol.PollRequest;
import io.sagebrush.protocol.PollResponse;
import io.sagebrush.protocol.RegistrationResponse;
import io.sagebrush.protocol.StorageSettings;
import io.sagebrush.protocol.TaskAssignment;
import io.sagebrush.protocol.TaskEvent;
import io.sagebrush.protocol.TaskPhase;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small control plane that speaks the agent protocol over real HTTP ({@code
 * com.sun.net.httpserver}), with knobs to forget agents and to go down and come back on the same
 * port. The real control plane is tested end to end in src-it.
 */
public final class FakeControlPlane implements AutoCloseable {
  public static final String TOKEN = "test-agent-token";

  private final ObjectMapper json = ControlPlaneClient.mapper();
  private final StorageSettings storage;
  private final long pollTimeoutMillis;
  private int port;
  private HttpServer server;

  private final List<AgentRegistration> registrations = new CopyOnWriteArrayList<>();
  private final Map<String, Boolean> knownAgents = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<Object> orders = new LinkedBlockingQueue<>();
  private final Map<String, List<TaskEvent>> events = new ConcurrentHashMap<>();
  private final Map<String, List<LogLine>> logs = new ConcurrentHashMap<>();
  private final List<List<String>> pollRunningIds = new CopyOnWriteArrayList<>();
  private final AtomicInteger polls = new AtomicInteger();
  private final AtomicInteger unauthorized = new AtomicInteger();

  private FakeControlPlane(StorageSettings storage, long pollTimeoutMillis) {
    this.storage = storage;
    this.pollTimeoutMillis = pollTimeoutMillis;
  }

  /** Starts on a free port. */
  public static FakeControlPlane start(StorageSettings storage) throws IOException {
    FakeControlPlane cp = new FakeControlPlane(storage, 500);
    cp.server = cp.bind(0);
    cp.port = cp.server.getAddress().getPort();
    return cp;
  }

  private HttpServer bind(int p) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", p), 50);
    s.setExecutor(Executors.newCachedThreadPool());
    s.createContext("/", this::handle);
    s.start();
    return s;
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Stops answering (connections are refused) until {@link #restart()}. */
  public synchronized void stop() {
    if (server != null) {
      server.stop(0);
      ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
      server = null;
    }
  }

  /** Comes back on the same port. */
  public synchronized void restart() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        server = bind(port);
        return;
      } catch (BindException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  /** Forgets every agent, as after declaring them lost: polls answer 404. */
  public void forgetAgents() {
    knownAgents.clear();
  }

  /** Hands a task to the next poll. */
  public void assign(TaskAssignment task) {
    orders.add(task);
  }

  /** Sends a stop order with the next poll. */
  public void stopTask(String taskId) {
    orders.add(new StopOrder(taskId));
  }

  private record StopOrder(String taskId) {}

  public List<AgentRegistration> registrations() {
    return List.copyOf(registrations);
  }

  public List<TaskEvent> events(String taskId) {
    return List.copyOf(events.getOrDefault(taskId, List.of()));
  }

  public List<TaskPhase> phases(String taskId) {
    return events(taskId).stream().map(TaskEvent::phase).toList();
  }

  public List<String> logMessages(String taskId) {
    return logs.getOrDefault(taskId, List.of()).stream().map(LogLine::message).toList();
  }

  public List<List<String>> pollRunningIds() {
    return List.copyOf(pollRunningIds);
  }

  public int polls() {
    return polls.get();
  }

  public int unauthorized() {
    return unauthorized.get();
  }

  /** Waits for the task's terminal event. */
  public TaskEvent awaitTerminal(String taskId, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (TaskEvent e : events(taskId)) {
        if (e.phase().terminal()) {
          return e;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no terminal event for " + taskId + "; got " + phases(taskId));
      }
      Thread.sleep(20);
    }
  }

  /** Waits for a phase of the task. */
  public void awaitPhase(String taskId, TaskPhase phase, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!phases(taskId).contains(phase)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + phase + " for " + taskId + "; got " + phases(taskId));
      }
      Thread.sleep(20);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        unauthorized.incrementAndGet();
        send(exchange, 401, null);
        return;
      }
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (path.equals("/agent/v1/register")) {
        AgentRegistration r = json.readValue(body, AgentRegistration.class);
        registrations.add(r);
        String id = r.agentId() != null ? r.agentId() : "agent-" + UUID.randomUUID();
        knownAgents.put(id, true);
        send(exchange, 200, new RegistrationResponse(id, 1000, pollTimeoutMillis, storage));
      } else if (path.startsWith("/agent/v1/agents/") && path.endsWith("/poll")) {
        String id = path.split("/")[4];
        if (!knownAgents.containsKey(id)) {
          send(exchange, 404, Map.of("message", "unknown agent " + id));
          return;
        }
        polls.incrementAndGet();
        pollRunningIds.add(json.readValue(body, PollRequest.class).runningTaskIds());
        Object first = orders.poll(pollTimeoutMillis, TimeUnit.MILLISECONDS);
        List<TaskAssignment> assign = new ArrayList<>();
        List<String> stop = new ArrayList<>();
        for (Object o = first; o != null; o = orders.poll()) {
          if (o instanceof TaskAssignment t) {
            assign.add(t);
          } else if (o instanceof StopOrder s) {
            stop.add(s.taskId());
          }
        }
        send(exchange, 200, new PollResponse(assign, stop));
      } else if (path.startsWith("/agent/v1/tasks/") && path.endsWith("/events")) {
        String taskId = path.split("/")[4];
        events
            .computeIfAbsent(taskId, k -> new CopyOnWriteArrayList<>())
            .add(json.readValue(body, TaskEvent.class));
        send(exchange, 204, null);
      } else if (path.startsWith("/agent/v1/tasks/") && path.endsWith("/logs")) {
        String taskId = path.split("/")[4];
        logs.computeIfAbsent(taskId, k -> new CopyOnWriteArrayList<>())
            .addAll(json.readValue(body, LogBatch.class).lines());
        send(exchange, 204, null);
      } else {
        send(exchange, 404, Map.of("message", "no route " + path));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void send(HttpExchange exchange, int status, Object body) throws IOException {
    if (body == null) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    byte[] bytes = json.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    stop();
  }
}
