package io.sagebrush.scheduler.endpoint.domain;

/** Where an endpoint update stands. */
public enum UpdatePhase {
  /** Blue/green: the new fleet comes up; rolling: the current batch of it does. */
  PROVISIONING,
  /** Blue/green: traffic moves step by step (the wait after the last step is the bake). */
  SHIFTING,
  /** Rolling: the batch is up and takes traffic; its old batch is retired after the wait. */
  BAKING
}
