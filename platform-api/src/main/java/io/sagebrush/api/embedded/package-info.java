/**
 * Embedded mode: the server's home directory, credentials, embedded PostgreSQL, embedded S3 and the
 * in-process agent.
 */
package io.sagebrush.api.embedded;
