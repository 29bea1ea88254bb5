/** The CloudWatch operations, the leader's alarm evaluation loop and the rollback-alarm port. */
package io.sagebrush.scheduler.cloudwatch.service;
