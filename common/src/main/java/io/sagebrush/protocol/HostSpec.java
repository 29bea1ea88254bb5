package io.sagebrush.protocol;

import java.util.List;

/**
 * One host (container) of a task.
 *
 * @param hostName {@code algo-1} .. {@code algo-N}
 * @param logStream the log stream its output goes to, e.g. {@code job/algo-1-1732600000}
 * @param gpuIndices GPUs reserved for it on the agent (device indices), empty for none
 */
public record HostSpec(String hostName, String logStream, List<Integer> gpuIndices) {}
