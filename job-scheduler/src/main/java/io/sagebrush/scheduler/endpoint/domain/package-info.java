/** Endpoints: status, variant summaries, deployment policies, the fleet's decisions. */
package io.sagebrush.scheduler.endpoint.domain;
