package io.sagebrush.api.awsjson;

import io.sagebrush.common.error.ErrorCode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * The AWS JSON error shape: {@code {"__type": ..., "message": ...}} with {@code x-amzn-ErrorType},
 * status and content type from the {@link ErrorCode} table. Used by the error advice and by the
 * authentication filter, which runs before any controller.
 */
@Component
public class AwsErrors {
  public static final String CONTENT_TYPE = "application/x-amz-json-1.1";
  public static final String ERROR_TYPE_HEADER = "x-amzn-ErrorType";
  private final AwsJsonMapper json;

  public AwsErrors(AwsJsonMapper json) {
    this.json = json;
  }

  /**
   * The error as a response entity. The request id header is already on the response (the
   * authentication filter sets it on every response).
   */
  public ResponseEntity<byte[]> entity(String type, int status, String message, String requestId) {
    return ResponseEntity.status(status)
        .header(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
        .header(ERROR_TYPE_HEADER, type)
        .body(body(type, message));
  }

  public ResponseEntity<byte[]> entity(ErrorCode code, String message, String requestId) {
    return entity(code.awsType(), code.httpStatus(), message, requestId);
  }

  /** Writes the error straight to a servlet response (for filters). */
  public void write(HttpServletResponse response, ErrorCode code, String message, String requestId)
      throws IOException {
    write(response, code.awsType(), code.httpStatus(), message, requestId);
  }

  public void write(
      HttpServletResponse response, String type, int status, String message, String requestId)
      throws IOException {
    response.setStatus(status);
    response.setContentType(CONTENT_TYPE);
    response.setHeader(ERROR_TYPE_HEADER, type);
    response.setHeader(RequestIds.HEADER, requestId);
    byte[] body = body(type, message);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private byte[] body(String type, String message) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("__type", type);
    body.put("message", message);
    return json.write(body);
  }
}
