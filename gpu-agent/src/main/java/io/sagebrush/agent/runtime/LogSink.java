package io.sagebrush.agent.runtime;

/** Receives container output line by line. Implementations must be thread-safe. */
@FunctionalInterface
public interface LogSink {
  /**
   * One complete line (without its line terminator) written by a host's container.
   *
   * @param host the host, e.g. {@code algo-1}
   * @param line the text
   */
  void line(String host, String line);
}
