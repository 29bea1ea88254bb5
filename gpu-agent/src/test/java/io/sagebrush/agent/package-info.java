/** Tests of the agent's configuration, entry point, architecture and control-plane loop. */
package io.sagebrush.agent;
