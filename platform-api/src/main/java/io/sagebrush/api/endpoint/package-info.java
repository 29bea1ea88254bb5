/** The SageMaker endpoint operations and the routing-table feed for inference gateways. */
package io.sagebrush.api.endpoint;
