/** Log streams and events as the log store keeps them. */
package io.sagebrush.scheduler.logs.domain;
