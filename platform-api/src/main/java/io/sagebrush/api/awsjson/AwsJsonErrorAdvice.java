package io.sagebrush.api.awsjson;

import io.sagebrush.common.error.ErrorCode;
import io.sagebrush.common.error.SagebrushException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The one error table of the SageMaker, Logs and REST edges: a {@link SagebrushException} becomes
 * its code's {@code __type} and status; anything unexpected becomes {@code InternalFailure} with
 * the request id (the stack trace goes to the log, never to the user). 4xx are logged at WARN
 * without a stack trace.
 */
@RestControllerAdvice(basePackages = {"io.sagebrush.api.awsjson", "io.sagebrush.api.rest"})
public class AwsJsonErrorAdvice {
  private static final Logger log = LoggerFactory.getLogger(AwsJsonErrorAdvice.class);
  private final AwsErrors errors;

  public AwsJsonErrorAdvice(AwsErrors errors) {
    this.errors = errors;
  }

  @ExceptionHandler(SagebrushException.class)
  public ResponseEntity<byte[]> sagebrush(SagebrushException e, HttpServletRequest request) {
    ErrorCode code = e.code();
    String id = RequestIds.of(request);
    if (code.httpStatus() >= 500) {
      log.error("{} {} failed [{}]: {}", request.getMethod(), what(request), id, e.getMessage(), e);
      return errors.entity(code, internalMessage(id), id);
    }
    log.warn(
        "{} {} -> {} {}: {}",
        request.getMethod(),
        what(request),
        code.httpStatus(),
        code.awsType(),
        e.getMessage());
    return errors.entity(code, e.getMessage(), id);
  }

  @ExceptionHandler({
    HttpMessageNotReadableException.class,
    MethodArgumentTypeMismatchException.class,
    MissingServletRequestParameterException.class
  })
  public ResponseEntity<byte[]> unreadable(Exception e, HttpServletRequest request) {
    String id = RequestIds.of(request);
    ErrorCode code =
        e instanceof HttpMessageNotReadableException
            ? ErrorCode.SERIALIZATION
            : ErrorCode.VALIDATION;
    String message =
        e instanceof HttpMessageNotReadableException
            ? "Malformed JSON in the request body."
            : e.getMessage();
    log.warn(
        "{} {} -> {} {}: {}",
        request.getMethod(),
        what(request),
        code.httpStatus(),
        code.awsType(),
        message);
    return errors.entity(code, message, id);
  }

  @ExceptionHandler(AsyncRequestTimeoutException.class)
  public void asyncTimeout() {
    // a followed log stream reached its limit; the response is already an event stream
  }

  @ExceptionHandler(Exception.class)
  public ResponseEntity<byte[]> unexpected(Exception e, HttpServletRequest request) {
    String id = RequestIds.of(request);
    if (e instanceof ErrorResponse spring && spring.getStatusCode().is4xxClientError()) {
      int status = spring.getStatusCode().value();
      String type = status == 404 ? "NotFoundException" : "ValidationException";
      log.warn("{} {} -> {}: {}", request.getMethod(), what(request), status, e.getMessage());
      return errors.entity(type, status, e.getMessage(), id);
    }
    log.error("{} {} failed [{}]", request.getMethod(), what(request), id, e);
    return errors.entity(ErrorCode.INTERNAL_FAILURE, internalMessage(id), id);
  }

  private static String internalMessage(String id) {
    return "An internal error occurred. Request id: " + id;
  }

  private static String what(HttpServletRequest request) {
    String target = request.getHeader(AwsJsonController.TARGET_HEADER);
    return target != null ? target : request.getRequestURI();
  }
}
