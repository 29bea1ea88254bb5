package io.sagebrush.scheduler.cloudwatch.domain;

/** The five CloudWatch statistics, by their wire names. */
public enum Statistic {
  SAMPLE_COUNT("SampleCount"),
  AVERAGE("Average"),
  SUM("Sum"),
  MINIMUM("Minimum"),
  MAXIMUM("Maximum");

  private final String wireName;

  Statistic(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The statistic of a set of values. */
  public double of(StatisticSet s) {
    return switch (this) {
      case SAMPLE_COUNT -> s.sampleCount();
      case AVERAGE -> s.average();
      case SUM -> s.sum();
      case MINIMUM -> s.minimum();
      case MAXIMUM -> s.maximum();
    };
  }

  /**
   * The statistic named {@code wireName}.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static Statistic fromWire(String wireName) {
    for (Statistic s : values()) {
      if (s.wireName.equals(wireName)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown statistic " + wireName);
  }
}
