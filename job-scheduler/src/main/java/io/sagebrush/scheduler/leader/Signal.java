package io.sagebrush.scheduler.leader;

import java.time.Duration;

/**
 * A wake-up with a generation counter, so a wake between reading the generation and waiting is
 * never lost.
 */
public final class Signal {
  private long generation;

  /** The current generation; pass it to {@link #await}. */
  public synchronized long generation() {
    return generation;
  }

  /** Wakes every waiter. */
  public synchronized void fire() {
    generation++;
    notifyAll();
  }

  /**
   * Waits until fired after {@code seen} or the timeout passes.
   *
   * @return true when fired
   */
  public synchronized boolean await(long seen, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (generation == seen) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      long millis = Math.max(1, left / 1_000_000);
      wait(millis);
    }
    return true;
  }
}
