package io.sagebrush.scheduler.endpoint.domain;

import io.sagebrush.scheduler.endpoint.domain.FleetDecision.EndReplica;
import io.sagebrush.scheduler.endpoint.domain.FleetDecision.PlaceRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides, from an endpoint, its fleets and replicas as stored and the time, what the reconciler
 * does next. Pure: no I/O and no clock of its own.
 *
 * <ol>
 *   <li>Replica deadlines: a replica not ready within its variant's download + startup timeouts (+
 *       slack) fails and gets a stop order (its capacity is held until the stop is confirmed or the
 *       stop timeout passes); a draining replica gets its stop order at its stop time; a stop order
 *       unanswered for the stop timeout ends the replica.
 *   <li>Deleting and Failed endpoints keep no replicas; a deleting endpoint goes once none is left.
 *   <li>Failures: a failed replica while Creating fails the endpoint; a failed new-fleet replica,
 *       the update's execution timeout, a new fleet that finds no capacity, or an
 *       AutoRollbackConfiguration alarm in ALARM while the new fleet takes traffic (blue/green:
 *       from the first traffic shift through the waits and TerminationWaitInSeconds; rolling: from
 *       the first batch's traffic through the last wait) rolls the update back. When the generation
 *       in service is not full at that moment, the abandoned generation keeps its ready replicas
 *       routed and retires them (in RollbackMaximumBatchSize batches, else all at once) as the
 *       generation in service comes back. A capacity change given up restores the count before it.
 *   <li>Update progress: blue/green (all at once, canary, linear traffic steps with waits; the wait
 *       after the last step is the bake) or rolling (batches; each old batch retired after its new
 *       batch is ready and the wait passed). Blue/green keeps the old fleet, unrouted, for
 *       TerminationWaitInSeconds after the last wait (the update is still in progress and can roll
 *       back); on completion the old fleet drains (out of the routing table at once, stopped after
 *       the drain delay).
 *   <li>Counts: every fleet is brought to the replicas it should have now: new ones placed, surplus
 *       ones retired (starting ones stopped, ready ones drained). After consecutive failures a
 *       fleet's replacements back off (1 s doubling to 60 s; a ready replica resets it).
 *   <li>Creating / Updating / RollingBack become InService once every variant is full.
 * </ol>
 */
public final class FleetDecider {
  private final FleetSettings settings;

  /**
   * The first replacement after a failure goes at once; later ones wait 1 s, 2 s, ... up to this.
   */
  static final Duration MAX_REPLACEMENT_BACKOFF = Duration.ofSeconds(60);

  /** A traffic shift this close to 1 is 1 (steps are fractions that need not add up exactly). */
  static final double SHIFT_EPSILON = 1e-9;

  public FleetDecider(FleetSettings settings) {
    this.settings = settings;
  }

  public FleetSettings settings() {
    return settings;
  }

  /** A replica's effective state during one pass. */
  private static final class Pass {
    final Map<String, ReplicaState> state = new HashMap<>();
    final Map<String, String> reason = new HashMap<>();
    final Map<String, Instant> since = new HashMap<>();
  }

  /** {@link #decide(Endpoint, List, List, Map, Instant)} with no alarm in ALARM. */
  public FleetDecision decide(
      Endpoint stored, List<Fleet> fleets, List<Replica> replicas, Instant now) {
    return decide(stored, fleets, replicas, Map.of(), now);
  }

  /**
   * Decides one pass.
   *
   * @param alarmsInAlarm the update's AutoRollbackConfiguration alarms that are in ALARM now (name
   *     to StateReason, in the order to report them); an update rolls back on the first while its
   *     new fleet takes traffic
   */
  public FleetDecision decide(
      Endpoint stored,
      List<Fleet> fleets,
      List<Replica> replicas,
      Map<String, String> alarmsInAlarm,
      Instant now) {
    Endpoint e = stored.copy();
    FleetDecision d = new FleetDecision(e);
    Pass p = new Pass();
    for (Replica r : replicas) {
      p.state.put(r.id(), r.state());
      p.reason.put(r.id(), r.failureReason());
      p.since.put(r.id(), r.stateSince());
    }
    deadlines(fleets, replicas, now, d, p);

    if (e.status() == EndpointStatus.DELETING || e.status() == EndpointStatus.FAILED) {
      stopAll(replicas, d, p);
      boolean anyLeft =
          replicas.stream()
              .anyMatch(r -> !p.state.get(r.id()).ended() && !d.end().containsKey(r.id()));
      if (e.status() == EndpointStatus.DELETING
          && (!anyLeft || !now.isBefore(e.statusSince().plus(settings.deleteTimeout())))) {
        d.markDelete();
      }
      return d;
    }

    if (e.status() == EndpointStatus.CREATING) {
      String failure = firstFailure(replicas, e.currentGeneration(), null, p);
      if (failure == null) {
        failure = placementFailure(fleets, e.currentGeneration(), now);
      }
      if (failure != null) {
        e.fail(failure, now);
        stopAll(replicas, d, p);
        return d;
      }
    }

    Duration retireDelay = settings.drainDelay();
    if (e.targetGeneration() != null) {
      String why = rollbackReason(e, fleets, replicas, alarmsInAlarm, now, p);
      if (why != null) {
        e.rollBack(
            "Endpoint update rolled back: " + why,
            full(fleets, replicas, e.currentGeneration(), p),
            now);
      } else if (progress(e, fleets, replicas, now, p)) {
        e.completeUpdate(now);
      }
    } else if (e.status() == EndpointStatus.ROLLING_BACK) {
      if (placementFailure(fleets, e.currentGeneration(), now) != null
          || !now.isBefore(e.statusSince().plus(settings.updateTimeout()))) {
        // The old fleet cannot come back to full size: serve with what runs, keep trying.
        e.markInService(now);
      }
    } else if (e.status() == EndpointStatus.UPDATING) {
      String why = placementFailure(fleets, e.currentGeneration(), now);
      if (why == null && !now.isBefore(e.statusSince().plus(settings.updateTimeout()))) {
        why =
            "The instance count change did not complete within "
                + settings.updateTimeout().toSeconds()
                + " seconds.";
      }
      if (why != null) {
        // Give up the capacity change: back to the count before it (never below what runs).
        for (Fleet f : fleets) {
          if (f.generation() == e.currentGeneration()) {
            int ready = ready(f, replicas, p);
            if (ready < f.desiredCount()) {
              int before = f.countBefore() == null ? ready : Math.max(f.countBefore(), ready);
              d.fleetChanges().add(f.revertedTo(Math.min(before, f.desiredCount())));
            }
          }
        }
        e.abandonScaling("Endpoint update rolled back: " + why, now);
      }
    }

    if (e.rollbackGeneration() != null
        && full(withChanges(fleets, d), replicas, e.currentGeneration(), p)) {
      // The generation in service is back: the abandoned one retires (all that is left of it).
      e.endRollback(now);
    }

    for (Fleet f : fleets) {
      Fleet effective = changed(d, f);
      int want;
      if (f.generation() == e.currentGeneration()) {
        want = keepOld(e, effective, fleets);
      } else if (e.targetGeneration() != null && f.generation() == e.targetGeneration()) {
        want = targetNew(e, effective, fleets);
      } else if (e.rollbackGeneration() != null && f.generation() == e.rollbackGeneration()) {
        want = keepAbandoned(e, effective, withChanges(fleets, d), replicas, p);
      } else {
        want = 0;
      }
      bringTo(effective, want, replicas, now, retireDelay, d, p);
    }

    if ((e.status() == EndpointStatus.CREATING
            || e.status() == EndpointStatus.UPDATING
            || e.status() == EndpointStatus.ROLLING_BACK)
        && e.targetGeneration() == null
        && full(withChanges(fleets, d), replicas, e.currentGeneration(), p)) {
      e.markInService(now);
    }

    for (Fleet f : fleets) {
      int g = f.generation();
      boolean kept =
          g == e.currentGeneration()
              || (e.targetGeneration() != null && g == e.targetGeneration())
              || (e.rollbackGeneration() != null && g == e.rollbackGeneration());
      boolean replicasLeft =
          replicas.stream().anyMatch(r -> r.generation() == g && !p.state.get(r.id()).ended());
      if (!kept && !replicasLeft) {
        d.dropGenerations().add(g);
      }
    }
    return d;
  }

  // ---- step 1: per-replica deadlines ----

  private void deadlines(
      List<Fleet> fleets, List<Replica> replicas, Instant now, FleetDecision d, Pass p) {
    for (Replica r : replicas) {
      switch (r.state()) {
        case STARTING -> {
          Fleet f = find(fleets, r.generation(), r.variantName());
          long budget = f == null ? 1200 : f.startBudgetSeconds();
          Instant deadline = r.createdAt().plusSeconds(budget).plus(settings.startupSlack());
          if (!now.isBefore(deadline)) {
            String reason =
                "The primary container for production variant "
                    + r.variantName()
                    + " did not pass the ping health check within "
                    + budget
                    + " seconds of its placement (model download and container startup"
                    + " timeouts).";
            // Its container may still run: stopped, its capacity held until that is confirmed.
            d.end().put(r.id(), new EndReplica(ReplicaState.FAILED, reason, true));
            p.state.put(r.id(), ReplicaState.FAILED);
            p.reason.put(r.id(), reason);
            p.since.put(r.id(), now);
          }
        }
        case DRAINING -> {
          if (r.stopAt() == null || !now.isBefore(r.stopAt())) {
            d.stop().add(r.id());
            p.state.put(r.id(), ReplicaState.STOPPING);
          }
        }
        case STOPPING -> {
          if (!now.isBefore(r.stateSince().plus(settings.stopTimeout()))) {
            d.end().put(r.id(), new EndReplica(ReplicaState.STOPPED, null));
            p.state.put(r.id(), ReplicaState.STOPPED);
          }
        }
        default -> {}
      }
    }
  }

  private static void stopAll(List<Replica> replicas, FleetDecision d, Pass p) {
    for (Replica r : replicas) {
      ReplicaState s = p.state.get(r.id());
      if (s.live() || s == ReplicaState.DRAINING) {
        d.drain().remove(r.id());
        d.stop().add(r.id());
        p.state.put(r.id(), ReplicaState.STOPPING);
      }
    }
  }

  // ---- step 3: failures ----

  /** The FailureReason naming the variant of the first failed replica of {@code generation}. */
  private static String firstFailure(
      List<Replica> replicas, int generation, Instant since, Pass p) {
    return replicas.stream()
        .filter(r -> r.generation() == generation)
        .filter(r -> p.state.get(r.id()) == ReplicaState.FAILED)
        .filter(r -> since == null || !p.since.get(r.id()).isBefore(since))
        .min(Comparator.comparing((Replica r) -> p.since.get(r.id())).thenComparing(Replica::id))
        .map(r -> pingFailure(r.variantName(), p.reason.get(r.id())))
        .orElse(null);
  }

  /**
   * The FailureReason for a replica that failed, from what the agent (or the control plane) said: a
   * reason that already names the variant as-is; an image or model data failure (the agent's {@code
   * ClientError: ...}) as a failed deployment; anything else as SageMaker's ping health check
   * failure with the reason appended.
   */
  public static String pingFailure(String variant, String reason) {
    String base =
        "The primary container for production variant "
            + variant
            + " did not pass the ping health check";
    if (reason == null || reason.isBlank()) {
      return base + ".";
    }
    String r = reason.strip();
    if (r.startsWith("The container for production variant")
        || r.startsWith("The primary container for production variant")) {
      return r;
    }
    if (r.startsWith("ClientError:")) {
      return "Failed to deploy production variant "
          + variant
          + ": "
          + r.substring("ClientError:".length()).strip();
    }
    return base + ": " + r;
  }

  private String placementFailure(List<Fleet> fleets, int generation, Instant now) {
    for (Fleet f : fleets) {
      if (f.generation() == generation
          && f.waitingSince() != null
          && !now.isBefore(f.waitingSince().plus(settings.placementTimeout()))) {
        return "Could not place production variant "
            + f.variantName()
            + " within "
            + settings.placementTimeout().toSeconds()
            + " seconds: "
            + f.waitingFor();
      }
    }
    return null;
  }

  private String rollbackReason(
      Endpoint e,
      List<Fleet> fleets,
      List<Replica> replicas,
      Map<String, String> alarmsInAlarm,
      Instant now,
      Pass p) {
    String failure = firstFailure(replicas, e.targetGeneration(), e.updateStartedAt(), p);
    if (failure != null) {
      return failure;
    }
    String capacity = placementFailure(fleets, e.targetGeneration(), now);
    if (capacity != null) {
      return capacity;
    }
    String alarm = alarmReason(e, alarmsInAlarm);
    if (alarm != null) {
      return alarm;
    }
    long limit = maxExecutionSeconds(e.updatePolicy());
    if (!now.isBefore(e.updateStartedAt().plusSeconds(limit))) {
      return "The update did not complete within " + limit + " seconds.";
    }
    return null;
  }

  /**
   * The first of the update's rollback alarms in ALARM, once the new fleet takes traffic:
   * blue/green from the first traffic shift (phase SHIFTING, which lasts through the waits and the
   * termination wait), rolling once the first batch is up (BAKING, or any later batch).
   */
  static String alarmReason(Endpoint e, Map<String, String> alarmsInAlarm) {
    DeploymentPolicy policy = e.updatePolicy();
    if (alarmsInAlarm.isEmpty() || policy == null || policy.rollbackAlarms().isEmpty()) {
      return null;
    }
    boolean rolling = policy.rolling() != null;
    boolean takesTraffic =
        rolling
            ? e.updatePhase() == UpdatePhase.BAKING || e.updateStep() > 1
            : e.updatePhase() == UpdatePhase.SHIFTING;
    if (!takesTraffic) {
      return null;
    }
    for (String name : policy.rollbackAlarms()) {
      if (alarmsInAlarm.containsKey(name)) {
        String reason = alarmsInAlarm.get(name);
        return "Alarm \""
            + name
            + "\" is in ALARM state"
            + (reason == null || reason.isBlank() ? "." : ": " + reason.strip());
      }
    }
    return null;
  }

  private long maxExecutionSeconds(DeploymentPolicy policy) {
    Integer max = null;
    if (policy != null && policy.blueGreen() != null) {
      max = policy.blueGreen().maximumExecutionTimeoutSeconds();
    } else if (policy != null && policy.rolling() != null) {
      max = policy.rolling().maximumExecutionTimeoutSeconds();
    }
    return max == null ? settings.updateTimeout().toSeconds() : max;
  }

  private static int terminationWait(DeploymentPolicy policy) {
    return policy == null || policy.blueGreen() == null
        ? 0
        : policy.blueGreen().terminationWaitSeconds();
  }

  // ---- step 4: update progress ----

  /** Moves the update on; true when it is complete. */
  private static boolean progress(
      Endpoint e, List<Fleet> fleets, List<Replica> replicas, Instant now, Pass p) {
    DeploymentPolicy policy = e.updatePolicy();
    List<Fleet> target = generation(fleets, e.targetGeneration());
    int total = target.stream().mapToInt(Fleet::desiredCount).sum();
    if (policy != null && policy.rolling() != null) {
      DeploymentPolicy.Rolling rolling = policy.rolling();
      int batch = batchSize(rolling.maximumBatchSize(), total);
      int step = e.updateStep();
      if (e.updatePhase() == UpdatePhase.PROVISIONING) {
        boolean batchReady =
            target.stream()
                .allMatch(f -> ready(f, replicas, p) >= Math.min(f.desiredCount(), step * batch));
        if (batchReady) {
          e.advanceUpdate(UpdatePhase.BAKING, step, e.trafficShift(), now);
        }
        return false;
      }
      if (now.isBefore(e.phaseSince().plusSeconds(rolling.waitIntervalSeconds()))) {
        return false;
      }
      int largest =
          fleets.stream()
              .filter(
                  f ->
                      f.generation() == e.currentGeneration()
                          || f.generation() == e.targetGeneration())
              .mapToInt(Fleet::desiredCount)
              .max()
              .orElse(0);
      if ((long) step * batch >= largest) {
        return true;
      }
      e.advanceUpdate(UpdatePhase.PROVISIONING, step + 1, e.trafficShift(), now);
      return false;
    }
    DeploymentPolicy.TrafficRouting routing =
        policy == null || policy.blueGreen() == null ? null : policy.blueGreen().trafficRouting();
    String type = routing == null ? "ALL_AT_ONCE" : routing.type();
    int wait = routing == null ? 0 : routing.waitIntervalSeconds();
    if (e.updatePhase() == UpdatePhase.PROVISIONING) {
      boolean allReady = target.stream().allMatch(f -> ready(f, replicas, p) >= f.desiredCount());
      if (allReady) {
        double first =
            switch (type) {
              case "CANARY" -> fraction(routing.canarySize(), total);
              case "LINEAR" -> linearShift(1, fraction(routing.linearStepSize(), total));
              default -> 1.0;
            };
        e.advanceUpdate(UpdatePhase.SHIFTING, 1, first, now);
      }
      return false;
    }
    if (e.trafficShift() >= 1.0) {
      // the bake, then TerminationWaitInSeconds with the old fleet kept (unrouted) for a rollback
      return !now.isBefore(
          e.phaseSince().plusSeconds((long) wait + terminationWait(e.updatePolicy())));
    }
    if (now.isBefore(e.phaseSince().plusSeconds(wait))) {
      return false;
    }
    double next =
        "LINEAR".equals(type)
            ? linearShift(e.updateStep() + 1, fraction(routing.linearStepSize(), total))
            : 1.0;
    e.advanceUpdate(UpdatePhase.SHIFTING, e.updateStep() + 1, next, now);
    return false;
  }

  /**
   * The traffic share after linear step {@code k} (1-based) of {@code step} each: computed from the
   * step index, not summed, and snapped to 1 when within {@link #SHIFT_EPSILON} of it.
   */
  static double linearShift(int k, double step) {
    double shift = k * step;
    return shift >= 1.0 - SHIFT_EPSILON ? 1.0 : shift;
  }

  /** A CapacitySize as a share of {@code total} instances, in (0, 1]. */
  static double fraction(DeploymentPolicy.CapacitySize size, int total) {
    if (size == null || total <= 0) {
      return 1.0;
    }
    double f =
        "CAPACITY_PERCENT".equals(size.type())
            ? size.value() / 100.0
            : (double) size.value() / total;
    return Math.max(Math.min(f, 1.0), 0.01);
  }

  /** A CapacitySize as a number of instances, at least 1. */
  static int batchSize(DeploymentPolicy.CapacitySize size, int total) {
    if (size == null) {
      return Math.max(1, total);
    }
    if ("CAPACITY_PERCENT".equals(size.type())) {
      return Math.max(1, (int) Math.ceil(total * size.value() / 100.0));
    }
    return Math.max(1, size.value());
  }

  /** Replicas the current generation keeps now (rolling updates retire it batch by batch). */
  private static int keepOld(Endpoint e, Fleet f, List<Fleet> fleets) {
    if (e.targetGeneration() == null
        || e.updatePolicy() == null
        || e.updatePolicy().rolling() == null) {
      return f.desiredCount();
    }
    int total =
        generation(fleets, e.targetGeneration()).stream().mapToInt(Fleet::desiredCount).sum();
    int batch = batchSize(e.updatePolicy().rolling().maximumBatchSize(), total);
    return Math.max(0, f.desiredCount() - (e.updateStep() - 1) * batch);
  }

  /**
   * Replicas a generation abandoned by a rollback keeps: never more than it has ready (it gets no
   * new ones), and enough to cover what the generation in service still lacks for the variant.
   * Without a RollbackMaximumBatchSize it keeps all of them until the generation in service is full
   * (then {@link Endpoint#endRollback} retires the rest at once); with one, the ones no longer
   * needed retire in whole batches of that size.
   */
  private static int keepAbandoned(
      Endpoint e, Fleet f, List<Fleet> fleets, List<Replica> replicas, Pass p) {
    Fleet current = find(fleets, e.currentGeneration(), f.variantName());
    int readyAbandoned = ready(f, replicas, p);
    if (current == null) {
      return 0;
    }
    int missing = Math.max(0, current.desiredCount() - ready(current, replicas, p));
    DeploymentPolicy.CapacitySize size =
        e.updatePolicy() == null || e.updatePolicy().rolling() == null
            ? null
            : e.updatePolicy().rolling().rollbackMaximumBatchSize();
    if (size == null) {
      return missing > 0 ? readyAbandoned : 0;
    }
    int total =
        generation(fleets, e.rollbackGeneration()).stream().mapToInt(Fleet::desiredCount).sum();
    int batch = batchSize(size, total);
    int surplus = readyAbandoned - Math.min(readyAbandoned, missing);
    return readyAbandoned - (surplus / batch) * batch;
  }

  /** Replicas the new generation should have now. */
  private static int targetNew(Endpoint e, Fleet f, List<Fleet> fleets) {
    if (e.updatePolicy() == null || e.updatePolicy().rolling() == null) {
      return f.desiredCount();
    }
    int total =
        generation(fleets, e.targetGeneration()).stream().mapToInt(Fleet::desiredCount).sum();
    int batch = batchSize(e.updatePolicy().rolling().maximumBatchSize(), total);
    return Math.min(f.desiredCount(), e.updateStep() * batch);
  }

  // ---- step 5: counts ----

  private void bringTo(
      Fleet f,
      int want,
      List<Replica> replicas,
      Instant now,
      Duration retireDelay,
      FleetDecision d,
      Pass p) {
    List<Replica> live = replicasOf(f, replicas, p);
    if (live.size() < want) {
      if (now.isBefore(nextReplacement(f, replicas, p))) {
        return;
      }
      d.place().add(new PlaceRequest(f.generation(), f.variantName(), want - live.size()));
      return;
    }
    int surplus = live.size() - want;
    if (surplus == 0) {
      return;
    }
    // Starting replicas first (they serve nothing), newest first.
    List<Replica> order = new ArrayList<>(live);
    order.sort(
        Comparator.comparing((Replica r) -> p.state.get(r.id()) == ReplicaState.READY)
            .thenComparing(Replica::createdAt, Comparator.reverseOrder())
            .thenComparing(Replica::id));
    for (Replica r : order.subList(0, surplus)) {
      if (p.state.get(r.id()) == ReplicaState.READY) {
        d.drain().put(r.id(), now.plus(retireDelay));
        p.state.put(r.id(), ReplicaState.DRAINING);
      } else {
        d.stop().add(r.id());
        p.state.put(r.id(), ReplicaState.STOPPING);
      }
    }
  }

  /**
   * When the fleet may place again after consecutive failures (those since its last replica became
   * ready): the first failure is replaced at once, then 1 s, 2 s, 4 s ... up to {@link
   * #MAX_REPLACEMENT_BACKOFF} after the latest failure, so a crash-looping model is not re-placed
   * on every pass.
   */
  private static Instant nextReplacement(Fleet f, List<Replica> replicas, Pass p) {
    Instant lastReady = null;
    for (Replica r : replicas) {
      if (r.of(f) && r.readyAt() != null && (lastReady == null || r.readyAt().isAfter(lastReady))) {
        lastReady = r.readyAt();
      }
    }
    int failures = 0;
    Instant lastFailure = null;
    for (Replica r : replicas) {
      if (!r.of(f) || p.state.get(r.id()) != ReplicaState.FAILED) {
        continue;
      }
      Instant at = p.since.get(r.id());
      if (lastReady != null && !at.isAfter(lastReady)) {
        continue;
      }
      failures++;
      if (lastFailure == null || at.isAfter(lastFailure)) {
        lastFailure = at;
      }
    }
    if (failures < 2) {
      return Instant.MIN;
    }
    long seconds = 1L << Math.min(failures - 2, 10);
    return lastFailure.plus(min(Duration.ofSeconds(seconds), MAX_REPLACEMENT_BACKOFF));
  }

  // ---- helpers ----

  private static List<Replica> replicasOf(Fleet f, List<Replica> replicas, Pass p) {
    return replicas.stream().filter(r -> r.of(f) && p.state.get(r.id()).live()).toList();
  }

  private static int ready(Fleet f, List<Replica> replicas, Pass p) {
    return (int)
        replicas.stream().filter(r -> r.of(f) && p.state.get(r.id()) == ReplicaState.READY).count();
  }

  private static boolean full(List<Fleet> fleets, List<Replica> replicas, int gen, Pass p) {
    return generation(fleets, gen).stream()
        .allMatch(f -> ready(f, replicas, p) >= f.desiredCount());
  }

  private static List<Fleet> generation(List<Fleet> fleets, Integer gen) {
    return gen == null ? List.of() : fleets.stream().filter(f -> f.generation() == gen).toList();
  }

  private static Fleet find(List<Fleet> fleets, int gen, String variant) {
    return fleets.stream()
        .filter(f -> f.generation() == gen && f.variantName().equals(variant))
        .findFirst()
        .orElse(null);
  }

  private static Fleet changed(FleetDecision d, Fleet f) {
    return d.fleetChanges().stream()
        .filter(c -> c.generation() == f.generation() && c.variantName().equals(f.variantName()))
        .findFirst()
        .orElse(f);
  }

  private static List<Fleet> withChanges(List<Fleet> fleets, FleetDecision d) {
    return fleets.stream().map(f -> changed(d, f)).toList();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
