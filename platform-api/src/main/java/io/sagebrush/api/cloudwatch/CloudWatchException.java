package io.sagebrush.api.cloudwatch;

/** A CloudWatch API error: answered in the request's protocol by {@link CloudWatchErrorAdvice}. */
public final class CloudWatchException extends RuntimeException {
  private final CloudWatchError error;

  public CloudWatchException(CloudWatchError error, String message) {
    super(message);
    this.error = error;
  }

  public CloudWatchError error() {
    return error;
  }

  public static CloudWatchException invalidValue(String message) {
    return new CloudWatchException(CloudWatchError.INVALID_PARAMETER_VALUE, message);
  }

  public static CloudWatchException validation(String message) {
    return new CloudWatchException(CloudWatchError.VALIDATION, message);
  }

  public static CloudWatchException missing(String member) {
    return new CloudWatchException(
        CloudWatchError.MISSING_PARAMETER, "The parameter " + member + " is required.");
  }
}
