/**
 * The agent's side of the agent protocol: the HTTP client for register, poll, task events and logs,
 * and the per-task outbox that delivers events and log batches in order, retrying until the control
 * plane accepts them.
 */
package io.sagebrush.agent.controlplane;
