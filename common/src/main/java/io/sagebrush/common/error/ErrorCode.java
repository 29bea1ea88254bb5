package io.sagebrush.common.error;

/**
 * Every error Sagebrush reports to a client. Each code knows the AWS error {@code __type} it is
 * sent as, its HTTP status and whether a client may retry it. The edges map a {@link
 * SagebrushException} to a response through this table only.
 */
public enum ErrorCode {
  /** Bad input, and (as the real service answers) a missing job, model, config or endpoint. */
  VALIDATION("ValidationException", 400, false),
  /** Declared by the model for some jobs operations; the live service mostly uses VALIDATION. */
  RESOURCE_NOT_FOUND("ResourceNotFound", 400, false),
  /** A duplicate job name. */
  RESOURCE_IN_USE("ResourceInUse", 400, false),
  RESOURCE_LIMIT_EXCEEDED("ResourceLimitExceeded", 400, false),
  CONFLICT("ConflictException", 400, false),
  /** The request body is not the JSON the operation expects. */
  SERIALIZATION("SerializationException", 400, false),
  /** An X-Amz-Target the service does not know. */
  UNKNOWN_OPERATION("UnknownOperationException", 400, false),
  /** No Authorization header (or no credentials at all). */
  MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationTokenException", 403, false),
  /** An access key id the server does not know. */
  UNRECOGNIZED_CLIENT("UnrecognizedClientException", 403, false),
  /** A signature that does not match, a malformed Authorization header or a stale date. */
  INVALID_SIGNATURE("InvalidSignatureException", 403, false),
  /** CloudWatch Logs' name for a missing log group or stream. */
  LOGS_RESOURCE_NOT_FOUND("ResourceNotFoundException", 400, false),
  /** CloudWatch Logs' name for bad input. */
  INVALID_PARAMETER("InvalidParameterException", 400, false),
  THROTTLING("ThrottlingException", 400, true),
  INTERNAL_FAILURE("InternalFailure", 500, true),
  SERVICE_UNAVAILABLE("ServiceUnavailable", 503, true);

  private final String awsType;
  private final int httpStatus;
  private final boolean retryable;

  ErrorCode(String awsType, int httpStatus, boolean retryable) {
    this.awsType = awsType;
    this.httpStatus = httpStatus;
    this.retryable = retryable;
  }

  /** The value sent as {@code __type} and {@code x-amzn-ErrorType}. */
  public String awsType() {
    return awsType;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public boolean retryable() {
    return retryable;
  }
}
