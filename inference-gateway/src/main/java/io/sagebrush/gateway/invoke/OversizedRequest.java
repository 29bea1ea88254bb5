package io.sagebrush.gateway.invoke;

/**
 * Passed down the pipeline in place of a request whose body exceeds the limit (the body is
 * discarded as it arrives).
 *
 * @param keepAlive whether the connection may serve further requests
 */
record OversizedRequest(boolean keepAlive) {}
