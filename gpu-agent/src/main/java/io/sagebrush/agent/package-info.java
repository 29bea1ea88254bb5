/**
 * The Sagebrush worker agent: {@link io.sagebrush.agent.Agent} registers with a control plane,
 * long-polls for tasks and runs them; {@link io.sagebrush.agent.AgentMain} is the standalone jar's
 * entry point.
 */
package io.sagebrush.agent;
