package io.sagebrush.gateway.routing;

import io.sagebrush.gateway.metrics.VariantMeters;
import java.util.List;

/**
 * One traffic target of an endpoint (a variant's fleet) with its replicas.
 *
 * @param variantName the production variant
 * @param fleet which fleet of the variant
 * @param weight its share of the endpoint's traffic
 * @param replicas its ready replicas
 * @param variantReplicas replicas of all fleets of the same variant (for InvocationsPerInstance)
 * @param meters the variant's meters
 */
public record RouteTarget(
    String variantName,
    String fleet,
    double weight,
    List<Replica> replicas,
    int variantReplicas,
    VariantMeters meters) {}
