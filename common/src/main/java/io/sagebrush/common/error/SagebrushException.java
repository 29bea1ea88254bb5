package io.sagebrush.common.error;

import java.util.Objects;

/**
 * The one unchecked exception Sagebrush services throw for anything a client should see. The
 * message is written for the user: it names the field or resource at fault.
 */
public class SagebrushException extends RuntimeException {
  private final ErrorCode code;

  public SagebrushException(ErrorCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code);
  }

  public SagebrushException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code);
  }

  public ErrorCode code() {
    return code;
  }

  /** Bad input; the message names the member at fault. */
  public static SagebrushException validation(String message) {
    return new SagebrushException(ErrorCode.VALIDATION, message);
  }

  /**
   * A Coral-style constraint violation: {@code Value 'v' at 'path' failed to satisfy constraint:
   * ...}.
   */
  public static SagebrushException constraint(String path, Object value, String constraint) {
    return validation(
        "1 validation error detected: Value '"
            + value
            + "' at '"
            + path
            + "' failed to satisfy constraint: "
            + constraint);
  }

  /**
   * A missing resource, answered as the real service does on Describe/Stop/Delete: a
   * ValidationException.
   */
  public static SagebrushException notFound(String message) {
    return new SagebrushException(ErrorCode.VALIDATION, message);
  }

  /** A duplicate name. */
  public static SagebrushException inUse(String message) {
    return new SagebrushException(ErrorCode.RESOURCE_IN_USE, message);
  }

  public static SagebrushException limitExceeded(String message) {
    return new SagebrushException(ErrorCode.RESOURCE_LIMIT_EXCEEDED, message);
  }

  public static SagebrushException internal(String message, Throwable cause) {
    return new SagebrushException(ErrorCode.INTERNAL_FAILURE, message, cause);
  }
}
