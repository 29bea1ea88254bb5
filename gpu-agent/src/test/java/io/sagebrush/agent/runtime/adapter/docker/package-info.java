/** Tests of the Docker runtime against the real engine. */
package io.sagebrush.agent.runtime.adapter.docker;
