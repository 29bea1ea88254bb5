package io.sagebrush.api.awsjson;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One operation of an AWS JSON 1.1 service.
 *
 * @param target the full X-Amz-Target, e.g. {@code SageMaker.CreateTrainingJob}
 * @param inputType the wire record the body binds to
 * @param handler runs the operation; returns the output record, or null for {@code {}}
 */
public record AwsOperation<I>(String target, Class<I> inputType, Handler<I> handler) {

  /** Runs an operation on its bound input and the raw body. */
  @FunctionalInterface
  public interface Handler<I> {
    Object handle(I input, JsonNode rawBody);
  }

  /** An operation that does not need the raw body. */
  public static <I> AwsOperation<I> of(
      String target, Class<I> inputType, java.util.function.Function<I, Object> handler) {
    return new AwsOperation<>(target, inputType, (input, raw) -> handler.apply(input));
  }

  Object invoke(AwsJsonMapper mapper, JsonNode body) {
    return handler.handle(mapper.bind(body, inputType), body);
  }
}
