/** A minimal CloudWatch: metric datapoints, metric alarms and their evaluation. */
package io.sagebrush.scheduler.cloudwatch;
