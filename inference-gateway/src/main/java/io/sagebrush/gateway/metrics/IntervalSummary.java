package io.sagebrush.gateway.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.concurrent.atomic.DoubleAccumulator;

/**
 * A distribution summary that also keeps the minimum and maximum since the last {@link #drain()},
 * for the metrics publisher (Micrometer keeps no minimum, and a decaying maximum); the interval's
 * count and sum are the differences of the summary's own totals. Recording stays lock-free.
 */
final class IntervalSummary implements DistributionSummary {
  private final DistributionSummary delegate;
  private final DoubleAccumulator min = new DoubleAccumulator(Math::min, Double.POSITIVE_INFINITY);
  private final DoubleAccumulator max = new DoubleAccumulator(Math::max, Double.NEGATIVE_INFINITY);

  // the totals at the last drain (drained by one thread at a time)
  private long drainedCount;
  private double drainedSum;

  IntervalSummary(DistributionSummary delegate) {
    this.delegate = delegate;
  }

  /** What was recorded in one interval. */
  record Interval(long count, double sum, double min, double max) {}

  @Override
  public void record(double amount) {
    delegate.record(amount);
    min.accumulate(amount);
    max.accumulate(amount);
  }

  /** The values since the last drain, and a fresh start; null when none was recorded. */
  synchronized Interval drain() {
    long totalCount = delegate.count();
    double totalSum = delegate.totalAmount();
    long n = totalCount - drainedCount;
    double s = totalSum - drainedSum;
    drainedCount = totalCount;
    drainedSum = totalSum;
    double lo = min.getThenReset();
    double hi = max.getThenReset();
    if (n == 0) {
      return null;
    }
    // a value recorded during the drain may land half in this interval, half in the next
    if (lo > hi) {
      lo = hi = s / n;
    }
    return new Interval(n, s, lo, hi);
  }

  @Override
  public long count() {
    return delegate.count();
  }

  @Override
  public double totalAmount() {
    return delegate.totalAmount();
  }

  @Override
  public double max() {
    return delegate.max();
  }

  @Override
  public HistogramSnapshot takeSnapshot() {
    return delegate.takeSnapshot();
  }

  @Override
  public Id getId() {
    return delegate.getId();
  }

  @Override
  public Iterable<Measurement> measure() {
    return delegate.measure();
  }
}
