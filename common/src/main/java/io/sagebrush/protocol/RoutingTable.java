package io.sagebrush.protocol;

import java.util.List;

/**
 * What every inference gateway routes by: a versioned snapshot built by the control plane from the
 * endpoints and their ready replicas. A gateway swaps its whole table when a newer version arrives
 * and never asks the control plane on the request path.
 *
 * @param version increases with every change; a gateway asks for a table newer than the one it has
 * @param endpoints every endpoint that exists (an endpoint absent here is unknown to gateways)
 */
public record RoutingTable(long version, List<EndpointRoute> endpoints) {

  public static RoutingTable empty() {
    return new RoutingTable(0, List.of());
  }

  /**
   * One endpoint.
   *
   * @param endpointName the name clients call
   * @param endpointArn its ARN
   * @param status the SageMaker EndpointStatus ({@code InService}, {@code Creating}, ...); gateways
   *     serve {@code InService}, {@code Updating}, {@code SystemUpdating} and {@code RollingBack},
   *     and answer a ValidationError for the others
   * @param variants the traffic targets; during an update one variant name may appear twice (the
   *     old fleet and the new one), each with its share of the weight
   */
  public record EndpointRoute(
      String endpointName, String endpointArn, String status, List<VariantRoute> variants) {}

  /**
   * One traffic target: a variant's fleet.
   *
   * @param variantName reported in {@code X-Amzn-Invoked-Production-Variant}
   * @param fleet which fleet of the variant (distinguishes old and new during an update)
   * @param weight the variant's current weight; a target is chosen with probability weight / sum of
   *     weights (a zero weight is only reached by {@code TargetVariant})
   * @param replicas the ready replicas; the gateway picks the one with the fewest requests in
   *     flight
   */
  public record VariantRoute(
      String variantName, String fleet, double weight, List<ReplicaRoute> replicas) {}

  /**
   * One ready replica.
   *
   * @param replicaId the serving task id
   * @param url base URL, e.g. {@code http://10.0.0.5:32771}; {@code /ping} and {@code /invocations}
   *     are under it
   */
  public record ReplicaRoute(String replicaId, String url) {}
}
