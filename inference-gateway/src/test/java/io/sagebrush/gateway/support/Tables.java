package io.sagebrush.gateway.support;

import io.sagebrush.protocol.RoutingTable;
import io.sagebrush.protocol.RoutingTable.EndpointRoute;
import io.sagebrush.protocol.RoutingTable.ReplicaRoute;
import io.sagebrush.protocol.RoutingTable.VariantRoute;
import java.util.ArrayList;
import java.util.List;

/** Prose-named builders for routing tables. */
public final class Tables {
  private Tables() {}

  public static RoutingTable aTable(long version, EndpointRoute... endpoints) {
    return new RoutingTable(version, List.of(endpoints));
  }

  public static EndpointRoute anEndpoint(String name, VariantRoute... variants) {
    return anEndpoint(name, "InService", variants);
  }

  public static EndpointRoute anEndpoint(String name, String status, VariantRoute... variants) {
    return new EndpointRoute(
        name,
        "arn:aws:sagemaker:us-east-1:000000000000:endpoint/" + name,
        status,
        List.of(variants));
  }

  /** A variant fleet; each URL becomes a replica named after the variant and its position. */
  public static VariantRoute aVariant(String name, double weight, String... urls) {
    return aFleet(name, "f1", weight, urls);
  }

  public static VariantRoute aFleet(String name, String fleet, double weight, String... urls) {
    List<ReplicaRoute> replicas = new ArrayList<>();
    for (int i = 0; i < urls.length; i++) {
      replicas.add(new ReplicaRoute(name + "-" + fleet + "-" + i, urls[i]));
    }
    return new VariantRoute(name, fleet, weight, replicas);
  }
}
