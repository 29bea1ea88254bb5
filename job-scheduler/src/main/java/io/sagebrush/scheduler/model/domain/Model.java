package io.sagebrush.scheduler.model.domain;

import java.time.Instant;

/** A stored model. Container members are the JSON the client sent. */
public record Model(
    String name,
    String arn,
    String executionRoleArn,
    String primaryContainerJson,
    String containersJson,
    boolean enableNetworkIsolation,
    Instant creationTime) {}
