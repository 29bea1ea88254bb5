package io.sagebrush.api.cloudwatch;

import io.sagebrush.common.error.SagebrushException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every other failure of the CloudWatch rpc-v2-cbor and Query controllers, in their protocol: a
 * request that cannot be read is a ValidationError, anything unexpected InternalServiceError.
 */
@RestControllerAdvice(
    assignableTypes = {CloudWatchRpcController.class, CloudWatchQueryController.class})
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class CloudWatchFallbackErrorAdvice {
  private final CloudWatchErrorAdvice errors;

  public CloudWatchFallbackErrorAdvice(CloudWatchErrorAdvice errors) {
    this.errors = errors;
  }

  @ExceptionHandler(SagebrushException.class)
  public ResponseEntity<byte[]> sagebrush(SagebrushException e, HttpServletRequest request) {
    CloudWatchError error =
        e.code().httpStatus() >= 500 ? CloudWatchError.INTERNAL : CloudWatchError.VALIDATION;
    return errors.respond(error, e.getMessage(), request, e);
  }

  @ExceptionHandler(Exception.class)
  public ResponseEntity<byte[]> unexpected(Exception e, HttpServletRequest request) {
    return errors.respond(CloudWatchError.INTERNAL, e.toString(), request, e);
  }
}
