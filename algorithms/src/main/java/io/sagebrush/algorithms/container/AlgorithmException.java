package io.sagebrush.algorithms.container;

/**
 * A user's mistake (bad hyperparameter, bad data, missing channel). Its message becomes the
 * training job's {@code FailureReason} with the prefix {@code ClientError: }.
 */
public class AlgorithmException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message names the hyperparameter or the file and line at fault
   */
  public AlgorithmException(String message) {
    super(message);
  }

  /** The error with a cause kept for the log. */
  public AlgorithmException(String message, Throwable cause) {
    super(message, cause);
  }
}
