package io.sagebrush.algorithms.serve;

/** A bad invocation; the server answers with its status and message, never a crash. */
public final class InvocationException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  /**
   * @param status HTTP status (400, 406, 415)
   * @param message what the client must fix
   */
  public InvocationException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }
}
