package io.sagebrush.scheduler.model.domain;

import io.sagebrush.scheduler.common.SortOrder;
import java.time.Instant;

/**
 * ListModels filters. Null members do not filter.
 *
 * @param sortBy {@code Name} or {@code CreationTime} (default)
 * @param sortOrder default Descending
 * @param maxResults 1..100, default 10
 */
public record ModelQuery(
    String nameContains,
    Instant creationTimeAfter,
    Instant creationTimeBefore,
    String sortBy,
    SortOrder sortOrder,
    int maxResults,
    String nextToken) {}
