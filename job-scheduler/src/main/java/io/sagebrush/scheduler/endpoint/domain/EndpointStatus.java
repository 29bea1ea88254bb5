package io.sagebrush.scheduler.endpoint.domain;

/** SageMaker's EndpointStatus values. */
public enum EndpointStatus {
  OUT_OF_SERVICE("OutOfService"),
  CREATING("Creating"),
  UPDATING("Updating"),
  SYSTEM_UPDATING("SystemUpdating"),
  ROLLING_BACK("RollingBack"),
  IN_SERVICE("InService"),
  DELETING("Deleting"),
  FAILED("Failed"),
  UPDATE_ROLLBACK_FAILED("UpdateRollbackFailed");

  private final String wireName;

  EndpointStatus(String wireName) {
    this.wireName = wireName;
  }

  /** The name on the wire, e.g. {@code InService}. */
  public String wireName() {
    return wireName;
  }

  /** Null when no status has that wire name. */
  public static EndpointStatus fromWire(String name) {
    for (EndpointStatus s : values()) {
      if (s.wireName.equals(name)) {
        return s;
      }
    }
    return null;
  }
}
