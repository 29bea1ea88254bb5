package io.sagebrush.agent.controlplane;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter between a first and a largest delay. Not thread-safe. */
public final class Backoff {
  private final long firstMillis;
  private final long maxMillis;
  private long next;

  public Backoff(Duration first, Duration max) {
    this.firstMillis = Math.max(1, first.toMillis());
    this.maxMillis = Math.max(firstMillis, max.toMillis());
    this.next = firstMillis;
  }

  /** The delay to wait now; the following one doubles up to the largest. */
  public long nextDelayMillis() {
    long delay = next;
    next = Math.min(maxMillis, next * 2);
    long jitter = ThreadLocalRandom.current().nextLong(delay / 4 + 1);
    return delay - delay / 8 + jitter;
  }

  /** Sleeps the next delay. */
  public void pause() throws InterruptedException {
    Thread.sleep(nextDelayMillis());
  }

  /** Back to the first delay (after a success). */
  public void reset() {
    next = firstMillis;
  }
}
