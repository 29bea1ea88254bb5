/** PostgreSQL persistence of registered agents. */
package io.sagebrush.scheduler.agent.adapter.persistence;
