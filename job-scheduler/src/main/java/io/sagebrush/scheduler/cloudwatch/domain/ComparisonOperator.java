package io.sagebrush.scheduler.cloudwatch.domain;

/** The comparisons of a single-metric alarm (the anomaly-detection bands are not supported). */
public enum ComparisonOperator {
  GREATER_THAN_OR_EQUAL("GreaterThanOrEqualToThreshold", "greater than or equal to"),
  GREATER_THAN("GreaterThanThreshold", "greater than"),
  LESS_THAN("LessThanThreshold", "less than"),
  LESS_THAN_OR_EQUAL("LessThanOrEqualToThreshold", "less than or equal to");

  private final String wireName;
  private final String words;

  ComparisonOperator(String wireName, String words) {
    this.wireName = wireName;
    this.words = words;
  }

  public String wireName() {
    return wireName;
  }

  /** How CloudWatch's state reasons say it ("greater than or equal to"). */
  public String words() {
    return words;
  }

  /** True when {@code value} breaches {@code threshold}. */
  public boolean breaches(double value, double threshold) {
    return switch (this) {
      case GREATER_THAN_OR_EQUAL -> value >= threshold;
      case GREATER_THAN -> value > threshold;
      case LESS_THAN -> value < threshold;
      case LESS_THAN_OR_EQUAL -> value <= threshold;
    };
  }

  /** The operator named {@code wireName}, or null when it is none of these four. */
  public static ComparisonOperator fromWire(String wireName) {
    for (ComparisonOperator o : values()) {
      if (o.wireName.equals(wireName)) {
        return o;
      }
    }
    return null;
  }
}
