package io.sagebrush.api.cloudwatch;

import io.sagebrush.api.awsjson.AwsJsonController;
import io.sagebrush.api.awsjson.AwsJsonMapper;
import io.sagebrush.api.awsjson.RequestIds;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * CloudWatch errors in the protocol the request came in: rpc-v2-cbor ({@code __type} and {@code
 * message} in CBOR), AWS JSON 1.0 (the same in JSON), both with the awsQueryCompatible {@code
 * x-amzn-query-error: <Code>;Sender}; or AWS Query ({@code <ErrorResponse>} XML). Ahead of the
 * SageMaker advice, for the JSON edge too (it handles only {@link CloudWatchException}).
 */
@RestControllerAdvice(
    assignableTypes = {
      CloudWatchRpcController.class,
      CloudWatchQueryController.class,
      AwsJsonController.class
    })
@Order(Ordered.HIGHEST_PRECEDENCE)
public class CloudWatchErrorAdvice {
  private static final Logger log = LoggerFactory.getLogger(CloudWatchErrorAdvice.class);
  static final String QUERY_ERROR_HEADER = "x-amzn-query-error";

  private final CloudWatchCodecs codecs;
  private final AwsJsonMapper json;

  public CloudWatchErrorAdvice(CloudWatchCodecs codecs, AwsJsonMapper json) {
    this.codecs = codecs;
    this.json = json;
  }

  @ExceptionHandler(CloudWatchException.class)
  public ResponseEntity<byte[]> cloudWatch(CloudWatchException e, HttpServletRequest request) {
    return respond(e.error(), e.getMessage(), request, null);
  }

  /** The error as the request's protocol answers it; {@code cause} is logged for a 5xx. */
  ResponseEntity<byte[]> respond(
      CloudWatchError error, String message, HttpServletRequest request, Throwable cause) {
    String id = RequestIds.of(request);
    if (error.httpStatus() >= 500) {
      log.error("{} {} failed [{}]: {}", request.getMethod(), what(request), id, message, cause);
      message = "An internal error occurred. Request id: " + id;
    } else {
      log.warn(
          "{} {} -> {} {}: {}",
          request.getMethod(),
          what(request),
          error.httpStatus(),
          error.queryCode(),
          message);
    }
    ResponseEntity.BodyBuilder response =
        ResponseEntity.status(error.httpStatus()).header(RequestIds.HEADER, id);
    if (request.getRequestURI().startsWith("/service/")) {
      return response
          .header(HttpHeaders.CONTENT_TYPE, CloudWatchRpcController.CBOR)
          .header(CloudWatchRpcController.PROTOCOL_HEADER, CloudWatchRpcController.PROTOCOL)
          .header(QUERY_ERROR_HEADER, error.queryCode() + ";" + error.fault())
          .body(codecs.writeCbor(body(error, message)));
    }
    if (request.getHeader(AwsJsonController.TARGET_HEADER) != null) {
      return response
          .header(HttpHeaders.CONTENT_TYPE, "application/x-amz-json-1.0")
          .header("x-amzn-ErrorType", error.shape())
          .header(QUERY_ERROR_HEADER, error.queryCode() + ";" + error.fault())
          .body(json.write(body(error, message)));
    }
    return response
        .header(HttpHeaders.CONTENT_TYPE, MediaType.TEXT_XML_VALUE)
        .body(codecs.writeQueryError(error, message, id));
  }

  private static Map<String, String> body(CloudWatchError error, String message) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("__type", CloudWatchError.SHAPE_NAMESPACE + error.shape());
    body.put("message", message);
    return body;
  }

  private static String what(HttpServletRequest request) {
    String target = request.getHeader(AwsJsonController.TARGET_HEADER);
    return target != null ? target : request.getRequestURI();
  }
}
