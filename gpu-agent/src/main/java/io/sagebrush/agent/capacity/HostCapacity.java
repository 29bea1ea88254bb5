package io.sagebrush.agent.capacity;

import io.sagebrush.protocol.GpuDevice;
import java.util.List;

/**
 * What an agent offers to the scheduler.
 *
 * @param cpus CPU cores
 * @param memoryMb memory in MiB
 * @param gpus GPUs, empty when there are none
 */
public record HostCapacity(int cpus, long memoryMb, List<GpuDevice> gpus) {
  public HostCapacity {
    gpus = List.copyOf(gpus);
  }
}
