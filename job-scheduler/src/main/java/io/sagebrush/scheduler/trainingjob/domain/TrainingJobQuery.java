package io.sagebrush.scheduler.trainingjob.domain;

import io.sagebrush.scheduler.common.SortOrder;
import java.time.Instant;

/**
 * ListTrainingJobs filters. Null members do not filter.
 *
 * @param sortBy {@code Name}, {@code CreationTime} (default) or {@code Status}
 * @param sortOrder default Ascending
 * @param maxResults 1..100, default 10
 * @param nextToken token from an earlier page; an invalid one is a ValidationException
 */
public record TrainingJobQuery(
    String nameContains,
    TrainingJobStatus statusEquals,
    Instant creationTimeAfter,
    Instant creationTimeBefore,
    Instant lastModifiedTimeAfter,
    Instant lastModifiedTimeBefore,
    String sortBy,
    SortOrder sortOrder,
    int maxResults,
    String nextToken) {}
