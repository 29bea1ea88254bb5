package io.sagebrush.scheduler.endpoint.service;

import io.sagebrush.common.arn.Arns;
import io.sagebrush.protocol.AgentRegistration;
import io.sagebrush.protocol.HostSpec;
import io.sagebrush.protocol.ResourceSpec;
import io.sagebrush.protocol.ServingSpec;
import io.sagebrush.protocol.TaskAssignment;
import io.sagebrush.protocol.TaskEvent;
import io.sagebrush.protocol.TaskKind;
import io.sagebrush.protocol.TaskPhase;
import io.sagebrush.scheduler.agent.adapter.persistence.AgentStore;
import io.sagebrush.scheduler.agent.domain.RegisteredAgent;
import io.sagebrush.scheduler.agent.service.AgentSignals;
import io.sagebrush.scheduler.endpoint.adapter.persistence.EndpointStore;
import io.sagebrush.scheduler.endpoint.domain.Endpoint;
import io.sagebrush.scheduler.endpoint.domain.Fleet;
import io.sagebrush.scheduler.endpoint.domain.FleetDecider;
import io.sagebrush.scheduler.endpoint.domain.FleetDecision;
import io.sagebrush.scheduler.endpoint.domain.Replica;
import io.sagebrush.scheduler.endpoint.domain.ReplicaState;
import io.sagebrush.scheduler.endpoint.domain.ServingTask;
import io.sagebrush.scheduler.leader.Signal;
import io.sagebrush.scheduler.logs.service.LogStore;
import io.sagebrush.scheduler.placement.domain.AgentCapacity;
import io.sagebrush.scheduler.placement.domain.BuiltInImages;
import io.sagebrush.scheduler.placement.domain.InstanceCatalogue;
import io.sagebrush.scheduler.placement.domain.InstanceType;
import io.sagebrush.scheduler.placement.domain.Placement;
import io.sagebrush.scheduler.placement.domain.PlacementDecision;
import io.sagebrush.scheduler.trainingjob.adapter.persistence.CasRetry;
import io.sagebrush.scheduler.trainingjob.adapter.persistence.TrainingJobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps every endpoint's fleets as the {@link FleetDecider} wants them. Run by the leader (woken by
 * nudges: create, update, delete, replica events; else every reconcile interval). Also applies the
 * agents' observations of serving replicas.
 *
 * <ol>
 *   <li>For each endpoint, in its own transaction: decide on it as committed; when that wants
 *       nothing done the endpoint is left alone (not locked). Otherwise lock the endpoint row, load
 *       fleets and replicas again, decide. A fleet that found no capacity tries again after {@link
 *       #PLACEMENT_RETRY} or the next nudge, not on every pass.
 *   <li>Apply: end, stop and drain replicas; write fleet and endpoint changes; place new replicas
 *       on agents (capacity shared with training, under the placement lock) with their serving
 *       assignments and log streams; delete a deleted endpoint's rows.
 *   <li>Bump the routing version when gateways must see the change; after commit wake the agents
 *       that got orders.
 *   <li>Every {@link #HOUSEKEEPING_INTERVAL}: purge long-ended replicas and free the capacity of
 *       failed replicas whose stop was not confirmed within the stop timeout.
 * </ol>
 */
public class FleetReconciler {
  private static final Logger LOG = LoggerFactory.getLogger(FleetReconciler.class);

  /** The port serving containers listen on (SageMaker's hosting contract). */
  public static final int CONTAINER_PORT = 8080;

  /** Ended replicas are kept this long (the decider reads recent failures). */
  static final Duration KEEP_ENDED = Duration.ofHours(1);

  /** Housekeeping (purging ended replicas, giving up on unconfirmed stops) runs this often. */
  static final Duration HOUSEKEEPING_INTERVAL = Duration.ofSeconds(5);

  /**
   * A fleet that found no capacity tries again after this, or sooner when the loop was nudged (an
   * agent registered, a replica ended, an endpoint changed).
   */
  static final Duration PLACEMENT_RETRY = Duration.ofSeconds(2);

  /** A fleet's last placement attempt that found no capacity. */
  private record Attempt(Instant at, long nudges) {}

  private final Map<String, Attempt> waitingAttempts = new ConcurrentHashMap<>();
  private volatile Instant lastHousekeeping;

  private final TransactionTemplate tx;
  private final EndpointStore store;
  private final TrainingJobStore jobs;
  private final AgentStore agents;
  private final LogStore logs;
  private final InstanceCatalogue catalogue;
  private final Placement placement;
  private final FleetDecider decider;
  private final Arns arns;
  private final Clock clock;
  private final AgentSignals signals;
  private final Duration stopGrace;
  private final RollbackAlarms rollbackAlarms;
  private final Signal trigger = new Signal();

  /**
   * @param rollbackAlarms the states of the alarms an update's AutoRollbackConfiguration names
   *     ({@link RollbackAlarms#NONE} where there is no alarm service)
   */
  public FleetReconciler(
      TransactionTemplate tx,
      EndpointStore store,
      TrainingJobStore jobs,
      AgentStore agents,
      LogStore logs,
      InstanceCatalogue catalogue,
      Placement placement,
      FleetDecider decider,
      Arns arns,
      Clock clock,
      AgentSignals signals,
      Duration stopGrace,
      RollbackAlarms rollbackAlarms) {
    this.rollbackAlarms = rollbackAlarms;
    this.tx = tx;
    this.store = store;
    this.jobs = jobs;
    this.agents = agents;
    this.logs = logs;
    this.catalogue = catalogue;
    this.placement = placement;
    this.decider = decider;
    this.arns = arns;
    this.clock = clock;
    this.signals = signals;
    this.stopGrace = stopGrace;
  }

  /** The CloudWatch log group of an endpoint's replicas. */
  public static String logGroup(String endpointName) {
    return "/aws/sagemaker/Endpoints/" + endpointName;
  }

  /** Asks the loop to run soon. */
  public void nudge() {
    trigger.fire();
  }

  /** The signal {@link #nudge()} fires; the loop waits on it. */
  public Signal trigger() {
    return trigger;
  }

  /**
   * One pass over every endpoint.
   *
   * @return how many endpoints changed
   */
  public int reconcileOnce() {
    housekeeping();
    List<Long> ids = tx.execute(s -> store.ids());
    int changed = 0;
    for (long id : ids) {
      Set<String> wake = new HashSet<>();
      try {
        boolean c =
            Boolean.TRUE.equals(
                CasRetry.run(
                    () -> {
                      wake.clear();
                      return tx.execute(s -> reconcile(id, wake));
                    }));
        if (c) {
          changed++;
        }
      } catch (RuntimeException e) {
        LOG.warn("Reconciling endpoint {} failed: {}", id, e.toString(), e);
      }
      wake.forEach(signals::wake);
    }
    return changed;
  }

  /**
   * At most every {@link #HOUSEKEEPING_INTERVAL}: forgets replicas that ended over {@link
   * #KEEP_ENDED} ago, and frees the capacity of failed replicas whose stop the agent has not
   * confirmed within the stop timeout.
   */
  private void housekeeping() {
    Instant now = clock.instant();
    Instant last = lastHousekeeping;
    if (last != null && now.isBefore(last.plus(HOUSEKEEPING_INTERVAL)) && !now.isBefore(last)) {
      return;
    }
    lastHousekeeping = now;
    try {
      Integer freed =
          tx.execute(
              s -> {
                store.purgeEnded(now.minus(KEEP_ENDED));
                return store.endUnconfirmedFailures(now.minus(decider.settings().stopTimeout()));
              });
      if (freed != null && freed > 0) {
        LOG.info("Freed the capacity of {} failed replicas whose stop was not confirmed", freed);
        nudge();
      }
    } catch (RuntimeException e) {
      LOG.warn("Endpoint housekeeping failed: {}", e.toString(), e);
    }
    waitingAttempts.values().removeIf(a -> a.at().isBefore(now.minus(Duration.ofMinutes(10))));
  }

  private static String fleetKey(long endpointId, int generation, String variant) {
    return endpointId + "/" + generation + "/" + variant;
  }

  /** Placement requests to try now: those of fleets not waiting out a {@link #PLACEMENT_RETRY}. */
  private List<FleetDecision.PlaceRequest> due(
      long endpointId, List<Fleet> fleets, List<FleetDecision.PlaceRequest> requests, Instant now) {
    long nudges = trigger.generation();
    List<FleetDecision.PlaceRequest> out = new ArrayList<>();
    for (FleetDecision.PlaceRequest r : requests) {
      boolean waiting =
          fleets.stream()
              .anyMatch(
                  f ->
                      f.generation() == r.generation()
                          && f.variantName().equals(r.variantName())
                          && f.waitingSince() != null);
      Attempt a = waitingAttempts.get(fleetKey(endpointId, r.generation(), r.variantName()));
      if (waiting
          && a != null
          && a.nudges() == nudges
          && now.isBefore(a.at().plus(PLACEMENT_RETRY))
          && !now.isBefore(a.at())) {
        continue;
      }
      out.add(r);
    }
    return out;
  }

  /**
   * True when deciding on the endpoint as committed wants nothing done: then it is not locked at
   * all (most endpoints, most passes).
   */
  private boolean idle(
      Endpoint e, List<Fleet> fleets, FleetDecision d, List<FleetDecision.PlaceRequest> place) {
    if (!d.drain().isEmpty()
        || !d.stop().isEmpty()
        || !d.end().isEmpty()
        || !d.fleetChanges().isEmpty()
        || !d.dropGenerations().isEmpty()
        || d.delete()
        || !place.isEmpty()
        || !d.endpoint().sameStateAs(e)) {
      return false;
    }
    for (Fleet f : fleets) {
      boolean placing =
          d.place().stream()
              .anyMatch(
                  r -> r.generation() == f.generation() && r.variantName().equals(f.variantName()));
      if (f.waitingSince() != null && !placing) {
        return false;
      }
    }
    return true;
  }

  /**
   * The AutoRollbackConfiguration alarms of the endpoint's update in progress that are in ALARM
   * (name to StateReason); asked only while an update runs.
   */
  private Map<String, String> alarmsInAlarm(Endpoint e) {
    if (e.targetGeneration() == null
        || e.updatePolicy() == null
        || e.updatePolicy().rollbackAlarms().isEmpty()) {
      return Map.of();
    }
    return rollbackAlarms.inAlarm(e.updatePolicy().rollbackAlarms());
  }

  private boolean reconcile(long id, Set<String> wake) {
    Instant now = clock.instant();
    // A look without the lock first: an endpoint with nothing to do is left alone.
    Endpoint seen = store.find(id).orElse(null);
    if (seen == null) {
      return false;
    }
    List<Fleet> seenFleets = store.fleets(id);
    FleetDecision look =
        decider.decide(
            seen, seenFleets, store.replicas(id, now.minus(KEEP_ENDED)), alarmsInAlarm(seen), now);
    if (idle(seen, seenFleets, look, due(id, seenFleets, look.place(), now))) {
      return false;
    }
    Endpoint e = store.lock(id).orElse(null);
    if (e == null) {
      return false;
    }
    List<Fleet> fleets = store.fleets(id);
    List<Replica> replicas = store.replicas(id, now.minus(KEEP_ENDED));
    FleetDecision d = decider.decide(e, fleets, replicas, alarmsInAlarm(e), now);
    Map<String, Replica> byId = new HashMap<>();
    replicas.forEach(r -> byId.put(r.id(), r));
    boolean routing = false;
    boolean changed = false;

    for (Map.Entry<String, FleetDecision.EndReplica> end : d.end().entrySet()) {
      Replica r = byId.get(end.getKey());
      if (end.getValue().stop()) {
        // Failed, but its container may still run: stop it and keep its capacity until then.
        store.failAndStop(r.id(), end.getValue().reason(), now);
        wake.add(r.agentId());
      } else {
        store.setState(r.id(), end.getValue().state(), end.getValue().reason(), now);
      }
      routing |= r.state() == ReplicaState.READY;
      changed = true;
    }
    for (String rid : d.stop()) {
      Replica r = byId.get(rid);
      if (d.end().containsKey(rid)) {
        continue;
      }
      store.setState(rid, ReplicaState.STOPPING, null, now);
      routing |= r.state() == ReplicaState.READY;
      wake.add(r.agentId());
      changed = true;
    }
    for (Map.Entry<String, Instant> drain : d.drain().entrySet()) {
      store.drain(drain.getKey(), drain.getValue(), now);
      routing = true;
      changed = true;
    }
    for (Fleet f : d.fleetChanges()) {
      store.updateFleet(id, f);
      routing = true;
      changed = true;
    }
    if (d.delete()) {
      store.delete(e);
      store.bumpRoutingVersion();
      LOG.info("Endpoint {} deleted", e.name());
      return true;
    }
    Endpoint next = d.endpoint();
    if (!next.sameStateAs(e)) {
      store.save(next);
      routing = true;
      changed = true;
      if (next.status() != e.status()) {
        LOG.info(
            "Endpoint {}: {} -> {}{}",
            e.name(),
            e.status().wireName(),
            next.status().wireName(),
            next.failureReason() == null ? "" : " (" + next.failureReason() + ")");
      }
    }
    List<FleetDecision.PlaceRequest> place = due(id, fleets, d.place(), now);
    if (!place.isEmpty()) {
      changed |= place(next, fleets, place, now, wake);
    }
    for (Fleet f : fleets) {
      boolean placing =
          d.place().stream()
              .anyMatch(
                  r -> r.generation() == f.generation() && r.variantName().equals(f.variantName()));
      if (f.waitingSince() != null && !placing) {
        // It needs nothing any more: forget the wait, so it cannot count against a later one.
        store.setWaiting(id, f, null, now);
      }
    }
    for (int g : d.dropGenerations()) {
      store.deleteFleets(id, g);
    }
    if (routing) {
      store.bumpRoutingVersion();
    }
    return changed;
  }

  // ---- placement ----

  private boolean place(
      Endpoint e,
      List<Fleet> fleets,
      List<FleetDecision.PlaceRequest> requests,
      Instant now,
      Set<String> wake) {
    jobs.lockCapacity();
    List<AgentCapacity> capacities = capacities();
    boolean placedAny = false;
    for (FleetDecision.PlaceRequest req : requests) {
      Fleet f =
          fleets.stream()
              .filter(
                  x ->
                      x.generation() == req.generation()
                          && x.variantName().equals(req.variantName()))
              .findFirst()
              .orElseThrow();
      InstanceType type = catalogue.find(f.instanceType()).orElse(null);
      if (type == null) {
        store.setWaiting(
            e.id(), f, "instance type " + f.instanceType() + " is no longer configured", now);
        continue;
      }
      String waiting = null;
      // Only agents with the docker runtime run images other than the built-in algorithms.
      boolean dockerOnly = !BuiltInImages.isBuiltIn(f.image());
      for (int i = 0; i < req.count(); i++) {
        List<AgentCapacity> candidates =
            dockerOnly
                ? capacities.stream()
                    .filter(a -> AgentRegistration.RUNTIME_DOCKER.equals(a.runtime()))
                    .toList()
                : capacities;
        PlacementDecision pd = placement.choose(type, 1, candidates);
        if (!pd.placed()) {
          waiting = pd.waitingFor();
          if (dockerOnly && candidates.isEmpty() && !capacities.isEmpty()) {
            waiting =
                "Waiting for capacity: needs 1 x "
                    + type.name()
                    + " ("
                    + type.describe()
                    + " each) on an agent with the docker runtime (image "
                    + f.image()
                    + " is not a built-in algorithm); no registered agent has it";
          }
          break;
        }
        List<Integer> gpus = pd.gpusPerHost().get(0);
        String taskId = UUID.randomUUID().toString();
        TaskAssignment assignment = assignment(e, f, type, taskId, gpus);
        store.insertReplica(
            e.id(),
            e.name(),
            f,
            taskId,
            pd.agent().agentId(),
            pd.totalCpus(),
            pd.totalMemoryMb(),
            gpus,
            assignment,
            now);
        logs.createStream(logGroup(e.name()), assignment.hosts().get(0).logStream());
        capacities.replaceAll(
            a ->
                a.agentId().equals(pd.agent().agentId())
                    ? a.reserve(pd.totalCpus(), pd.totalMemoryMb(), gpus)
                    : a);
        wake.add(pd.agent().agentId());
        placedAny = true;
      }
      store.setWaiting(e.id(), f, waiting, now);
      String key = fleetKey(e.id(), f.generation(), f.variantName());
      if (waiting == null) {
        waitingAttempts.remove(key);
      } else {
        waitingAttempts.put(key, new Attempt(now, trigger.generation()));
      }
      if (waiting != null) {
        LOG.debug("Endpoint {} variant {}: {}", e.name(), f.variantName(), waiting);
      }
    }
    return placedAny;
  }

  private List<AgentCapacity> capacities() {
    Map<String, TrainingJobStore.Usage> usage = jobs.usageByAgent();
    List<AgentCapacity> out = new ArrayList<>();
    for (RegisteredAgent a : agents.live()) {
      TrainingJobStore.Usage u = usage.get(a.id());
      out.add(
          new AgentCapacity(
              a.id(),
              a.name(),
              a.runtime(),
              a.cpus(),
              a.memoryMb(),
              a.gpuIndices(),
              u == null ? 0 : u.cpus(),
              u == null ? 0 : u.memoryMb(),
              u == null ? Set.of() : Set.copyOf(u.gpus())));
    }
    return out;
  }

  private TaskAssignment assignment(
      Endpoint e, Fleet f, InstanceType type, String taskId, List<Integer> gpus) {
    Map<String, String> env = new LinkedHashMap<>(f.environment());
    env.putIfAbsent("SAGEMAKER_REGION", arns.region());
    env.put("AWS_REGION", arns.region());
    env.put("AWS_DEFAULT_REGION", arns.region());
    String stream = f.variantName() + "/" + taskId;
    return new TaskAssignment(
        taskId,
        TaskKind.SERVING,
        e.name(),
        e.arn(),
        f.image(),
        List.of(),
        List.of(),
        env,
        Map.of(),
        List.of(),
        List.of(new HostSpec("algo-1", stream, List.copyOf(gpus))),
        null,
        new ResourceSpec(type.vcpus(), type.memoryMb()),
        f.instanceType(),
        null,
        0,
        stopGrace.getSeconds(),
        new ServingSpec(
            e.name(),
            f.variantName(),
            f.modelName(),
            f.modelDataUrl(),
            f.downloadTimeoutSeconds(),
            f.startupTimeoutSeconds(),
            CONTAINER_PORT));
  }

  // ---- agent observations ----

  /**
   * Applies an agent's observation of a serving replica, in the caller's transaction: READY (with
   * its address) puts it in the routing table; FAILED or an unasked-for stop ends it (the next pass
   * replaces it, fails the creation or rolls the update back); STOPPED after a stop order ends it.
   * A repeated or stale event changes nothing.
   *
   * @return true when the replica ended (capacity freed)
   */
  public boolean applyEvent(ServingTask task, TaskEvent event) {
    // Lock order as in the reconciler: endpoint row first.
    if (store.lock(task.endpointId()).isEmpty()) {
      return false;
    }
    ServingTask t = store.findTask(task.id()).orElse(null);
    if (t == null) {
      return false;
    }
    if (!t.acknowledged()) {
      store.acknowledge(t.id());
    }
    if (t.ended()) {
      return false;
    }
    Instant now = clock.instant();
    if (t.state() == ReplicaState.FAILED) {
      // Failed by the control plane with its container maybe still running: the stop (or the
      // container's end) is confirmed now, and its capacity is free.
      if (event.phase() == TaskPhase.STOPPED
          || event.phase() == TaskPhase.FAILED
          || event.phase() == TaskPhase.SUCCEEDED) {
        store.endReplica(t.id());
        nudge();
        return true;
      }
      return false;
    }
    ReplicaState next = t.state().after(event.phase());
    if (next == t.state()) {
      if (event.phase() == TaskPhase.READY
          && t.state() == ReplicaState.READY
          && event.address() != null
          && store.setAddress(t.id(), event.address())) {
        // Only a new address changes the table: a repeated READY does not.
        store.bumpRoutingVersion();
      }
      return false;
    }
    if (next == ReplicaState.READY) {
      if (event.address() == null || event.address().isBlank()) {
        LOG.warn("Ignoring READY without an address for serving task {}", t.id());
        return false;
      }
      store.markReady(t.id(), event.address(), now);
    } else {
      String reason = null;
      if (next == ReplicaState.FAILED) {
        reason = failureReason(t, event);
      }
      store.setState(t.id(), next, reason, now);
    }
    store.bumpRoutingVersion();
    nudge();
    return next.ended();
  }

  private static String failureReason(ServingTask t, TaskEvent event) {
    if (event.failureReason() != null && !event.failureReason().isBlank()) {
      return event.failureReason();
    }
    if (event.phase() == TaskPhase.FAILED) {
      return event.message() == null ? "the replica failed" : event.message();
    }
    return "the container stopped unexpectedly"
        + (event.exitCode() == null ? "" : " with exit code " + event.exitCode());
  }

  /**
   * Serving tasks in the order their endpoint rows are to be locked when one transaction handles
   * several (endpoint id, then task id): every such transaction takes the locks in the same order,
   * so two of them cannot deadlock.
   */
  public static List<ServingTask> inLockOrder(List<ServingTask> tasks) {
    List<ServingTask> sorted = new ArrayList<>(tasks);
    sorted.sort(Comparator.comparingLong(ServingTask::endpointId).thenComparing(ServingTask::id));
    return sorted;
  }

  /**
   * Fails a serving task whose agent was lost or restarted without it, in the caller's transaction.
   */
  public void failLost(ServingTask task, String reason) {
    if (store.lock(task.endpointId()).isEmpty()) {
      return;
    }
    ServingTask t = store.findTask(task.id()).orElse(null);
    if (t == null || t.ended()) {
      return;
    }
    if (t.state() == ReplicaState.FAILED) {
      // Already failed (its stop unconfirmed): nothing of it runs any more.
      store.endReplica(t.id());
      nudge();
      return;
    }
    store.setState(
        t.id(),
        t.state() == ReplicaState.STOPPING || t.state() == ReplicaState.DRAINING
            ? ReplicaState.STOPPED
            : ReplicaState.FAILED,
        reason,
        clock.instant());
    store.bumpRoutingVersion();
    nudge();
  }
}
