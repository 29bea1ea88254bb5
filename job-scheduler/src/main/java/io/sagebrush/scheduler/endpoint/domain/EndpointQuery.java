package io.sagebrush.scheduler.endpoint.domain;

import io.sagebrush.scheduler.common.SortOrder;
import java.time.Instant;

/** ListEndpoints filters; sortBy is Name, CreationTime (default) or Status. */
public record EndpointQuery(
    String nameContains,
    Instant creationTimeAfter,
    Instant creationTimeBefore,
    Instant lastModifiedTimeAfter,
    Instant lastModifiedTimeBefore,
    EndpointStatus statusEquals,
    String sortBy,
    SortOrder sortOrder,
    int maxResults,
    String nextToken) {}
