package io.sagebrush.scheduler.model.domain;

import java.time.Instant;

/** A stored endpoint configuration; {@code echoJson} holds the members Describe echoes. */
public record EndpointConfig(String name, String arn, String echoJson, Instant creationTime) {}
