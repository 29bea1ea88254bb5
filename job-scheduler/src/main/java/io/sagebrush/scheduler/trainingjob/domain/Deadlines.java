package io.sagebrush.scheduler.trainingjob.domain;

import java.time.Duration;

/**
 * How long a job may stay in each non-terminal state.
 *
 * @param placedNotAcknowledged PLACED without the agent taking the task: requeue, or fail after
 *     {@code maxPlacementAttempts}
 * @param maxPlacementAttempts placements before a job that no agent takes fails
 * @param preparing PLACED (acknowledged) or DOWNLOADING: fail
 * @param uploading UPLOADING: fail
 * @param stopping STOPPING without the agent confirming: Stopped forcibly
 * @param maxRuntimeSlack TRAINING longer than MaxRuntimeInSeconds plus this: stop for max runtime
 *     (the agent normally stops it first)
 */
public record Deadlines(
    Duration placedNotAcknowledged,
    int maxPlacementAttempts,
    Duration preparing,
    Duration uploading,
    Duration stopping,
    Duration maxRuntimeSlack) {}
