package io.sagebrush.scheduler.trainingjob.domain;

import java.time.Instant;

/** One entry of SecondaryStatusTransitions; {@code endTime} is null while it is current. */
public record StatusTransition(
    SecondaryStatus status, Instant startTime, Instant endTime, String statusMessage) {}
