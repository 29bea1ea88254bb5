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
  /**
   * Serving tasks only: the container answers {@code GET /ping} with 200; {@link
   * TaskEvent#address()} is the base URL gateways send {@code /invocations} to. Sent again (same
   * address) only when the agent re-reports after a reconnect.
   */
  READY,
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
