package io.sagebrush.agent.runtime;

/**
 * A task step failed. The message is the task's failure reason as users see it, starting with the
 * SageMaker error class, e.g. {@code ClientError: image x not found}.
 */
public class StageFailure extends RuntimeException {
  private final boolean retryable;

  /**
   * @param reason the failure reason shown to users
   * @param retryable true when trying the step again may succeed (network trouble)
   */
  public StageFailure(String reason, boolean retryable, Throwable cause) {
    super(reason, cause);
    this.retryable = retryable;
  }

  /** A failure that retrying does not fix. */
  public static StageFailure fatal(String reason) {
    return new StageFailure(reason, false, null);
  }

  /** A failure that retrying does not fix, with its cause. */
  public static StageFailure fatal(String reason, Throwable cause) {
    return new StageFailure(reason, false, cause);
  }

  /** A failure that may go away when the step is tried again. */
  public static StageFailure retryable(String reason, Throwable cause) {
    return new StageFailure(reason, true, cause);
  }

  public boolean retryable() {
    return retryable;
  }
}
