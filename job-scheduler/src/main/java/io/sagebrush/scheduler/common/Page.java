package io.sagebrush.scheduler.common;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param items the page
 * @param nextToken opaque token for the next page, null when this is the last
 */
public record Page<T>(List<T> items, String nextToken) {}
