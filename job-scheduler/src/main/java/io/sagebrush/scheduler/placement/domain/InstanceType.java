package io.sagebrush.scheduler.placement.domain;

/**
 * What one host of an instance type needs.
 *
 * @param name e.g. {@code ml.m5.large}
 * @param vcpus vCPUs per host
 * @param memoryMb memory per host, MiB
 * @param gpus GPUs per host
 */
public record InstanceType(String name, int vcpus, long memoryMb, int gpus) {

  /** {@code 2 vCPU, 8192 MiB} (plus {@code , 1 GPU} when it has GPUs). */
  public String describe() {
    return vcpus + " vCPU, " + memoryMb + " MiB" + (gpus > 0 ? ", " + gpus + " GPU" : "");
  }
}
