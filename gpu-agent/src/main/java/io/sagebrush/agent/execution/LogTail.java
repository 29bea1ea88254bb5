package io.sagebrush.agent.execution;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The last few lines a container wrote, kept to explain its failure. Thread-safe: log lines arrive
 * on the runtime's threads.
 */
final class LogTail {
  static final int LINE_LIMIT = 512;

  private final int capacity;
  private final Deque<String> lines = new ArrayDeque<>();

  /** Keeps the last {@code capacity} non-blank lines, each cut to {@value #LINE_LIMIT} chars. */
  LogTail(int capacity) {
    this.capacity = capacity;
  }

  synchronized void add(String line) {
    if (line == null || line.isBlank()) {
      return;
    }
    String l = line.strip();
    lines.addLast(l.length() > LINE_LIMIT ? l.substring(0, LINE_LIMIT) + "..." : l);
    while (lines.size() > capacity) {
      lines.removeFirst();
    }
  }

  /** The kept lines, oldest first. */
  synchronized List<String> lines() {
    return List.copyOf(lines);
  }
}
