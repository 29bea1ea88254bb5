package io.sagebrush.scheduler.trainingjob.domain;

/** An intention that the state table does not allow from the job's current state. */
public class IllegalTransitionException extends IllegalStateException {
  public IllegalTransitionException(String job, TrainingJobState from, TrainingJobState to) {
    super("Training job " + job + " cannot go from " + from + " to " + to);
  }
}
