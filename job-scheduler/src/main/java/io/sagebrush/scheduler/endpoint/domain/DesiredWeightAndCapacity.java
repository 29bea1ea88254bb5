package io.sagebrush.scheduler.endpoint.domain;

/** One entry of UpdateEndpointWeightsAndCapacities; null members stay as they are. */
public record DesiredWeightAndCapacity(
    String variantName, Double desiredWeight, Integer desiredInstanceCount) {}
