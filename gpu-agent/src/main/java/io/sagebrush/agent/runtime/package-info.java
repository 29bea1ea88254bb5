/**
 * The container runtime port: how a task's hosts are started, watched, signalled and cleaned up,
 * with the SageMaker {@code /opt/ml} layout and environment shared by every implementation.
 */
package io.sagebrush.agent.runtime;
