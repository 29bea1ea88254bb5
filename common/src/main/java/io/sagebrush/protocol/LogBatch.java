package io.sagebrush.protocol;

import java.util.List;

/** Lines for one log stream of a task, in order. */
public record LogBatch(String agentId, String logStream, List<LogLine> lines) {}
