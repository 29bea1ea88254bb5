/**
 * Test fixtures for the black-box tests: the server and agent started as real processes from their
 * jars, AWS SDK clients pointed at them, training-job builders and archive helpers.
 */
package io.sagebrush.it.support;
