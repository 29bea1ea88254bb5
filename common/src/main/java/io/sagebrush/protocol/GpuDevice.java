package io.sagebrush.protocol;

/** One GPU as nvidia-smi reports it. */
public record GpuDevice(int index, String uuid, String name, long memoryMb) {}
