package io.sagebrush.agent.runtime;

import java.time.Duration;
import java.util.List;

/** Every host of a started task, and what must be removed once they ended. */
public interface LaunchedJob extends AutoCloseable {
  /** The hosts in order ({@code algo-1} first). */
  List<LaunchedHost> hosts();

  /**
   * Waits until the output of every ended host has reached the {@link LogSink}.
   *
   * @param timeout how long to wait at most
   */
  void awaitLogs(Duration timeout);

  /** Removes containers, networks and processes that are left. Idempotent. */
  @Override
  void close();
}
