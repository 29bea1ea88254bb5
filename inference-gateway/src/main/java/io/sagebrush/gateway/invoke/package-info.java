/**
 * The runtime API edge: {@code POST /endpoints/{name}/invocations} (SigV4, SageMaker's headers and
 * rest-json errors, routing, retries on refused connections, metrics) and {@code GET /ping}.
 */
package io.sagebrush.gateway.invoke;
