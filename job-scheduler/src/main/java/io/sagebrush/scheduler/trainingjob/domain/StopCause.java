package io.sagebrush.scheduler.trainingjob.domain;

/** Why a stop was requested; decides the final secondary status. */
public enum StopCause {
  /** StopTrainingJob: ends Stopped/Stopped. */
  USER,
  /** MaxRuntimeInSeconds exceeded: ends Stopped/MaxRuntimeExceeded. */
  MAX_RUNTIME
}
