/** The agent API under /agent/v1 that remote and in-process agents call. */
package io.sagebrush.api.agentapi;
