package io.sagebrush.gateway.invoke;

/**
 * Passed down the pipeline in place of a request that breaks the HTTP syntax or framing rules;
 * nothing after it on the connection is read.
 *
 * @param reason which rule, for the error message; null for {@link #AFTER_ANSWER}
 */
record MalformedRequest(String reason) {
  /**
   * The body of a request already answered as oversized (and being dropped) broke the rules: the
   * connection ends after the answers before it, without a second answer to that request.
   */
  static final MalformedRequest AFTER_ANSWER = new MalformedRequest(null);
}
