package io.sagebrush.scheduler.cloudwatch.domain;

/** How an alarm counts a period without datapoints (CloudWatch's default is {@link #MISSING}). */
public enum TreatMissingData {
  /** Left out; all periods missing makes the alarm INSUFFICIENT_DATA. */
  MISSING("missing"),
  /** Counts as within the threshold. */
  NOT_BREACHING("notBreaching"),
  /** Counts as breaching. */
  BREACHING("breaching"),
  /** Left out; all periods missing keeps the current state. */
  IGNORE("ignore");

  private final String wireName;

  TreatMissingData(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The treatment named {@code wireName}, or null when unknown. */
  public static TreatMissingData fromWire(String wireName) {
    for (TreatMissingData t : values()) {
      if (t.wireName.equals(wireName)) {
        return t;
      }
    }
    return null;
  }
}
