/** PostgreSQL tables for metric datapoints (aggregated per second) and metric alarms. */
package io.sagebrush.scheduler.cloudwatch.adapter.persistence;
