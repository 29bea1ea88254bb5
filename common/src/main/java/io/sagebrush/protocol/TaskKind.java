package io.sagebrush.protocol;

/** What a task runs. */
public enum TaskKind {
  /** A training job: {@code <image> train} on each host. */
  TRAINING
}
