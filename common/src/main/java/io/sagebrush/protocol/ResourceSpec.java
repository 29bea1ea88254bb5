package io.sagebrush.protocol;

/**
 * Limits for each host's container.
 *
 * @param cpus CPU cores (fractional allowed)
 * @param memoryMb memory limit in MiB
 */
public record ResourceSpec(double cpus, long memoryMb) {}
