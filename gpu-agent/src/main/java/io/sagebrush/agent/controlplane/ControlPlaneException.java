package io.sagebrush.agent.controlplane;

/** The control plane answered with an error status. */
public final class ControlPlaneException extends RuntimeException {
  private final int status;

  public ControlPlaneException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** 404: the control plane does not know the agent (or task). */
  public boolean isNotFound() {
    return status == 404;
  }

  /** True when the same request may succeed later (5xx, 408, 429, and auth trouble). */
  public boolean isRetryable() {
    return status >= 500 || status == 408 || status == 429 || status == 401 || status == 403;
  }
}
