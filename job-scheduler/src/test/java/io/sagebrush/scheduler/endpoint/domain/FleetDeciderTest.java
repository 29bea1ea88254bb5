package io.sagebrush.scheduler.endpoint.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.protocol.RoutingTable.VariantRoute;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lifecycle stories on virtual time against an in-memory fleet the decisions are applied to. */
class FleetDeciderTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final FleetSettings SETTINGS =
      new FleetSettings(
          Duration.ofSeconds(5),
          Duration.ofSeconds(60),
          Duration.ofSeconds(60),
          Duration.ofMinutes(10),
          Duration.ofHours(1),
          Duration.ofMinutes(2));

  /** An endpoint with its fleets and replicas, changed only by applying decisions. */
  private static final class World {
    Endpoint endpoint;
    final List<Fleet> fleets = new ArrayList<>();
    final List<Replica> replicas = new ArrayList<>();
    Instant now = T0;
    int seq;
    boolean deleted;

    /** Alarms in ALARM now (name to StateReason), as the reconciler would pass them. */
    final Map<String, String> alarms = new java.util.LinkedHashMap<>();

    final FleetDecider decider = new FleetDecider(SETTINGS);

    World(Fleet... variants) {
      endpoint = Endpoint.creating("ep", "arn:ep", "cfg-1", null, T0);
      fleets.addAll(List.of(variants));
    }

    FleetDecision step() {
      FleetDecision d = decider.decide(endpoint, fleets, replicas, alarms, now);
      for (var end : d.end().entrySet()) {
        set(end.getKey(), end.getValue().state(), end.getValue().reason(), null);
      }
      for (String id : d.stop()) {
        if (!d.end().containsKey(id)) {
          set(id, ReplicaState.STOPPING, null, null);
        }
      }
      d.drain().forEach((id, at) -> set(id, ReplicaState.DRAINING, null, at));
      for (Fleet f : d.fleetChanges()) {
        fleets.replaceAll(
            x ->
                x.generation() == f.generation() && x.variantName().equals(f.variantName())
                    ? f
                    : x);
      }
      if (d.delete()) {
        deleted = true;
      }
      endpoint = d.endpoint();
      for (FleetDecision.PlaceRequest p : d.place()) {
        for (int i = 0; i < p.count(); i++) {
          replicas.add(
              new Replica(
                  "r" + (++seq),
                  p.generation(),
                  p.variantName(),
                  "agent",
                  ReplicaState.STARTING,
                  null,
                  null,
                  false,
                  now,
                  null,
                  now,
                  null));
        }
      }
      fleets.removeIf(f -> d.dropGenerations().contains(f.generation()));
      return d;
    }

    void set(String id, ReplicaState s, String reason, Instant stopAt) {
      replicas.replaceAll(
          r ->
              r.id().equals(id)
                  ? new Replica(
                      r.id(),
                      r.generation(),
                      r.variantName(),
                      r.agentId(),
                      s,
                      s == ReplicaState.READY ? "http://" + r.id() : r.address(),
                      reason == null ? r.failureReason() : reason,
                      true,
                      r.createdAt(),
                      s == ReplicaState.READY ? now : r.readyAt(),
                      now,
                      stopAt == null ? r.stopAt() : stopAt)
                  : r);
    }

    /** Every starting replica of generation g answers its ping. */
    void readyAll(int g) {
      for (Replica r : List.copyOf(replicas)) {
        if (r.generation() == g && r.state() == ReplicaState.STARTING) {
          set(r.id(), ReplicaState.READY, null, null);
        }
      }
    }

    void stoppedAll() {
      for (Replica r : List.copyOf(replicas)) {
        if (r.state() == ReplicaState.STOPPING) {
          set(r.id(), ReplicaState.STOPPED, null, null);
        }
      }
    }

    List<Replica> in(int g, ReplicaState s) {
      return replicas.stream().filter(r -> r.generation() == g && r.state() == s).toList();
    }

    List<VariantRoute> routes() {
      return Routes.of(endpoint, fleets, replicas);
    }

    void advance(int seconds) {
      now = now.plusSeconds(seconds);
    }

    /** Starts an update to generation 2 of the same variants with another image. */
    void update(DeploymentPolicy policy) {
      List<Fleet> next =
          fleets.stream()
              .filter(f -> f.generation() == endpoint.currentGeneration())
              .map(f -> withImage(f.inGeneration(2, now), "image:v2"))
              .toList();
      fleets.addAll(next);
      endpoint.startUpdate(2, "cfg-2", policy, now);
    }
  }

  static Fleet variant(String name, int count, double weight) {
    return new Fleet(
        1,
        name,
        "model",
        "image:v1",
        "s3://b/model.tar.gz",
        Map.of("K", "V"),
        "ml.m5.large",
        count,
        weight,
        weight,
        600,
        600,
        T0,
        null,
        null);
  }

  static Fleet withImage(Fleet f, String image) {
    return new Fleet(
        f.generation(),
        f.variantName(),
        f.modelName(),
        image,
        f.modelDataUrl(),
        f.environment(),
        f.instanceType(),
        f.desiredCount(),
        f.desiredWeight(),
        f.currentWeight(),
        f.startupTimeoutSeconds(),
        f.downloadTimeoutSeconds(),
        f.createdAt(),
        null,
        null);
  }

  private static World inService(Fleet... variants) {
    World w = new World(variants);
    w.step();
    w.readyAll(1);
    w.step();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.IN_SERVICE);
    return w;
  }

  @Test
  void creatingPlacesEveryVariantAndTurnsInServiceOnceAllAreReady() {
    World w = new World(variant("A", 2, 1.0), variant("B", 1, 3.0));
    FleetDecision d = w.step();
    assertThat(d.place())
        .containsExactly(
            new FleetDecision.PlaceRequest(1, "A", 2), new FleetDecision.PlaceRequest(1, "B", 1));
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.CREATING);
    assertThat(w.step().place()).isEmpty();

    w.set("r1", ReplicaState.READY, null, null);
    w.set("r3", ReplicaState.READY, null, null);
    w.step();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.CREATING);
    w.readyAll(1);
    w.step();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(w.routes())
        .extracting(VariantRoute::variantName, VariantRoute::weight)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("A", 1.0),
            org.assertj.core.groups.Tuple.tuple("B", 3.0));
  }

  @Test
  void aReplicaFailingWhileCreatingFailsTheEndpointNamingTheVariantAndStopsTheRest() {
    World w = new World(variant("AllTraffic", 2, 1.0));
    w.step();
    w.set("r1", ReplicaState.READY, null, null);
    w.set("r2", ReplicaState.FAILED, "exit code 1: ModuleNotFoundError: flask", null);
    FleetDecision d = w.step();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.FAILED);
    assertThat(w.endpoint.failureReason())
        .isEqualTo(
            "The primary container for production variant AllTraffic did not pass the ping"
                + " health check: exit code 1: ModuleNotFoundError: flask");
    assertThat(d.stop()).containsExactly("r1");
    assertThat(d.place()).isEmpty();
  }

  @Test
  void aReplicaNotReadyWithinDownloadAndStartupTimeoutsPlusSlackFails() {
    World w = new World(variant("AllTraffic", 1, 1.0));
    w.step();
    w.advance(600 + 600 + 59);
    assertThat(w.step().end()).isEmpty();
    w.advance(1);
    FleetDecision d = w.step();
    assertThat(d.end()).containsKey("r1");
    // its container may still run: it is stopped and keeps its capacity until that is confirmed
    assertThat(d.end().get("r1").stop()).isTrue();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.FAILED);
    assertThat(w.endpoint.failureReason())
        .startsWith(
            "The primary container for production variant AllTraffic did not pass the ping"
                + " health check within 1200 seconds")
        .doesNotContain("check: ");
  }

  @Test
  void noCapacityWhileCreatingFailsAfterThePlacementTimeout() {
    World w = new World(variant("AllTraffic", 1, 1.0));
    w.fleets.set(0, waiting(w.fleets.get(0), T0, "Waiting for capacity: no agent registered"));
    w.advance(599);
    w.step();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.CREATING);
    w.advance(1);
    w.step();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.FAILED);
    assertThat(w.endpoint.failureReason())
        .isEqualTo(
            "Could not place production variant AllTraffic within 600 seconds: Waiting for"
                + " capacity: no agent registered");
  }

  static Fleet waiting(Fleet f, Instant since, String why) {
    return new Fleet(
        f.generation(),
        f.variantName(),
        f.modelName(),
        f.image(),
        f.modelDataUrl(),
        f.environment(),
        f.instanceType(),
        f.desiredCount(),
        f.desiredWeight(),
        f.currentWeight(),
        f.startupTimeoutSeconds(),
        f.downloadTimeoutSeconds(),
        f.createdAt(),
        since,
        why,
        f.countBefore());
  }

  @Test
  void aFailedReplicaInServiceIsReplacedAndTheEndpointStaysInService() {
    World w = inService(variant("AllTraffic", 2, 1.0));
    w.set("r1", ReplicaState.FAILED, "ping timed out 3 times", null);
    FleetDecision d = w.step();
    assertThat(d.place()).containsExactly(new FleetDecision.PlaceRequest(1, "AllTraffic", 1));
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(w.routes().get(0).replicas()).hasSize(1);
  }

  @Test
  void allAtOnceUpdateShiftsTrafficThenDrainsTheOldFleetBeforeStoppingIt() {
    World w = inService(variant("AllTraffic", 2, 1.0));
    w.update(null);
    assertThat(w.step().place())
        .containsExactly(new FleetDecision.PlaceRequest(2, "AllTraffic", 2));
    assertThat(w.routes()).extracting(VariantRoute::fleet).containsExactly("1");
    w.readyAll(2);
    w.step();
    assertThat(w.endpoint.updatePhase()).isEqualTo(UpdatePhase.SHIFTING);
    assertThat(w.routes()).extracting(VariantRoute::fleet).containsExactly("2");

    FleetDecision done = w.step();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(w.endpoint.currentGeneration()).isEqualTo(2);
    assertThat(w.endpoint.configName()).isEqualTo("cfg-2");
    assertThat(done.drain()).containsOnlyKeys("r1", "r2");
    assertThat(done.drain().values()).allMatch(at -> at.equals(w.now.plusSeconds(5)));
    assertThat(done.stop()).isEmpty();

    w.advance(4);
    assertThat(w.step().stop()).isEmpty();
    w.advance(1);
    assertThat(w.step().stop()).containsExactlyInAnyOrder("r1", "r2");
    w.stoppedAll();
    assertThat(w.step().dropGenerations()).containsExactly(1);
  }

  private static DeploymentPolicy blueGreen(
      String type, int wait, DeploymentPolicy.CapacitySize size, int terminationWait) {
    return new DeploymentPolicy(
        new DeploymentPolicy.BlueGreen(
            new DeploymentPolicy.TrafficRouting(
                type,
                wait,
                "CANARY".equals(type) ? size : null,
                "LINEAR".equals(type) ? size : null),
            terminationWait,
            null),
        null,
        List.of(),
        "{}");
  }

  @Test
  void canaryTakesItsShareForTheWaitThenTheRestThenBakesAndHonoursTerminationWait() {
    World w = inService(variant("AllTraffic", 4, 2.0));
    w.update(blueGreen("CANARY", 60, new DeploymentPolicy.CapacitySize("INSTANCE_COUNT", 1), 30));
    w.step();
    w.readyAll(2);
    w.step();
    assertThat(w.endpoint.trafficShift()).isEqualTo(0.25);
    assertThat(w.routes())
        .extracting(VariantRoute::fleet, VariantRoute::weight)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("1", 1.5),
            org.assertj.core.groups.Tuple.tuple("2", 0.5));
    w.advance(59);
    w.step();
    assertThat(w.endpoint.trafficShift()).isEqualTo(0.25);
    w.advance(1);
    w.step();
    assertThat(w.endpoint.trafficShift()).isEqualTo(1.0);
    assertThat(w.routes()).extracting(VariantRoute::fleet).containsExactly("2");
    w.advance(60);
    // the bake is over; the termination wait keeps the old fleet up but unrouted
    assertThat(w.step().drain()).isEmpty();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.UPDATING);
    assertThat(w.routes()).extracting(VariantRoute::fleet).containsExactly("2");
    assertThat(w.in(1, ReplicaState.READY)).hasSize(4);
    w.advance(29);
    assertThat(w.step().drain()).isEmpty();
    w.advance(1);
    FleetDecision done = w.step();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(w.endpoint.currentGeneration()).isEqualTo(2);
    assertThat(done.drain()).hasSize(4);
    assertThat(done.drain().values()).allMatch(at -> at.equals(w.now.plusSeconds(5)));
  }

  private static DeploymentPolicy withAlarms(DeploymentPolicy p, String... alarms) {
    return new DeploymentPolicy(p.blueGreen(), p.rolling(), List.of(alarms), p.echoJson());
  }

  private static final String REASON =
      "Threshold Crossed: 1 datapoint [3.0 (01/01/26 00:00:10)] was greater than or equal to the"
          + " threshold (1.0).";

  @Test
  void aRollbackAlarmInAlarmDuringACanaryWaitRollsBackNamingTheAlarm() {
    World w = inService(variant("AllTraffic", 4, 1.0));
    w.update(
        withAlarms(
            blueGreen("CANARY", 60, new DeploymentPolicy.CapacitySize("INSTANCE_COUNT", 1), 0),
            "errors-high"));
    w.step();
    w.readyAll(2);
    w.step();
    assertThat(w.endpoint.trafficShift()).isEqualTo(0.25);
    w.advance(20);
    assertThat(w.step().drain()).isEmpty();

    w.alarms.put("errors-high", REASON);
    FleetDecision d = w.step();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(w.endpoint.currentGeneration()).isEqualTo(1);
    assertThat(w.endpoint.configName()).isEqualTo("cfg-1");
    assertThat(w.endpoint.targetGeneration()).isNull();
    assertThat(w.endpoint.failureReason())
        .isEqualTo(
            "Endpoint update rolled back: Alarm \"errors-high\" is in ALARM state: " + REASON);
    assertThat(d.drain()).hasSize(4);
    assertThat(w.routes()).extracting(VariantRoute::fleet).containsExactly("1");
    assertThat(w.routes().get(0).weight()).isEqualTo(1.0);
  }

  @Test
  void anAlarmBeforeTheNewFleetTakesTrafficWaitsForTheFirstShift() {
    World w = inService(variant("AllTraffic", 1, 1.0));
    w.update(withAlarms(blueGreen("ALL_AT_ONCE", 30, null, 0), "a"));
    w.alarms.put("a", REASON);
    w.step();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.UPDATING);
    w.readyAll(2);
    w.step();
    assertThat(w.endpoint.updatePhase()).isEqualTo(UpdatePhase.SHIFTING);
    w.step();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(w.endpoint.currentGeneration()).isEqualTo(1);
    assertThat(w.endpoint.failureReason()).contains("Alarm \"a\" is in ALARM state");
  }

  @Test
  void anAlarmDuringTheTerminationWaitRollsBackToTheOldFleetStillUp() {
    World w = inService(variant("AllTraffic", 2, 1.0));
    w.update(withAlarms(blueGreen("ALL_AT_ONCE", 0, null, 120), "a"));
    w.step();
    w.readyAll(2);
    w.step();
    assertThat(w.routes()).extracting(VariantRoute::fleet).containsExactly("2");
    w.advance(100);
    w.step();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.UPDATING);

    w.alarms.put("a", "");
    FleetDecision d = w.step();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(w.endpoint.currentGeneration()).isEqualTo(1);
    assertThat(w.endpoint.failureReason())
        .isEqualTo("Endpoint update rolled back: Alarm \"a\" is in ALARM state.");
    assertThat(w.routes()).extracting(VariantRoute::fleet).containsExactly("1");
    assertThat(d.drain().keySet())
        .containsExactlyInAnyOrderElementsOf(
            w.replicas.stream().filter(r -> r.generation() == 2).map(Replica::id).toList());
  }

  @Test
  void onlyTheAlarmsTheUpdateNamesCountAndAnUpdateWithoutAlarmsCompletes() {
    World w = inService(variant("AllTraffic", 1, 1.0));
    w.update(withAlarms(blueGreen("ALL_AT_ONCE", 10, null, 0), "mine"));
    w.alarms.put("someone-elses", REASON);
    w.step();
    w.readyAll(2);
    w.step();
    w.advance(10);
    w.step();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(w.endpoint.currentGeneration()).isEqualTo(2);
    assertThat(w.endpoint.failureReason()).isNull();

    // once InService, an alarm changes nothing
    w.alarms.put("mine", REASON);
    w.step();
    assertThat(w.endpoint.currentGeneration()).isEqualTo(2);
    assertThat(w.endpoint.failureReason()).isNull();
  }

  @Test
  void aRollingUpdateRollsBackOnAnAlarmOnceItsFirstBatchServes() {
    World w = inService(variant("AllTraffic", 2, 1.0));
    w.update(withAlarms(rolling(1, null), "a"));
    w.alarms.put("a", REASON);
    w.step();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.UPDATING);
    w.readyAll(2);
    w.step();
    assertThat(w.endpoint.updatePhase()).isEqualTo(UpdatePhase.BAKING);
    w.step();
    assertThat(w.endpoint.targetGeneration()).isNull();
    assertThat(w.endpoint.currentGeneration()).isEqualTo(1);
    assertThat(w.endpoint.failureReason()).startsWith("Endpoint update rolled back: Alarm \"a\"");
  }

  @Test
  void linearMovesTrafficInEqualStepsEveryWaitInterval() {
    World w = inService(variant("AllTraffic", 2, 1.0));
    w.update(blueGreen("LINEAR", 10, new DeploymentPolicy.CapacitySize("CAPACITY_PERCENT", 50), 0));
    w.step();
    w.readyAll(2);
    w.step();
    assertThat(w.endpoint.trafficShift()).isEqualTo(0.5);
    w.advance(10);
    w.step();
    assertThat(w.endpoint.trafficShift()).isEqualTo(1.0);
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.UPDATING);
    w.advance(10);
    w.step();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(w.endpoint.currentGeneration()).isEqualTo(2);
  }

  @Test
  void aFailingNewFleetRollsBackKeepingTheOldFleetInService() {
    World w = inService(variant("AllTraffic", 2, 1.0));
    w.update(null);
    w.step();
    w.set("r3", ReplicaState.READY, null, null);
    w.set("r4", ReplicaState.FAILED, "ping returned 500", null);
    FleetDecision d = w.step();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(w.endpoint.currentGeneration()).isEqualTo(1);
    assertThat(w.endpoint.targetGeneration()).isNull();
    assertThat(w.endpoint.configName()).isEqualTo("cfg-1");
    assertThat(w.endpoint.failureReason())
        .isEqualTo(
            "Endpoint update rolled back: The primary container for production variant"
                + " AllTraffic did not pass the ping health check: ping returned 500");
    assertThat(d.drain()).containsOnlyKeys("r3");
    assertThat(w.routes()).extracting(VariantRoute::fleet).containsExactly("1");
  }

  @Test
  void anUpdateThatOutlivesItsMaximumExecutionTimeoutRollsBack() {
    World w = inService(variant("AllTraffic", 1, 1.0));
    w.update(
        new DeploymentPolicy(
            new DeploymentPolicy.BlueGreen(
                new DeploymentPolicy.TrafficRouting("ALL_AT_ONCE", 0, null, null), 0, 600),
            null,
            List.of(),
            "{}"));
    w.step();
    w.advance(600);
    w.step();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(w.endpoint.failureReason())
        .isEqualTo("Endpoint update rolled back: The update did not complete within 600 seconds.");
  }

  @Test
  void rollingUpdateReplacesOneBatchAtATimeWithTrafficInProportionToReadyReplicas() {
    World w = inService(variant("AllTraffic", 2, 1.0));
    w.update(
        new DeploymentPolicy(
            null,
            new DeploymentPolicy.Rolling(
                new DeploymentPolicy.CapacitySize("INSTANCE_COUNT", 1), 30, null, null),
            List.of(),
            "{}"));
    assertThat(w.step().place())
        .containsExactly(new FleetDecision.PlaceRequest(2, "AllTraffic", 1));
    w.readyAll(2);
    w.step();
    assertThat(w.endpoint.updatePhase()).isEqualTo(UpdatePhase.BAKING);
    assertThat(w.routes())
        .extracting(VariantRoute::fleet, VariantRoute::weight)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("1", 2.0 / 3),
            org.assertj.core.groups.Tuple.tuple("2", 1.0 / 3));
    w.advance(30);
    FleetDecision next = w.step();
    assertThat(next.drain()).hasSize(1);
    assertThat(w.endpoint.updateStep()).isEqualTo(2);
    assertThat(next.place()).containsExactly(new FleetDecision.PlaceRequest(2, "AllTraffic", 1));
    w.readyAll(2);
    w.step();
    w.advance(30);
    FleetDecision done = w.step();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(w.endpoint.currentGeneration()).isEqualTo(2);
    assertThat(w.in(1, ReplicaState.READY)).isEmpty();
    assertThat(done.drain()).hasSize(1);
  }

  @Test
  void scalingUpIsUpdatingUntilTheNewReplicasAreReady() {
    World w = inService(variant("AllTraffic", 1, 1.0));
    w.fleets.set(0, w.fleets.get(0).withCountAndWeight(3, 1.0, 1.0));
    w.endpoint.scale(w.now);
    assertThat(w.step().place())
        .containsExactly(new FleetDecision.PlaceRequest(1, "AllTraffic", 2));
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.UPDATING);
    w.readyAll(1);
    w.step();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.IN_SERVICE);
  }

  @Test
  void aCapacityChangeThatCannotBePlacedIsGivenUpKeepingWhatRuns() {
    World w = inService(variant("AllTraffic", 1, 1.0));
    w.fleets.set(0, w.fleets.get(0).rescaled(3, 1.0, 1.0));
    w.endpoint.scale(w.now);
    w.step();
    w.fleets.set(0, waiting(w.fleets.get(0), w.now, "Waiting for capacity: no agent has it free"));
    w.advance(600);
    FleetDecision d = w.step();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(w.endpoint.failureReason())
        .startsWith("Endpoint update rolled back: Could not place production variant AllTraffic");
    assertThat(d.fleetChanges())
        .singleElement()
        .satisfies(f -> assertThat(f.desiredCount()).isEqualTo(1));
    assertThat(d.stop()).hasSize(2);
  }

  @Test
  void aCapacityChangeThatNeverGetsReadyIsGivenUpAfterTheUpdateTimeout() {
    World w = inService(variant("AllTraffic", 1, 1.0));
    w.fleets.set(0, w.fleets.get(0).withCountAndWeight(2, 1.0, 1.0));
    w.endpoint.scale(w.now);
    w.step();
    w.advance(3599);
    w.step();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.UPDATING);
    w.advance(1);
    w.step();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(w.endpoint.failureReason())
        .isEqualTo(
            "Endpoint update rolled back: The instance count change did not complete within 3600"
                + " seconds.");
  }

  @Test
  void scalingDownDrainsSurplusReadyReplicas() {
    World w = inService(variant("AllTraffic", 3, 1.0));
    w.fleets.set(0, w.fleets.get(0).withCountAndWeight(1, 1.0, 1.0));
    w.endpoint.scale(w.now);
    FleetDecision d = w.step();
    assertThat(d.drain()).hasSize(2);
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.IN_SERVICE);
  }

  @Test
  void deletingStopsEveryReplicaAndGoesOnceTheyEnded() {
    World w = inService(variant("AllTraffic", 2, 1.0));
    w.endpoint.markDeleting(w.now);
    FleetDecision d = w.step();
    assertThat(d.stop()).containsExactlyInAnyOrder("r1", "r2");
    assertThat(d.delete()).isFalse();
    w.stoppedAll();
    assertThat(w.step().delete()).isTrue();
  }

  @Test
  void deletingGoesAfterItsTimeoutEvenWithoutStopConfirmations() {
    World w = inService(variant("AllTraffic", 1, 1.0));
    w.endpoint.markDeleting(w.now);
    w.step();
    w.advance(59);
    assertThat(w.step().delete()).isFalse();
    w.advance(1);
    // the stop timeout ended the replica: nothing is left
    assertThat(w.step().delete()).isTrue();
  }

  private static DeploymentPolicy rolling(int batch, Integer rollbackBatch) {
    return new DeploymentPolicy(
        null,
        new DeploymentPolicy.Rolling(
            new DeploymentPolicy.CapacitySize("INSTANCE_COUNT", batch),
            30,
            null,
            rollbackBatch == null
                ? null
                : new DeploymentPolicy.CapacitySize("INSTANCE_COUNT", rollbackBatch)),
        List.of(),
        "{}");
  }

  private static Replica ready(World w, int g) {
    return w.in(g, ReplicaState.READY).get(0);
  }

  @Test
  void aRollingRollbackKeepsTheNewFleetRoutedUntilTheOldOneIsBack() {
    World w = inService(variant("AllTraffic", 2, 1.0));
    w.update(rolling(1, null));
    w.step();
    w.readyAll(2);
    w.step();
    w.advance(30);
    w.step(); // one old replica retired, the second new one placed
    assertThat(w.in(1, ReplicaState.READY)).hasSize(1);
    // the last old replica dies and so does the second new one: the update rolls back
    w.set(ready(w, 1).id(), ReplicaState.FAILED, "exit code 137", null);
    w.set(w.in(2, ReplicaState.STARTING).get(0).id(), ReplicaState.FAILED, "exit code 1", null);
    String survivor = ready(w, 2).id();
    FleetDecision d = w.step();

    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.ROLLING_BACK);
    assertThat(w.endpoint.rollbackGeneration()).isEqualTo(2);
    assertThat(d.drain()).doesNotContainKey(survivor);
    assertThat(d.place()).containsExactly(new FleetDecision.PlaceRequest(1, "AllTraffic", 2));
    assertThat(w.routes())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.fleet()).isEqualTo("2");
              assertThat(r.weight()).isEqualTo(1.0);
            });

    // one old replica is back: both serve, in proportion to their ready replicas
    w.set(w.in(1, ReplicaState.STARTING).get(0).id(), ReplicaState.READY, null, null);
    assertThat(w.step().drain()).isEmpty();
    assertThat(w.routes())
        .extracting(VariantRoute::fleet, VariantRoute::weight)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("1", 0.5),
            org.assertj.core.groups.Tuple.tuple("2", 0.5));

    // the old fleet is full: the abandoned one retires, the endpoint is in service
    w.readyAll(1);
    d = w.step();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(w.endpoint.rollbackGeneration()).isNull();
    assertThat(d.drain()).containsOnlyKeys(survivor);
    assertThat(w.routes()).extracting(VariantRoute::fleet).containsExactly("1");
  }

  @Test
  void aBlueGreenRollbackWithAShortOldFleetKeepsTheNewFleetServing() {
    World w = inService(variant("AllTraffic", 2, 1.0));
    w.update(null);
    w.step();
    w.set("r3", ReplicaState.READY, null, null);
    // both old replicas die, then a new one fails: the old fleet has nothing ready
    w.set("r1", ReplicaState.FAILED, "exit code 137", null);
    w.set("r2", ReplicaState.FAILED, "exit code 137", null);
    w.set("r4", ReplicaState.FAILED, "ping returned 500", null);
    FleetDecision d = w.step();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.ROLLING_BACK);
    assertThat(d.drain()).isEmpty();
    assertThat(w.routes()).extracting(VariantRoute::fleet).containsExactly("2");
    w.advance(2); // replacements of the old fleet may wait out a backoff
    w.step();
    w.readyAll(1);
    d = w.step();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(d.drain()).containsOnlyKeys("r3");
  }

  @Test
  void aRollbackWithABatchSizeRetiresTheAbandonedFleetInBatchesAsTheOldComesBack() {
    World w = inService(variant("AllTraffic", 3, 1.0));
    w.update(rolling(3, 2));
    w.step();
    w.readyAll(2);
    w.step(); // all three new ones ready and baking; the old fleet still runs
    for (Replica r : w.in(1, ReplicaState.READY)) {
      w.set(r.id(), ReplicaState.FAILED, "exit code 137", null);
    }
    w.advance(1);
    w.replicas.add(
        new Replica(
            "late",
            2,
            "AllTraffic",
            "agent",
            ReplicaState.FAILED,
            null,
            "exit code 1",
            true,
            w.now,
            null,
            w.now,
            null));
    w.step();
    assertThat(w.endpoint.rollbackGeneration()).isEqualTo(2);
    assertThat(w.in(2, ReplicaState.READY)).hasSize(3);
    w.advance(2); // three failures of the old fleet: its replacements wait two seconds
    w.step();

    // one old replica back: 2 still missing, 1 new one is surplus, less than a batch of 2
    w.set(w.in(1, ReplicaState.STARTING).get(0).id(), ReplicaState.READY, null, null);
    assertThat(w.step().drain()).isEmpty();
    // two back: 1 missing, 2 new ones surplus: one batch retires
    w.set(w.in(1, ReplicaState.STARTING).get(0).id(), ReplicaState.READY, null, null);
    assertThat(w.step().drain()).hasSize(2);
    assertThat(w.routes()).hasSize(2);
    w.readyAll(1);
    assertThat(w.step().drain()).hasSize(1);
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.IN_SERVICE);
  }

  @Test
  void aCapacityChangeGivenUpGoesBackToTheCountBeforeItNotToWhatIsReady() {
    World w = inService(variant("AllTraffic", 2, 1.0));
    w.fleets.set(0, w.fleets.get(0).rescaled(4, 1.0, 1.0));
    w.endpoint.scale(w.now);
    w.step();
    w.set("r1", ReplicaState.FAILED, "exit code 137", null);
    w.step(); // replaced
    w.fleets.set(0, waiting(w.fleets.get(0), w.now, "Waiting for capacity"));
    w.advance(600);
    FleetDecision d = w.step();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(d.fleetChanges())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.desiredCount()).isEqualTo(2);
              assertThat(f.countBefore()).isNull();
              assertThat(f.waitingSince()).isNull();
            });
    // the fleet keeps the starting replacement, the surplus starting ones stop
    assertThat(d.stop()).hasSize(2);
  }

  @Test
  void aNewCountStartsAFreshPlacementWaitAndRemembersTheCountBefore() {
    Fleet f = waiting(variant("AllTraffic", 2, 1.0), T0, "Waiting for capacity");
    Fleet more = f.rescaled(3, 2.0, 2.0);
    assertThat(more.waitingSince()).isNull();
    assertThat(more.countBefore()).isEqualTo(2);
    Fleet weightsOnly = f.rescaled(2, 3.0, 3.0);
    assertThat(weightsOnly.waitingSince()).isEqualTo(T0);
  }

  @Test
  void linearTakesExactlyOneStepPerShareEvenWhenTheSharesDoNotAddUpInFloatingPoint() {
    World w = inService(variant("AllTraffic", 10, 1.0));
    w.update(blueGreen("LINEAR", 10, new DeploymentPolicy.CapacitySize("CAPACITY_PERCENT", 10), 0));
    w.step();
    w.readyAll(2);
    w.step();
    assertThat(w.endpoint.trafficShift()).isEqualTo(0.1);
    for (int k = 2; k <= 10; k++) {
      w.advance(10);
      w.step();
      assertThat(w.endpoint.updateStep()).isEqualTo(k);
    }
    assertThat(w.endpoint.trafficShift()).isEqualTo(1.0);
    assertThat(w.routes()).extracting(VariantRoute::fleet).containsExactly("2");
    w.advance(10);
    w.step();
    assertThat(w.endpoint.status()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(w.endpoint.currentGeneration()).isEqualTo(2);
  }

  @Test
  void aCrashLoopingFleetIsReplacedWithABackoffThatAReadyReplicaResets() {
    World w = inService(variant("AllTraffic", 1, 1.0));
    w.advance(1);
    w.set("r1", ReplicaState.FAILED, "exit code 1", null);
    assertThat(w.step().place()).hasSize(1); // the first failure is replaced at once
    w.set("r2", ReplicaState.FAILED, "exit code 1", null);
    assertThat(w.step().place()).isEmpty();
    w.advance(1);
    assertThat(w.step().place()).hasSize(1);
    w.set("r3", ReplicaState.FAILED, "exit code 1", null);
    w.advance(1);
    assertThat(w.step().place()).isEmpty();
    w.advance(1);
    assertThat(w.step().place()).hasSize(1);
    for (int i = 0; i < 10; i++) {
      w.set(w.in(1, ReplicaState.STARTING).get(0).id(), ReplicaState.FAILED, "exit 1", null);
      w.advance(60);
      assertThat(w.step().place()).hasSize(1); // never more than 60 s
    }
    w.readyAll(1);
    w.step();
    w.advance(1);
    w.set(ready(w, 1).id(), ReplicaState.FAILED, "exit code 1", null);
    assertThat(w.step().place()).hasSize(1); // reset: at once again
  }

  @Test
  void failureReasonsNameTheVariantOnce() {
    assertThat(
            FleetDecider.pingFailure(
                "v", "The container for production variant v exited with code 1: boom"))
        .isEqualTo("The container for production variant v exited with code 1: boom");
    assertThat(FleetDecider.pingFailure("v", "ClientError: image x:1 not found: pull denied"))
        .isEqualTo("Failed to deploy production variant v: image x:1 not found: pull denied");
    assertThat(FleetDecider.pingFailure("v", "ClientError: could not download s3://b/m: 404"))
        .isEqualTo("Failed to deploy production variant v: could not download s3://b/m: 404");
    assertThat(FleetDecider.pingFailure("v", null))
        .isEqualTo(
            "The primary container for production variant v did not pass the ping health"
                + " check.");

    World w = new World(variant("AllTraffic", 1, 1.0));
    w.step();
    w.set(
        "r1",
        ReplicaState.FAILED,
        "The container for production variant AllTraffic exited with code 1: ImportError",
        null);
    w.step();
    assertThat(w.endpoint.failureReason())
        .isEqualTo(
            "The container for production variant AllTraffic exited with code 1: ImportError");
  }

  @Test
  void replicaStatesFollowAgentObservations() {
    assertThat(ReplicaState.STARTING.after(io.sagebrush.protocol.TaskPhase.READY))
        .isEqualTo(ReplicaState.READY);
    assertThat(ReplicaState.READY.after(io.sagebrush.protocol.TaskPhase.STOPPED))
        .isEqualTo(ReplicaState.FAILED);
    assertThat(ReplicaState.STOPPING.after(io.sagebrush.protocol.TaskPhase.STOPPED))
        .isEqualTo(ReplicaState.STOPPED);
    assertThat(ReplicaState.DRAINING.after(io.sagebrush.protocol.TaskPhase.READY))
        .isEqualTo(ReplicaState.DRAINING);
    assertThat(ReplicaState.FAILED.after(io.sagebrush.protocol.TaskPhase.READY))
        .isEqualTo(ReplicaState.FAILED);
  }
}
