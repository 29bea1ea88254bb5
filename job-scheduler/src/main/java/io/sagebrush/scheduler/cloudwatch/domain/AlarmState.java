package io.sagebrush.scheduler.cloudwatch.domain;

/** An alarm's StateValue. */
public enum AlarmState {
  OK,
  ALARM,
  INSUFFICIENT_DATA
}
