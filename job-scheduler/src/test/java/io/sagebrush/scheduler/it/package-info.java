/** Integration tests on a real PostgreSQL with the Spring context, on virtual time. */
package io.sagebrush.scheduler.it;
