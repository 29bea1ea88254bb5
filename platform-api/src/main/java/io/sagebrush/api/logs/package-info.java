/** The CloudWatch Logs edge (Logs_20140328.*) over the scheduler's log store. */
package io.sagebrush.api.logs;
