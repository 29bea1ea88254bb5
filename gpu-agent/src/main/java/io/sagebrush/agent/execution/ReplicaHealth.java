package io.sagebrush.agent.execution;

import java.time.Duration;

/**
 * Decides, from ping results and the time, what a serving replica's health is. Pure: the caller
 * pings, feeds the result in and acts on the verdict.
 *
 * <pre>
 *   STARTING --ping 200--> READY (once) --> HEALTHY --N failures in a row--> UNHEALTHY
 *      |                                      ^  |
 *      +--no 200 before the startup deadline  +--+ (a 200 resets the count)
 *            --> STARTUP_TIMED_OUT
 * </pre>
 */
final class ReplicaHealth {
  /** What the last observation means. */
  enum Verdict {
    /** No 200 yet, the startup deadline has not passed. */
    STARTING,
    /** The first 200: report READY. */
    BECAME_READY,
    /** Ready, and fewer than the threshold of pings failed in a row. */
    HEALTHY,
    /** Ready, and the threshold of pings failed in a row: the replica failed. */
    UNHEALTHY,
    /** No 200 before the startup deadline: the replica failed. */
    STARTUP_TIMED_OUT
  }

  private final long startupDeadline;
  private final long startupInterval;
  private final long interval;
  private final int threshold;
  private boolean ready;
  private int failuresInARow;
  private long nextPing;

  /**
   * @param startedNanos when the container started ({@link System#nanoTime()} scale)
   * @param startupTimeout how long it may take to answer the first 200
   * @param startupInterval time between pings until then
   * @param interval time between pings once ready
   * @param threshold failed pings in a row that make a ready replica unhealthy
   */
  ReplicaHealth(
      long startedNanos,
      Duration startupTimeout,
      Duration startupInterval,
      Duration interval,
      int threshold) {
    this.startupDeadline = startedNanos + startupTimeout.toNanos();
    this.startupInterval = startupInterval.toNanos();
    this.interval = interval.toNanos();
    this.threshold = Math.max(1, threshold);
    this.nextPing = startedNanos;
  }

  /** True when a ping is due at {@code now}. */
  boolean pingDue(long now) {
    return now - nextPing >= 0;
  }

  /**
   * Takes one ping result.
   *
   * @param ok the ping answered 200 in time
   * @param now when the ping ended
   */
  Verdict observe(boolean ok, long now) {
    nextPing = now + (ready ? interval : startupInterval);
    if (!ready) {
      if (ok) {
        ready = true;
        nextPing = now + interval;
        return Verdict.BECAME_READY;
      }
      return now - startupDeadline >= 0 ? Verdict.STARTUP_TIMED_OUT : Verdict.STARTING;
    }
    failuresInARow = ok ? 0 : failuresInARow + 1;
    return failuresInARow >= threshold ? Verdict.UNHEALTHY : Verdict.HEALTHY;
  }

  boolean ready() {
    return ready;
  }

  /** Failed pings in a row since the last 200 (after ready). */
  int failuresInARow() {
    return failuresInARow;
  }
}
