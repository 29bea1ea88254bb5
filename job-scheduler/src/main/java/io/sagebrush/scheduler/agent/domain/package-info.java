/** Registered agents as the scheduler sees them; no Spring, JPA or Jackson. */
package io.sagebrush.scheduler.agent.domain;
