package io.sagebrush.protocol;

/** What an agent observed of a task. */
public enum TaskPhase {
  /** The agent took the task. */
  ACCEPTED,
  /** Pulling or checking the image. */
  PULLING_IMAGE,
  /** Downloading input channels. */
  DOWNLOADING,
  /** Containers are running. */
  RUNNING,
  /** Containers ended; outputs are being uploaded. */
  UPLOADING,
  /** Every container exited 0 and outputs are uploaded. Terminal. */
  SUCCEEDED,
  /** A container exited non-zero or a stage failed; {@code failureReason} says why. Terminal. */
  FAILED,
  /** Stopped on a stop order or at max runtime; outputs that existed are uploaded. Terminal. */
  STOPPED;

  public boolean terminal() {
    return this == SUCCEEDED || this == FAILED || this == STOPPED;
  }
}
