package io.sagebrush.scheduler.endpoint.domain;

import io.sagebrush.protocol.RoutingTable.ReplicaRoute;
import io.sagebrush.protocol.RoutingTable.VariantRoute;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The traffic targets of one endpoint: each fleet of the generation in service (and, during an
 * update, of the new generation) with its ready replicas and its share of the variant's weight.
 *
 * <p>Blue/green: the old fleet gets {@code weight * (1 - shift)}, the new one {@code weight *
 * shift}. Rolling: each gets the variant's weight in proportion to its ready replicas. A fleet
 * without ready replicas, or whose share fell to zero during an update, is left out; draining
 * replicas are never routed. After a rollback that left the generation in service short, the
 * abandoned generation's ready replicas stay routed (shares in proportion to ready replicas) until
 * it is full again.
 */
public final class Routes {
  private Routes() {}

  public static List<VariantRoute> of(Endpoint e, List<Fleet> fleets, List<Replica> replicas) {
    List<VariantRoute> out = new ArrayList<>();
    Integer target = e.targetGeneration();
    // During an update the other generation is the new one; after a rollback that left the
    // generation in service short, it is the abandoned one, which serves until that is full.
    Integer other = target != null ? target : e.rollbackGeneration();
    boolean proportional =
        (target != null && e.updatePolicy() != null && e.updatePolicy().rolling() != null)
            || (target == null && other != null);
    List<Fleet> ordered = new ArrayList<>(fleets);
    ordered.sort(Comparator.comparing(Fleet::variantName).thenComparing(Fleet::generation));
    for (Fleet f : ordered) {
      boolean current = f.generation() == e.currentGeneration();
      boolean isOther = other != null && f.generation() == other;
      if (!current && !isOther) {
        continue;
      }
      List<ReplicaRoute> ready = readyOf(f, replicas);
      if (ready.isEmpty()) {
        continue;
      }
      double factor;
      if (other == null) {
        factor = 1.0;
      } else if (proportional) {
        int mine = ready.size();
        int theirs = 0;
        for (Fleet o : fleets) {
          boolean otherGen =
              current ? o.generation() == other : o.generation() == e.currentGeneration();
          if (otherGen && o.variantName().equals(f.variantName())) {
            theirs += readyOf(o, replicas).size();
          }
        }
        factor = (double) mine / (mine + theirs);
      } else {
        factor = current ? 1.0 - e.trafficShift() : e.trafficShift();
      }
      double weight = f.currentWeight() * factor;
      if (other != null && factor <= 0) {
        continue;
      }
      out.add(new VariantRoute(f.variantName(), String.valueOf(f.generation()), weight, ready));
    }
    return List.copyOf(out);
  }

  private static List<ReplicaRoute> readyOf(Fleet f, List<Replica> replicas) {
    return replicas.stream()
        .filter(r -> r.of(f) && r.state() == ReplicaState.READY && r.address() != null)
        .sorted(Comparator.comparing(Replica::id))
        .map(r -> new ReplicaRoute(r.id(), r.address()))
        .toList();
  }
}
