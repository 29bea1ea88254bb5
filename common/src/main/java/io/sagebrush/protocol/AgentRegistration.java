package io.sagebrush.protocol;

import java.util.List;

/**
 * What an agent offers when it (re)registers.
 *
 * @param agentId the id from an earlier registration, or null for a new agent
 * @param name a human-readable name (host name by default)
 * @param cpus CPU cores the agent offers
 * @param memoryMb memory it offers, in MiB
 * @param gpus GPUs discovered with nvidia-smi (empty when there are none)
 * @param runtime {@code docker} or {@code process}
 * @param version the agent's version
 */
public record AgentRegistration(
    String agentId,
    String name,
    int cpus,
    long memoryMb,
    List<GpuDevice> gpus,
    String runtime,
    String version) {
  public static final String RUNTIME_DOCKER = "docker";
  public static final String RUNTIME_PROCESS = "process";
}
