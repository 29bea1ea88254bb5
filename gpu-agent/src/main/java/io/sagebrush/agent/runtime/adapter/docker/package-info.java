/**
 * The Docker runtime: one container per host on a per-job bridge network, through docker-java. The
 * only package that imports docker-java.
 */
package io.sagebrush.agent.runtime.adapter.docker;
