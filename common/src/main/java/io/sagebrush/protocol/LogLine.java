package io.sagebrush.protocol;

/** One line of container output. */
public record LogLine(long timestampMillis, String message) {}
