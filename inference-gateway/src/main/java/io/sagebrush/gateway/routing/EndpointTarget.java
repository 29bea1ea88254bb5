package io.sagebrush.gateway.routing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * One endpoint of a compiled routing table: its status and traffic targets, and the choices the
 * request path makes over them. Immutable; replicas carry the only mutable state (in-flight counts,
 * health).
 */
public final class EndpointTarget {
  /** The statuses in which an endpoint answers invocations (with its current fleet). */
  public static final Set<String> SERVING_STATUSES =
      Set.of("InService", "Updating", "SystemUpdating", "RollingBack");

  private final String name;
  private final String arn;
  private final String status;
  private final List<RouteTarget> routes;
  private final RouteTarget[] weighted;
  private final double[] cumulative;
  private final Map<String, List<RouteTarget>> byVariant;

  public EndpointTarget(String name, String arn, String status, List<RouteTarget> routes) {
    this.name = name;
    this.arn = arn;
    this.status = status;
    this.routes = List.copyOf(routes);
    Map<String, List<RouteTarget>> variants = new LinkedHashMap<>();
    for (RouteTarget route : this.routes) {
      variants.computeIfAbsent(route.variantName(), k -> new ArrayList<>()).add(route);
    }
    variants.replaceAll((k, v) -> List.copyOf(v));
    this.byVariant = Map.copyOf(variants);
    // only targets that can serve take part in the weighted choice
    List<RouteTarget> candidates = new ArrayList<>();
    for (RouteTarget route : this.routes) {
      if (!route.replicas().isEmpty() && route.weight() > 0) {
        candidates.add(route);
      }
    }
    if (candidates.isEmpty()) {
      // all weights zero: share evenly between the targets that have replicas
      for (RouteTarget route : this.routes) {
        if (!route.replicas().isEmpty()) {
          candidates.add(route);
        }
      }
    }
    this.weighted = candidates.toArray(RouteTarget[]::new);
    this.cumulative = cumulativeWeights(weighted);
  }

  public String name() {
    return name;
  }

  public String arn() {
    return arn;
  }

  public String status() {
    return status;
  }

  public List<RouteTarget> routes() {
    return routes;
  }

  public boolean serving() {
    return status != null && SERVING_STATUSES.contains(status);
  }

  /** True when at least one target has a ready replica. */
  public boolean hasReadyReplica() {
    return weighted.length > 0;
  }

  /** The targets of a variant, or null when the endpoint has no such variant. */
  public List<RouteTarget> variant(String variantName) {
    return byVariant.get(variantName);
  }

  /**
   * A target chosen with probability weight / sum of weights among the targets that have replicas
   * (evenly when all weights are zero); null when no target has a replica.
   *
   * @param random01 a uniform random number in [0, 1)
   */
  public RouteTarget chooseRoute(double random01) {
    return choose(weighted, cumulative, random01);
  }

  /** The weighted choice among some targets (a pinned variant's fleets); null when none serve. */
  public static RouteTarget chooseAmong(List<RouteTarget> targets, double random01) {
    if (targets.size() == 1) {
      return targets.get(0).replicas().isEmpty() ? null : targets.get(0);
    }
    List<RouteTarget> serving = new ArrayList<>();
    for (RouteTarget t : targets) {
      if (!t.replicas().isEmpty() && t.weight() > 0) {
        serving.add(t);
      }
    }
    if (serving.isEmpty()) {
      for (RouteTarget t : targets) {
        if (!t.replicas().isEmpty()) {
          serving.add(t);
        }
      }
    }
    RouteTarget[] array = serving.toArray(RouteTarget[]::new);
    return choose(array, cumulativeWeights(array), random01);
  }

  private static RouteTarget choose(RouteTarget[] targets, double[] cumulative, double random01) {
    int n = targets.length;
    if (n == 0) {
      return null;
    }
    if (n == 1) {
      return targets[0];
    }
    double point = random01 * cumulative[n - 1];
    for (int i = 0; i < n - 1; i++) {
      if (point < cumulative[i]) {
        return targets[i];
      }
    }
    return targets[n - 1];
  }

  private static double[] cumulativeWeights(RouteTarget[] targets) {
    double[] cumulative = new double[targets.length];
    boolean allZero = true;
    for (RouteTarget t : targets) {
      allZero &= !(t.weight() > 0);
    }
    double sum = 0;
    for (int i = 0; i < targets.length; i++) {
      sum += allZero ? 1.0 : Math.max(0, targets[i].weight());
      cumulative[i] = sum;
    }
    return cumulative;
  }

  /**
   * The replica of {@code replicas} with the fewest requests in flight, ties broken at random,
   * skipping {@code exclude} and preferring healthy replicas; null when every replica is excluded.
   */
  public static Replica leastOutstanding(
      List<Replica> replicas, Collection<Replica> exclude, long nowNanos, RandomGenerator random) {
    Replica best = pick(replicas, exclude, nowNanos, random, true);
    return best != null ? best : pick(replicas, exclude, nowNanos, random, false);
  }

  private static Replica pick(
      List<Replica> replicas,
      Collection<Replica> exclude,
      long nowNanos,
      RandomGenerator random,
      boolean healthyOnly) {
    Replica best = null;
    int bestCount = Integer.MAX_VALUE;
    int ties = 0;
    for (int i = 0, n = replicas.size(); i < n; i++) {
      Replica r = replicas.get(i);
      if (r.retired()
          || (exclude != null && !exclude.isEmpty() && exclude.contains(r))
          || (healthyOnly && !r.healthy(nowNanos))) {
        continue;
      }
      int count = r.outstanding();
      if (count < bestCount) {
        best = r;
        bestCount = count;
        ties = 1;
      } else if (count == bestCount && random.nextInt(++ties) == 0) {
        best = r;
      }
    }
    return best;
  }

  /** A target and one of its replicas. */
  public record Pick(RouteTarget route, Replica replica) {}

  /**
   * Where a request goes after its replica refused it: first another replica of the same target,
   * then of the other targets (of the same variant when {@code sameVariantOnly}); null when every
   * replica has been tried.
   */
  public Pick retryTarget(
      RouteTarget current,
      boolean sameVariantOnly,
      Collection<Replica> tried,
      long nowNanos,
      RandomGenerator random) {
    Replica replica = leastOutstanding(current.replicas(), tried, nowNanos, random);
    if (replica != null) {
      return new Pick(current, replica);
    }
    for (boolean healthyOnly : new boolean[] {true, false}) {
      Pick best = null;
      int bestCount = Integer.MAX_VALUE;
      for (RouteTarget route : routes) {
        if (route == current
            || (sameVariantOnly && !route.variantName().equals(current.variantName()))) {
          continue;
        }
        Replica r = pick(route.replicas(), tried, nowNanos, random, healthyOnly);
        if (r != null && r.outstanding() < bestCount) {
          best = new Pick(route, r);
          bestCount = r.outstanding();
        }
      }
      if (best != null) {
        return best;
      }
    }
    return null;
  }
}
