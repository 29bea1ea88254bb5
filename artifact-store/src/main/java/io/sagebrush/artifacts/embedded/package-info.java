/**
 * The embedded S3-compatible server (S3Proxy over a filesystem blob store) used in embedded mode
 * and by tests.
 */
package io.sagebrush.artifacts.embedded;
