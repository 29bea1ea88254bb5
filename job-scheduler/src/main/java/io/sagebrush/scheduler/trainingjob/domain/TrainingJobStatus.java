package io.sagebrush.scheduler.trainingjob.domain;

/** SageMaker's TrainingJobStatus values, spelled as on the wire. */
public enum TrainingJobStatus {
  InProgress,
  Completed,
  Failed,
  Stopping,
  Stopped
}
