package io.sagebrush.gateway.invoke;

/**
 * Passed down the pipeline in place of a request that breaks the HTTP syntax or framing rules;
 * nothing after it on the connection is read.
 *
 * @param reason which rule, for the error message
 */
record MalformedRequest(String reason) {}
