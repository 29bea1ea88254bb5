package io.sagebrush.agent.testing;

import io.sagebrush.agent.execution.TaskReporter;
import io.sagebrush.protocol.TaskEvent;
import io.sagebrush.protocol.TaskPhase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A {@link TaskReporter} that remembers everything, for assertions. */
public final class RecordingReporter implements TaskReporter {
  private final List<TaskPhase> phases = new CopyOnWriteArrayList<>();
  private final Map<String, List<String>> logs = new ConcurrentHashMap<>();
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile TaskEvent result;
  private volatile String address;
  private volatile int finishCalls;

  @Override
  public void phase(TaskPhase phase, String message) {
    phases.add(phase);
  }

  @Override
  public void ready(String readyAddress, String message) {
    address = readyAddress;
    phases.add(TaskPhase.READY);
  }

  @Override
  public void log(String logStream, String line) {
    logs.computeIfAbsent(logStream, s -> new CopyOnWriteArrayList<>()).add(line);
  }

  @Override
  public synchronized void finish(TaskEvent event) {
    finishCalls++;
    result = event;
    finished.countDown();
  }

  /** Waits for the terminal event. */
  public TaskEvent awaitResult(Duration timeout) throws InterruptedException {
    if (!finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("task did not finish within " + timeout + "; phases " + phases);
    }
    return result;
  }

  /** Waits until the given phase was reported. */
  public void awaitPhase(TaskPhase phase, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!phases.contains(phase)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + phase + " within " + timeout + "; phases " + phases);
      }
      Thread.sleep(20);
    }
  }

  /** Waits until a log line containing {@code text} appeared in any stream. */
  public void awaitLog(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (allLines().stream().noneMatch(l -> l.contains(text))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no log line with '" + text + "'; logs " + logs);
      }
      Thread.sleep(20);
    }
  }

  /** The address READY carried, or null before READY. */
  public String address() {
    return address;
  }

  public List<TaskPhase> phases() {
    return List.copyOf(phases);
  }

  public List<String> lines(String logStream) {
    return List.copyOf(logs.getOrDefault(logStream, List.of()));
  }

  public List<String> allLines() {
    List<String> all = new ArrayList<>();
    logs.values().forEach(all::addAll);
    return all;
  }

  public int finishCalls() {
    return finishCalls;
  }
}
