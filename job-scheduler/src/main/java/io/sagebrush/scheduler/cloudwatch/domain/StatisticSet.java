package io.sagebrush.scheduler.cloudwatch.domain;

/**
 * What is kept of a set of values: how many, their sum, the smallest and the largest. Sets merge
 * without losing anything the five CloudWatch statistics need.
 */
public record StatisticSet(double sampleCount, double sum, double minimum, double maximum) {

  /** One value. */
  public static StatisticSet of(double value) {
    return new StatisticSet(1, value, value, value);
  }

  /** Both sets together. */
  public StatisticSet merge(StatisticSet o) {
    return new StatisticSet(
        sampleCount + o.sampleCount,
        sum + o.sum,
        Math.min(minimum, o.minimum),
        Math.max(maximum, o.maximum));
  }

  public double average() {
    return sampleCount == 0 ? 0 : sum / sampleCount;
  }
}
