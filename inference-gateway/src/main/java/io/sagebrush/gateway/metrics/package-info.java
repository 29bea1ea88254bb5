/** Per endpoint and variant invocation metrics, named after SageMaker's CloudWatch metrics. */
package io.sagebrush.gateway.metrics;
