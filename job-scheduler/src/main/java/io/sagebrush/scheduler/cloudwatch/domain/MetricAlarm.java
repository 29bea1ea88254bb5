package io.sagebrush.scheduler.cloudwatch.domain;

import java.time.Instant;

/**
 * A stored metric alarm: its definition and its state.
 *
 * @param stateUpdatedAt when the state value or reason last changed (StateUpdatedTimestamp)
 * @param stateTransitionedAt when the state value last changed (StateTransitionedTimestamp)
 * @param evaluatedUntil the end of the newest window evaluated (or set by SetAlarmState), null
 *     before the first evaluation; an alarm is evaluated again once a newer window is complete
 * @param version bumped by every write (compare-and-set)
 */
public record MetricAlarm(
    AlarmDefinition definition,
    Instant configUpdatedAt,
    AlarmState state,
    String stateReason,
    String stateReasonData,
    Instant stateUpdatedAt,
    Instant stateTransitionedAt,
    Instant evaluatedUntil,
    long version) {

  public String name() {
    return definition.name();
  }
}
