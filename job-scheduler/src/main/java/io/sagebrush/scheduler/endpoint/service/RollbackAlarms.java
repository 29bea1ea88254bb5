package io.sagebrush.scheduler.endpoint.service;

import java.util.Collection;
import java.util.Map;

/**
 * The alarms an update's AutoRollbackConfiguration names, as the fleet reconciler sees them. An
 * alarm that does not exist is not in ALARM (as on SageMaker, where auto-rollback simply does not
 * work without alarms).
 */
@FunctionalInterface
public interface RollbackAlarms {
  /** No alarm service: nothing is ever in ALARM. */
  RollbackAlarms NONE = names -> Map.of();

  /**
   * The names among {@code names} whose alarm is in ALARM now, each with its StateReason, in name
   * order. Read-only; safe to call inside the reconciler's transaction.
   */
  Map<String, String> inAlarm(Collection<String> names);
}
