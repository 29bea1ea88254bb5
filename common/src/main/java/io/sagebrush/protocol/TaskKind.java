package io.sagebrush.protocol;

/** What a task runs. */
public enum TaskKind {
  /** A training job: {@code <image> train} on each host. */
  TRAINING,
  /**
   * One replica of an endpoint's production variant: the model artifact unpacked into {@code
   * /opt/ml/model}, {@code <image> serve} listening on a port the agent publishes, kept running
   * until a stop order. {@link TaskAssignment#serving()} says what to serve.
   */
  SERVING
}
