package io.sagebrush.scheduler.trainingjob.domain;

import java.time.Instant;

/**
 * One change of a job's state, in the order it happened.
 *
 * @param state the state entered
 * @param secondaryStatus the secondary status shown from then on
 * @param reason a short machine-readable reason code, e.g. {@code PLACED}, {@code AGENT_LOST}
 * @param message the StatusMessage shown for it
 * @param time when it happened (from the injected clock)
 */
public record HistoryEntry(
    TrainingJobState state,
    SecondaryStatus secondaryStatus,
    String reason,
    String message,
    Instant time) {}
