package io.sagebrush.agent.controlplane;

import io.sagebrush.agent.execution.TaskReporter;
import io.sagebrush.protocol.LogBatch;
import io.sagebrush.protocol.LogLine;
import io.sagebrush.protocol.TaskEvent;
import io.sagebrush.protocol.TaskPhase;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one task's events and log batches in the order they were produced, retrying each until
 * the control plane accepts it, so that an outage or a control-plane restart loses nothing (the
 * terminal event above all). Log lines are batched per stream and flushed every {@link #flush()}
 * call or at {@value #BATCH_LINES} lines; logs always go out before the event that follows them.
 *
 * <p>A 4xx answer other than 401, 403, 408 and 429 means the control plane will never take the item
 * (e.g. it forgot the task); the item is dropped with a warning.
 */
public final class TaskOutbox implements TaskReporter {
  static final int BATCH_LINES = 200;
  static final int MAX_PENDING_LINES = 100_000;
  private static final Logger log = LoggerFactory.getLogger(TaskOutbox.class);

  private final String taskId;
  private final String agentId;
  private final ControlPlaneClient client;
  private final Executor executor;
  private final Duration maxBackoff;
  private final Runnable onTerminalDelivered;
  private final Clock clock = Clock.systemUTC();

  private final Object lock = new Object();
  private final Deque<Object> pending = new ArrayDeque<>();
  private final Map<String, List<LogLine>> buffers = new LinkedHashMap<>();
  private int pendingLines;
  private boolean draining;
  private volatile boolean terminalDelivered;
  private volatile boolean closed;

  /**
   * @param taskId the task
   * @param agentId the reporting agent
   * @param client the control-plane client
   * @param executor runs the delivery loop
   * @param maxBackoff longest wait between retries
   * @param onTerminalDelivered called once the terminal event was accepted
   */
  public TaskOutbox(
      String taskId,
      String agentId,
      ControlPlaneClient client,
      Executor executor,
      Duration maxBackoff,
      Runnable onTerminalDelivered) {
    this.taskId = taskId;
    this.agentId = agentId;
    this.client = client;
    this.executor = executor;
    this.maxBackoff = maxBackoff;
    this.onTerminalDelivered = onTerminalDelivered;
  }

  public String taskId() {
    return taskId;
  }

  /** Queues an ACCEPTED event. */
  public void accepted() {
    phase(TaskPhase.ACCEPTED, "Task accepted by agent " + agentId);
  }

  @Override
  public void phase(TaskPhase phase, String message) {
    enqueue(new TaskEvent(agentId, phase, clock.instant(), message, null, null, false));
  }

  @Override
  public void ready(String address, String message) {
    enqueue(
        new TaskEvent(
            agentId, TaskPhase.READY, clock.instant(), message, null, null, false, address));
  }

  @Override
  public void log(String logStream, String line) {
    synchronized (lock) {
      List<LogLine> buffer = buffers.computeIfAbsent(logStream, s -> new ArrayList<>());
      buffer.add(new LogLine(clock.millis(), line));
      if (buffer.size() >= BATCH_LINES) {
        flushLocked();
        startDrainLocked();
      }
    }
  }

  @Override
  public void finish(TaskEvent event) {
    enqueue(event);
  }

  /** Turns buffered log lines into batches and sends them. */
  public void flush() {
    synchronized (lock) {
      if (buffers.values().stream().anyMatch(b -> !b.isEmpty())) {
        flushLocked();
        startDrainLocked();
      }
    }
  }

  /** True once the terminal event was accepted (or dropped as undeliverable). */
  public boolean terminalDelivered() {
    return terminalDelivered;
  }

  /** Stops delivering (agent shutdown); what is queued is lost. */
  public void close() {
    closed = true;
  }

  private void enqueue(TaskEvent event) {
    synchronized (lock) {
      flushLocked();
      pending.addLast(event);
      startDrainLocked();
    }
  }

  private void flushLocked() {
    for (Map.Entry<String, List<LogLine>> e : buffers.entrySet()) {
      if (!e.getValue().isEmpty()) {
        pending.addLast(new LogBatch(agentId, e.getKey(), List.copyOf(e.getValue())));
        pendingLines += e.getValue().size();
        e.getValue().clear();
      }
    }
    while (pendingLines > MAX_PENDING_LINES && dropOldestBatchLocked()) {
      // the control plane has been away long enough that old output must go
    }
  }

  private boolean dropOldestBatchLocked() {
    Iterator<Object> it = pending.iterator();
    boolean first = true;
    while (it.hasNext()) {
      Object item = it.next();
      // the head may be in flight; never drop it
      if (!first && item instanceof LogBatch batch) {
        it.remove();
        pendingLines -= batch.lines().size();
        log.warn(
            "Dropped {} log lines of task {}: control plane unreachable",
            batch.lines().size(),
            taskId);
        return true;
      }
      first = false;
    }
    return false;
  }

  private void startDrainLocked() {
    if (!draining && !pending.isEmpty() && !closed) {
      draining = true;
      try {
        executor.execute(this::drain);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // the agent is shutting down: nothing more can be delivered
        draining = false;
        closed = true;
      }
    }
  }

  private void drain() {
    Backoff backoff = new Backoff(Duration.ofMillis(200), maxBackoff);
    while (!closed) {
      Object item;
      synchronized (lock) {
        item = pending.peekFirst();
        if (item == null) {
          draining = false;
          return;
        }
      }
      boolean done = deliver(item);
      if (done) {
        backoff.reset();
        synchronized (lock) {
          pending.pollFirst();
          if (item instanceof LogBatch batch) {
            pendingLines -= batch.lines().size();
          }
        }
        if (item instanceof TaskEvent event && event.phase().terminal()) {
          terminalDelivered = true;
          onTerminalDelivered.run();
        }
      } else {
        try {
          backoff.pause();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          synchronized (lock) {
            draining = false;
          }
          return;
        }
      }
    }
    synchronized (lock) {
      draining = false;
    }
  }

  /** True when the item is done with (accepted or undeliverable); false to retry. */
  private boolean deliver(Object item) {
    try {
      if (item instanceof TaskEvent event) {
        client.sendEvent(taskId, event);
      } else {
        client.sendLogs(taskId, (LogBatch) item);
      }
      return true;
    } catch (ControlPlaneException e) {
      if (e.isRetryable()) {
        log.debug("Control plane refused an item of task {} for now: {}", taskId, e.getMessage());
        return false;
      }
      log.warn(
          "Control plane will not take an item of task {}; dropping it: {}",
          taskId,
          e.getMessage());
      return true;
    } catch (IOException e) {
      log.debug("Control plane unreachable for task {}: {}", taskId, e.toString());
      return false;
    } catch (RuntimeException e) {
      log.warn("Could not deliver an item of task {}: {}", taskId, e.toString());
      return false;
    }
  }
}
