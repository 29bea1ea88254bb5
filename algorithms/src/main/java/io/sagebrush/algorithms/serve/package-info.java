/**
 * The inference side of the container contract: an HTTP server with {@code GET /ping} and {@code
 * POST /invocations}, request parsing (CSV, libsvm, JSON, JSON Lines) and SageMaker's response
 * shapes.
 */
package io.sagebrush.algorithms.serve;
