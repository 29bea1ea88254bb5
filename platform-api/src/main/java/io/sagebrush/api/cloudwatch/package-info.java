/**
 * The CloudWatch API (metric alarms, PutMetricData, GetMetricStatistics) in its three protocols:
 * rpc-v2-cbor (AWS CLI, boto3), AWS JSON 1.0 and AWS Query (AWS SDK for Java v2), and the route
 * standalone gateways publish their metrics to.
 */
package io.sagebrush.api.cloudwatch;
