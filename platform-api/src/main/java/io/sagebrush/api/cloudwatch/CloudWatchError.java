package io.sagebrush.api.cloudwatch;

/**
 * The CloudWatch errors Sagebrush answers, with the shape name ({@code __type} in rpc-v2-cbor and
 * JSON, where {@code x-amzn-query-error} carries the code) and the AWS Query error code.
 */
public enum CloudWatchError {
  /** Bad input by the model's constraints (unmodeled; Coral's ValidationError). */
  VALIDATION("ValidationError", "ValidationError", 400),
  INVALID_PARAMETER_VALUE("InvalidParameterValueException", "InvalidParameterValue", 400),
  MISSING_PARAMETER("MissingRequiredParameterException", "MissingParameter", 400),
  INVALID_PARAMETER_COMBINATION(
      "InvalidParameterCombinationException", "InvalidParameterCombination", 400),
  RESOURCE_NOT_FOUND("ResourceNotFound", "ResourceNotFound", 404),
  INVALID_NEXT_TOKEN("InvalidNextToken", "InvalidNextToken", 400),
  INVALID_FORMAT("InvalidFormatFault", "InvalidFormat", 400),
  LIMIT_EXCEEDED("LimitExceededFault", "LimitExceeded", 400),
  /** An operation Sagebrush does not serve. */
  INVALID_ACTION("InvalidAction", "InvalidAction", 400),
  INTERNAL("InternalServiceFault", "InternalServiceError", 500);

  /** The Smithy namespace the shape names of {@code __type} are given in. */
  static final String SHAPE_NAMESPACE = "com.amazonaws.cloudwatch#";

  private final String shape;
  private final String queryCode;
  private final int httpStatus;

  CloudWatchError(String shape, String queryCode, int httpStatus) {
    this.shape = shape;
    this.queryCode = queryCode;
    this.httpStatus = httpStatus;
  }

  public String shape() {
    return shape;
  }

  public String queryCode() {
    return queryCode;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** Sender for client errors, Receiver for server faults. */
  public String fault() {
    return httpStatus >= 500 ? "Receiver" : "Sender";
  }
}
