package io.sagebrush.scheduler.endpoint.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the {@link FleetDecider} wants done for one endpoint in one pass; the reconciler applies it
 * in one transaction. Every part is idempotent against the state it was decided from.
 */
public final class FleetDecision {
  /** Replicas to place for a fleet. */
  public record PlaceRequest(int generation, String variantName, int count) {}

  /**
   * A replica the control plane ends (deadline passed): FAILED with a reason, or STOPPED.
   *
   * @param stop its container may still run: it gets a stop order and keeps its capacity until the
   *     agent confirms the stop (or the stop timeout passes)
   */
  public record EndReplica(ReplicaState state, String reason, boolean stop) {
    public EndReplica(ReplicaState state, String reason) {
      this(state, reason, false);
    }
  }

  private final Endpoint endpoint;
  private final List<PlaceRequest> place = new ArrayList<>();
  private final Map<String, Instant> drain = new LinkedHashMap<>();
  private final Set<String> stop = new LinkedHashSet<>();
  private final Map<String, EndReplica> end = new LinkedHashMap<>();
  private final List<Fleet> fleetChanges = new ArrayList<>();
  private final Set<Integer> dropGenerations = new LinkedHashSet<>();
  private boolean delete;

  FleetDecision(Endpoint endpoint) {
    this.endpoint = endpoint;
  }

  /** The endpoint as it should be stored (compare with the one decided on). */
  public Endpoint endpoint() {
    return endpoint;
  }

  public List<PlaceRequest> place() {
    return place;
  }

  /** Replica id to the time its stop order goes out; it leaves the routing table now. */
  public Map<String, Instant> drain() {
    return drain;
  }

  /** Replicas whose stop order goes out now. */
  public Set<String> stop() {
    return stop;
  }

  public Map<String, EndReplica> end() {
    return end;
  }

  /** Fleets whose desired count or weights change. */
  public List<Fleet> fleetChanges() {
    return fleetChanges;
  }

  /** Generations whose fleet rows go (no replica of theirs is left). */
  public Set<Integer> dropGenerations() {
    return dropGenerations;
  }

  /** The endpoint row goes (it was deleting and its replicas ended). */
  public boolean delete() {
    return delete;
  }

  void markDelete() {
    delete = true;
  }

  /** True when applying this changes nothing but possibly the endpoint. */
  public boolean replicasUnchanged() {
    return place.isEmpty()
        && drain.isEmpty()
        && stop.isEmpty()
        && end.isEmpty()
        && fleetChanges.isEmpty()
        && dropGenerations.isEmpty()
        && !delete;
  }
}
