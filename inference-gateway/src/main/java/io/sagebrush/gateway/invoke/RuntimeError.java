package io.sagebrush.gateway.invoke;

import io.sagebrush.common.error.SagebrushException;

/**
 * An error of the runtime API as the AWS SDKs read it (rest-json): the code goes out as {@code
 * x-amzn-ErrorType} and the members as a JSON body.
 *
 * @param type the error code ({@code ValidationError}, {@code ModelError}, ...)
 * @param status the HTTP status
 * @param message the {@code Message} member
 * @param originalStatusCode ModelError only: the container's status, or null
 * @param originalMessage ModelError only: the container's body, or null
 * @param logStreamArn ModelError only: where the container's logs are, or null
 * @param errorCode ModelError only: {@code CLIENT_ERROR_FROM_MODEL} or {@code
 *     SERVER_ERROR_FROM_MODEL}, or null
 */
public record RuntimeError(
    String type,
    int status,
    String message,
    Integer originalStatusCode,
    String originalMessage,
    String logStreamArn,
    String errorCode) {

  public static RuntimeError validation(String message) {
    return new RuntimeError("ValidationError", 400, message, null, null, null, null);
  }

  /** A Coral-style constraint message for a request member. */
  public static RuntimeError constraint(String member, String value, String constraint) {
    return validation(
        "1 validation error detected: Value '"
            + value
            + "' at '"
            + member
            + "' failed to satisfy constraint: "
            + constraint);
  }

  public static RuntimeError serviceUnavailable(String message) {
    return new RuntimeError("ServiceUnavailable", 503, message, null, null, null, null);
  }

  public static RuntimeError internalFailure(String message) {
    return new RuntimeError("InternalFailure", 500, message, null, null, null, null);
  }

  public static RuntimeError unknownOperation(String message) {
    return new RuntimeError("UnknownOperationException", 404, message, null, null, null, null);
  }

  /** An authentication failure, with the control plane's codes and statuses. */
  public static RuntimeError auth(SagebrushException e) {
    return new RuntimeError(
        e.code().awsType(), e.code().httpStatus(), e.getMessage(), null, null, null, null);
  }

  public static RuntimeError modelError(
      String message, Integer originalStatusCode, String originalMessage, String logStreamArn) {
    String code =
        originalStatusCode == null
            ? null
            : originalStatusCode >= 500 ? "SERVER_ERROR_FROM_MODEL" : "CLIENT_ERROR_FROM_MODEL";
    return new RuntimeError(
        "ModelError", 424, message, originalStatusCode, originalMessage, logStreamArn, code);
  }

  /** The JSON body. */
  public String toJson() {
    StringBuilder sb = new StringBuilder(128 + message.length());
    sb.append('{');
    if (errorCode != null) {
      field(sb, "ErrorCode", errorCode).append(',');
    }
    if (logStreamArn != null) {
      field(sb, "LogStreamArn", logStreamArn).append(',');
    }
    field(sb, "Message", message);
    if (originalMessage != null) {
      field(sb.append(','), "OriginalMessage", originalMessage);
    }
    if (originalStatusCode != null) {
      sb.append(",\"OriginalStatusCode\":").append(originalStatusCode.intValue());
    }
    return sb.append('}').toString();
  }

  /** A JSON object of string members, given as name, value, name, value, ... */
  static String jsonObject(String... namesAndValues) {
    StringBuilder sb = new StringBuilder(64).append('{');
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (i > 0) {
        sb.append(',');
      }
      field(sb, namesAndValues[i], namesAndValues[i + 1]);
    }
    return sb.append('}').toString();
  }

  private static StringBuilder field(StringBuilder sb, String name, String value) {
    sb.append('"').append(name).append("\":\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"');
  }
}
