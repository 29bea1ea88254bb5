package io.sagebrush.gateway.routing;

import io.sagebrush.gateway.metrics.GatewayMetrics;
import io.sagebrush.protocol.RoutingTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's compiled routing table. {@link #apply} swaps in a new snapshot (one volatile
 * write); the request path reads it with {@link #endpoint} and never blocks. Replicas that stay in
 * the table keep their state across swaps; replicas that leave it are retired: they get no new
 * requests, and requests already in flight on them complete.
 */
public final class Router {
  private static final Logger log = LoggerFactory.getLogger(Router.class);

  private final GatewayMetrics metrics;
  private final Consumer<List<Replica>> onRetired;
  private final Map<String, Replica> replicas = new HashMap<>();
  private volatile Map<String, EndpointTarget> endpoints = Map.of();
  private volatile long version = -1;

  /**
   * @param onRetired told, after a swap, of the replicas that left the table
   */
  public Router(GatewayMetrics metrics, Consumer<List<Replica>> onRetired) {
    this.metrics = metrics;
    this.onRetired = onRetired;
  }

  /** The endpoint of that name, or null. */
  public EndpointTarget endpoint(String name) {
    return endpoints.get(name);
  }

  public long version() {
    return version;
  }

  /** Compiles the table and makes it the one requests are routed by. */
  public synchronized void apply(RoutingTable table) {
    Map<String, Replica> kept = new HashMap<>();
    Map<String, EndpointTarget> compiled = new HashMap<>();
    List<RoutingTable.EndpointRoute> endpointRoutes =
        table.endpoints() == null ? List.of() : table.endpoints();
    for (RoutingTable.EndpointRoute endpoint : endpointRoutes) {
      List<RoutingTable.VariantRoute> variants =
          endpoint.variants() == null ? List.of() : endpoint.variants();
      Map<String, Integer> perVariant = new HashMap<>();
      for (RoutingTable.VariantRoute v : variants) {
        perVariant.merge(
            v.variantName(), v.replicas() == null ? 0 : v.replicas().size(), Integer::sum);
      }
      List<RouteTarget> routes = new ArrayList<>();
      for (RoutingTable.VariantRoute v : variants) {
        List<Replica> targets = new ArrayList<>();
        for (RoutingTable.ReplicaRoute r :
            v.replicas() == null ? List.<RoutingTable.ReplicaRoute>of() : v.replicas()) {
          String key = r.replicaId() + '\u0000' + r.url();
          Replica replica = kept.get(key);
          if (replica == null) {
            replica = replicas.get(key);
            if (replica == null) {
              try {
                replica = new Replica(r.replicaId(), r.url());
              } catch (IllegalArgumentException e) {
                log.warn(
                    "Ignoring replica {} with a bad URL {}: {}",
                    r.replicaId(),
                    r.url(),
                    e.getMessage());
                continue;
              }
            }
            kept.put(key, replica);
          }
          targets.add(replica);
        }
        routes.add(
            new RouteTarget(
                v.variantName(),
                v.fleet(),
                v.weight(),
                List.copyOf(targets),
                perVariant.getOrDefault(v.variantName(), 0),
                metrics.variant(endpoint.endpointName(), v.variantName())));
      }
      compiled.put(
          endpoint.endpointName(),
          new EndpointTarget(
              endpoint.endpointName(), endpoint.endpointArn(), endpoint.status(), routes));
    }
    List<Replica> retired = new ArrayList<>();
    for (Map.Entry<String, Replica> e : replicas.entrySet()) {
      if (!kept.containsKey(e.getKey())) {
        e.getValue().retire();
        retired.add(e.getValue());
      }
    }
    replicas.clear();
    replicas.putAll(kept);
    endpoints = Map.copyOf(compiled);
    version = table.version();
    metrics.tableVersion(table.version());
    log.debug(
        "Routing table {}: {} endpoints, {} replicas ({} retired)",
        table.version(),
        compiled.size(),
        kept.size(),
        retired.size());
    if (!retired.isEmpty()) {
      onRetired.accept(retired);
    }
  }
}
