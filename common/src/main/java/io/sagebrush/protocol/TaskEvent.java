package io.sagebrush.protocol;

import java.time.Instant;

/**
 * An observation of a task. Agents retry delivery until the control plane accepts it, so the
 * control plane treats a repeated event as a no-op.
 *
 * @param agentId the reporting agent
 * @param phase what was observed
 * @param time when it was observed
 * @param message a short human-readable note (becomes a StatusMessage)
 * @param exitCode the container's exit code when it ended, else null
 * @param failureReason for FAILED: the first 1024 chars of /opt/ml/output/failure, else a
 *     description such as {@code AlgorithmError: exit code 3}
 * @param maxRuntimeExceeded for STOPPED: true when the agent stopped it at max runtime
 * @param address for READY (serving tasks): the replica's base URL as gateways reach it, e.g.
 *     {@code http://10.0.0.5:32771}; null otherwise
 */
public record TaskEvent(
    String agentId,
    TaskPhase phase,
    Instant time,
    String message,
    Integer exitCode,
    String failureReason,
    boolean maxRuntimeExceeded,
    String address) {

  /** An event without an address (everything but READY). */
  public TaskEvent(
      String agentId,
      TaskPhase phase,
      Instant time,
      String message,
      Integer exitCode,
      String failureReason,
      boolean maxRuntimeExceeded) {
    this(agentId, phase, time, message, exitCode, failureReason, maxRuntimeExceeded, null);
  }
}
