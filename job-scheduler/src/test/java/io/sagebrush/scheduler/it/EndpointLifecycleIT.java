package io.sagebrush.scheduler.it;

import static io.sagebrush.scheduler.support.Fixtures.aTrainingJob;
import static io.sagebrush.scheduler.support.Fixtures.anAgent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagebrush.common.error.ErrorCode;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.protocol.LogBatch;
import io.sagebrush.protocol.LogLine;
import io.sagebrush.protocol.PollRequest;
import io.sagebrush.protocol.PollResponse;
import io.sagebrush.protocol.RoutingTable;
import io.sagebrush.protocol.RoutingTable.EndpointRoute;
import io.sagebrush.protocol.RoutingTable.ReplicaRoute;
import io.sagebrush.protocol.RoutingTable.VariantRoute;
import io.sagebrush.protocol.TaskAssignment;
import io.sagebrush.protocol.TaskEvent;
import io.sagebrush.protocol.TaskKind;
import io.sagebrush.protocol.TaskPhase;
import io.sagebrush.scheduler.agent.service.AgentCoordinator;
import io.sagebrush.scheduler.agent.service.AgentLivenessMonitor;
import io.sagebrush.scheduler.common.Page;
import io.sagebrush.scheduler.common.SortOrder;
import io.sagebrush.scheduler.endpoint.domain.DeploymentPolicy;
import io.sagebrush.scheduler.endpoint.domain.DesiredWeightAndCapacity;
import io.sagebrush.scheduler.endpoint.domain.EndpointQuery;
import io.sagebrush.scheduler.endpoint.domain.EndpointStatus;
import io.sagebrush.scheduler.endpoint.domain.EndpointUpdate;
import io.sagebrush.scheduler.endpoint.domain.EndpointView;
import io.sagebrush.scheduler.endpoint.service.EndpointService;
import io.sagebrush.scheduler.endpoint.service.FleetReconciler;
import io.sagebrush.scheduler.endpoint.service.RoutingTableService;
import io.sagebrush.scheduler.logs.domain.LogQuery;
import io.sagebrush.scheduler.logs.service.LogStore;
import io.sagebrush.scheduler.model.domain.EndpointConfigSpec;
import io.sagebrush.scheduler.model.domain.ModelSpec;
import io.sagebrush.scheduler.model.domain.ProductionVariantSpec;
import io.sagebrush.scheduler.model.service.EndpointConfigService;
import io.sagebrush.scheduler.model.service.ModelService;
import io.sagebrush.scheduler.placement.service.Placer;
import io.sagebrush.scheduler.support.Fixtures;
import io.sagebrush.scheduler.support.MutableClock;
import io.sagebrush.scheduler.support.SchedulerIntegrationTest;
import io.sagebrush.scheduler.support.SchedulerTestApplication;
import io.sagebrush.scheduler.tag.service.TagService;
import io.sagebrush.scheduler.trainingjob.domain.Tag;
import io.sagebrush.scheduler.trainingjob.service.TrainingJobService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Endpoint stories: the coordinator driven as a fake agent would, on virtual time. */
@SchedulerIntegrationTest
class EndpointLifecycleIT {
  static final String PREFIX = "arn:aws:sagemaker:us-east-1:000000000000:";

  @Autowired EndpointService endpoints;
  @Autowired RoutingTableService routing;
  @Autowired FleetReconciler fleets;
  @Autowired AgentCoordinator coordinator;
  @Autowired AgentLivenessMonitor liveness;
  @Autowired ModelService models;
  @Autowired EndpointConfigService configs;
  @Autowired TrainingJobService jobs;
  @Autowired Placer placer;
  @Autowired TagService tags;
  @Autowired LogStore logs;
  @Autowired MutableClock clock;
  @Autowired JdbcTemplate jdbc;

  private String agent;

  @BeforeEach
  void clean() {
    Fixtures.wipe(jdbc);
    clock.set(SchedulerTestApplication.T0);
    agent = coordinator.register(anAgent("a1", 16, 65_536, 0)).agentId();
    model("m1", "serve:v1");
    config("cfg-1", "m1", 1);
  }

  // ---- fixtures ----

  private void model(String name, String image) {
    models.create(
        new ModelSpec(
            name,
            null,
            "{\"Image\":\""
                + image
                + "\",\"ModelDataUrl\":\"s3://models/"
                + name
                + "/model.tar.gz\",\"Environment\":{\"MODEL_VAR\":\"x\"}}",
            null,
            false,
            List.of()));
  }

  private void config(String name, String model, int count) {
    config(name, model, count, 1.0);
  }

  private void config(String name, String model, int count, double weight) {
    configs.create(
        new EndpointConfigSpec(
            name,
            List.of(new ProductionVariantSpec("AllTraffic", model, count, "ml.m5.large")),
            "{\"ProductionVariants\":[{\"VariantName\":\"AllTraffic\",\"ModelName\":\""
                + model
                + "\",\"InitialInstanceCount\":"
                + count
                + ",\"InstanceType\":\"ml.m5.large\",\"InitialVariantWeight\":"
                + weight
                + ","
                + "\"ContainerStartupHealthCheckTimeoutInSeconds\":120}]}",
            List.of()));
  }

  private List<TaskAssignment> poll() {
    return pollFull().assign();
  }

  private PollResponse pollFull() {
    return coordinator.poll(agent, new PollRequest(List.of()), Duration.ZERO);
  }

  private void report(TaskAssignment t, TaskPhase phase) {
    coordinator.report(
        t.taskId(), new TaskEvent(agent, phase, clock.instant(), phase.name(), null, null, false));
  }

  private void ready(TaskAssignment t) {
    for (TaskPhase p :
        List.of(
            TaskPhase.ACCEPTED,
            TaskPhase.PULLING_IMAGE,
            TaskPhase.DOWNLOADING,
            TaskPhase.RUNNING)) {
      report(t, p);
    }
    coordinator.report(
        t.taskId(),
        new TaskEvent(agent, TaskPhase.READY, clock.instant(), "ready", null, null, false, url(t)));
  }

  private void fail(TaskAssignment t, String reason) {
    coordinator.report(
        t.taskId(),
        new TaskEvent(agent, TaskPhase.FAILED, clock.instant(), "failed", 1, reason, false));
  }

  private static String url(TaskAssignment t) {
    return "http://10.0.0.5:" + (30000 + Math.abs(t.taskId().hashCode() % 1000));
  }

  /** Runs reconcile passes until one changes nothing. */
  private void settle() {
    for (int i = 0; i < 10 && fleets.reconcileOnce() > 0; i++) {
      // keep going
    }
  }

  private EndpointView inService(String name) {
    endpoints.create(name, "cfg-1", null, List.of());
    settle();
    List<TaskAssignment> tasks = poll();
    tasks.forEach(this::ready);
    settle();
    EndpointView v = endpoints.describe(name);
    assertThat(v.status()).isEqualTo(EndpointStatus.IN_SERVICE);
    return v;
  }

  private EndpointRoute route(String name) {
    return routing.current().endpoints().stream()
        .filter(e -> e.endpointName().equals(name))
        .findFirst()
        .orElse(null);
  }

  private static List<String> urls(EndpointRoute r) {
    List<String> out = new ArrayList<>();
    for (VariantRoute v : r.variants()) {
      v.replicas().stream().map(ReplicaRoute::url).forEach(out::add);
    }
    return out;
  }

  // ---- stories ----

  @Test
  void createPlacesAServingTaskAndAReadyReplicaPutsTheEndpointInServiceAndInTheTable() {
    String arn = endpoints.create("Ep-1", "cfg-1", null, List.of(new Tag("team", "ml")));
    assertThat(arn).isEqualTo(PREFIX + "endpoint/ep-1");
    assertThat(endpoints.describe("ep-1").status()).isEqualTo(EndpointStatus.CREATING);
    assertThat(route("Ep-1").status()).isEqualTo("Creating");
    assertThat(tags.list(arn, null, 10).items()).containsExactly(new Tag("team", "ml"));

    settle();
    List<TaskAssignment> tasks = poll();
    assertThat(tasks).hasSize(1);
    TaskAssignment t = tasks.get(0);
    assertThat(t.kind()).isEqualTo(TaskKind.SERVING);
    assertThat(t.image()).isEqualTo("serve:v1");
    assertThat(t.jobName()).isEqualTo("Ep-1");
    assertThat(t.hosts())
        .singleElement()
        .satisfies(h -> assertThat(h.logStream()).isEqualTo("AllTraffic/" + t.taskId()));
    assertThat(t.environment())
        .containsEntry("MODEL_VAR", "x")
        .containsEntry("SAGEMAKER_REGION", "us-east-1")
        .containsEntry("AWS_REGION", "us-east-1");
    assertThat(t.serving().containerPort()).isEqualTo(8080);
    assertThat(t.serving().variantName()).isEqualTo("AllTraffic");
    assertThat(t.serving().modelDataUrl()).isEqualTo("s3://models/m1/model.tar.gz");
    assertThat(t.serving().startupTimeoutSeconds()).isEqualTo(120);
    assertThat(t.serving().downloadTimeoutSeconds()).isEqualTo(600);
    assertThat(t.resources().cpus()).isEqualTo(2.0);

    long before = routing.current().version();
    ready(t);
    assertThat(routing.current().version()).isGreaterThan(before);
    settle();
    EndpointView v = endpoints.describe("EP-1");
    assertThat(v.status()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(v.configName()).isEqualTo("cfg-1");
    assertThat(v.variants())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.currentInstanceCount()).isEqualTo(1);
              assertThat(s.desiredInstanceCount()).isEqualTo(1);
              assertThat(s.currentWeight()).isEqualTo(1.0);
              assertThat(s.deployedImages().get(0).specifiedImage()).isEqualTo("serve:v1");
              assertThat(s.statuses()).isEmpty();
            });
    EndpointRoute r = route("Ep-1");
    assertThat(r.status()).isEqualTo("InService");
    assertThat(r.endpointArn()).isEqualTo(arn);
    assertThat(r.variants())
        .singleElement()
        .satisfies(
            vr -> {
              assertThat(vr.variantName()).isEqualTo("AllTraffic");
              assertThat(vr.weight()).isEqualTo(1.0);
              assertThat(vr.replicas()).containsExactly(new ReplicaRoute(t.taskId(), url(t)));
            });

    coordinator.appendLogs(
        t.taskId(),
        new LogBatch(agent, null, List.of(new LogLine(clock.millis(), "model server up"))));
    assertThat(
            logs.events(
                new LogQuery(
                    "/aws/sagemaker/Endpoints/Ep-1",
                    List.of("AllTraffic/" + t.taskId()),
                    null,
                    null,
                    null,
                    null,
                    null,
                    true,
                    null,
                    10)))
        .extracting(e -> e.message())
        .containsExactly("model server up");
  }

  @Test
  void createRefusesDuplicatesAndMissingConfigsOrModels() {
    endpoints.create("dup", "cfg-1", null, List.of());
    assertThatThrownBy(() -> endpoints.create("DUP", "cfg-1", null, List.of()))
        .isInstanceOfSatisfying(
            SagebrushException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION))
        .hasMessage("Cannot create already existing endpoint \"" + PREFIX + "endpoint/dup\".");
    assertThatThrownBy(() -> endpoints.create("x", "nope", null, List.of()))
        .hasMessage(
            "Could not find endpoint configuration \"" + PREFIX + "endpoint-config/nope\".");
    model("m-gone", "serve:v1");
    config("cfg-gone", "m-gone", 1);
    models.delete("m-gone");
    assertThatThrownBy(() -> endpoints.create("x", "cfg-gone", null, List.of()))
        .hasMessage("Could not find model \"" + PREFIX + "model/m-gone\".");
    assertThatThrownBy(() -> endpoints.describe("missing"))
        .isInstanceOfSatisfying(
            SagebrushException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION))
        .hasMessage("Could not find endpoint \"" + PREFIX + "endpoint/missing\".");
    assertThat(endpoints.exists("DUP")).isTrue();
  }

  @Test
  void configDeletedBeforeAModelWasMissingIsRefusedButDeletingAfterCreateKeepsServing() {
    inService("keeps");
    configs.delete("cfg-1");
    models.delete("m1");
    // a replica dies: its replacement is built from the endpoint's own copy
    TaskAssignment first = lastAssignment();
    fail(first, "OOM");
    settle();
    List<TaskAssignment> replacement = poll();
    assertThat(replacement)
        .singleElement()
        .satisfies(t -> assertThat(t.image()).isEqualTo("serve:v1"));
  }

  private TaskAssignment lastAssignment() {
    String json =
        jdbc.queryForObject(
            "SELECT assignment_json FROM sched_serving_replica WHERE NOT ended"
                + " ORDER BY created_at DESC, id LIMIT 1",
            String.class);
    return io.sagebrush.scheduler.trainingjob.adapter.persistence.TrainingJobStore.read(
        json, TaskAssignment.class);
  }

  @Test
  void aReplicaFailingWhileCreatingFailsTheEndpointWithTheAgentsReason() {
    endpoints.create("bad", "cfg-1", null, List.of());
    settle();
    TaskAssignment t = poll().get(0);
    report(t, TaskPhase.ACCEPTED);
    fail(t, "exit code 1: ImportError: no module named flask");
    settle();
    EndpointView v = endpoints.describe("bad");
    assertThat(v.status()).isEqualTo(EndpointStatus.FAILED);
    assertThat(v.failureReason())
        .isEqualTo(
            "The primary container for production variant AllTraffic did not pass the ping"
                + " health check: exit code 1: ImportError: no module named flask");
    assertThat(route("bad").status()).isEqualTo("Failed");
    assertThat(route("bad").variants()).isEmpty();
    assertThatThrownBy(
            () ->
                endpoints.update(new EndpointUpdate("bad", "cfg-1", false, Set.of(), null, false)))
        .hasMessage("Cannot update in-progress endpoint \"" + PREFIX + "endpoint/bad\".");
  }

  @Test
  void aReplicaThatDiesInServiceIsReplacedAndALostAgentsReplicasToo() {
    inService("heal");
    TaskAssignment first = lastAssignment();
    fail(first, "container exited with code 137");
    assertThat(urls(route("heal"))).isEmpty();
    settle();
    assertThat(endpoints.describe("heal").status()).isEqualTo(EndpointStatus.IN_SERVICE);
    TaskAssignment second = poll().get(0);
    ready(second);
    settle();
    assertThat(urls(route("heal"))).containsExactly(url(second));

    // the agent goes silent: its replica fails and is placed again once an agent is back
    clock.advance(Duration.ofSeconds(31));
    liveness.startWatching();
    clock.advance(Duration.ofSeconds(31));
    assertThat(liveness.checkOnce()).isEqualTo(1);
    assertThat(urls(route("heal"))).isEmpty();
    agent = coordinator.register(anAgent("a2", 16, 65_536, 0)).agentId();
    settle();
    assertThat(poll()).hasSize(1);
  }

  @Test
  void servingReplicasTakeCapacityTrainingJobsSee() {
    Fixtures.wipe(jdbc);
    agent = coordinator.register(anAgent("small", 2, 4096, 0)).agentId();
    model("m1", "serve:v1");
    config("cfg-1", "m1", 1);
    endpoints.create("busy", "cfg-1", null, List.of());
    settle();
    assertThat(poll()).hasSize(1);
    jobs.create(aTrainingJob("waits").build());
    assertThat(placer.placeQueued()).isZero();
    assertThat(jobs.describe("waits").transitions().get(0).statusMessage())
        .startsWith("Waiting for capacity");

    endpoints.create("second", "cfg-1", null, List.of());
    settle();
    assertThat(poll()).isEmpty();
  }

  @Test
  void aFleetWaitingForCapacityIsPlacedAsSoonAsATrainingJobFreesIt() {
    Fixtures.wipe(jdbc);
    agent = coordinator.register(anAgent("small", 2, 4096, 0)).agentId();
    jobs.create(aTrainingJob("hog").build());
    assertThat(placer.placeQueued()).isEqualTo(1);
    TaskAssignment training = poll().get(0);
    report(training, TaskPhase.RUNNING);
    model("m1", "serve:v1");
    config("cfg-1", "m1", 1);
    endpoints.create("waits", "cfg-1", null, List.of());
    settle();
    assertThat(poll()).isEmpty();
    assertThat(jdbc.queryForObject("SELECT waiting_for FROM sched_endpoint_fleet", String.class))
        .startsWith("Waiting for capacity");

    // the job ends: the fleet hears of the freed capacity at once, not after its retry interval
    // (the clock does not move)
    report(training, TaskPhase.SUCCEEDED);
    settle();
    assertThat(poll()).extracting(TaskAssignment::image).containsExactly("serve:v1");
  }

  @Test
  void allAtOnceUpdateTakesTheOldFleetOutOfTheTableBeforeItsStopOrder() {
    inService("bg");
    TaskAssignment old = lastAssignment();
    model("m2", "serve:v2");
    config("cfg-2", "m2", 1);
    endpoints.update(new EndpointUpdate("bg", "cfg-2", false, Set.of(), null, false));
    EndpointView updating = endpoints.describe("bg");
    assertThat(updating.status()).isEqualTo(EndpointStatus.UPDATING);
    assertThat(updating.pending().endpointConfigName()).isEqualTo("cfg-2");
    assertThat(updating.configName()).isEqualTo("cfg-1");
    assertThatThrownBy(
            () -> endpoints.update(new EndpointUpdate("bg", "cfg-2", false, Set.of(), null, false)))
        .hasMessage("Cannot update in-progress endpoint \"" + PREFIX + "endpoint/bg\".");
    settle();
    TaskAssignment fresh = poll().get(0);
    assertThat(fresh.image()).isEqualTo("serve:v2");
    assertThat(urls(route("bg"))).containsExactly(url(old));
    ready(fresh);
    settle();

    EndpointView done = endpoints.describe("bg");
    assertThat(done.status()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(done.configName()).isEqualTo("cfg-2");
    assertThat(done.pending()).isNull();
    assertThat(urls(route("bg"))).containsExactly(url(fresh));
    // out of the table, not stopped yet: requests in flight finish
    assertThat(pollFull().stop()).isEmpty();
    clock.advance(Duration.ofSeconds(5));
    settle();
    assertThat(pollFull().stop()).containsExactly(old.taskId());
    report(old, TaskPhase.STOPPED);
    settle();
    assertThat(jdbc.queryForObject("SELECT count(*) FROM sched_endpoint_fleet", Integer.class))
        .isEqualTo(1);
  }

  @Test
  void linearUpdateShiftsTrafficStepByStepOnVirtualTime() {
    config("cfg-2x", "m1", 2);
    endpoints.create("lin", "cfg-2x", null, List.of());
    settle();
    poll().forEach(this::ready);
    settle();
    model("m2", "serve:v2");
    config("cfg-3", "m2", 2);
    DeploymentPolicy linear =
        new DeploymentPolicy(
            new DeploymentPolicy.BlueGreen(
                new DeploymentPolicy.TrafficRouting(
                    "LINEAR", 60, null, new DeploymentPolicy.CapacitySize("INSTANCE_COUNT", 1)),
                0,
                null),
            null,
            List.of(),
            "{\"BlueGreenUpdatePolicy\":{}}");
    endpoints.update(new EndpointUpdate("lin", "cfg-3", false, Set.of(), linear, false));
    settle();
    poll().forEach(this::ready);
    settle();
    List<VariantRoute> half = route("lin").variants();
    assertThat(half).extracting(VariantRoute::weight).containsExactly(0.5, 0.5);
    assertThat(half).extracting(VariantRoute::fleet).doesNotHaveDuplicates();
    clock.advance(Duration.ofSeconds(60));
    settle();
    assertThat(route("lin").variants())
        .singleElement()
        .satisfies(v -> assertThat(v.weight()).isEqualTo(1.0));
    assertThat(endpoints.describe("lin").status()).isEqualTo(EndpointStatus.UPDATING);
    assertThat(pollFull().stop()).isEmpty();
    clock.advance(Duration.ofSeconds(60));
    settle();
    EndpointView done = endpoints.describe("lin");
    assertThat(done.status()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(done.lastDeploymentConfigJson()).isEqualTo("{\"BlueGreenUpdatePolicy\":{}}");
    clock.advance(Duration.ofSeconds(5));
    settle();
    assertThat(pollFull().stop()).hasSize(2);
  }

  @Test
  void aBrokenNewFleetRollsBackAndTheOldFleetKeepsServing() {
    inService("rb");
    TaskAssignment old = lastAssignment();
    model("m2", "serve:broken");
    config("cfg-2", "m2", 1);
    endpoints.update(new EndpointUpdate("rb", "cfg-2", false, Set.of(), null, false));
    settle();
    TaskAssignment broken = poll().get(0);
    report(broken, TaskPhase.RUNNING);
    fail(broken, "did not pass the ping health check within 120 seconds");
    settle();
    EndpointView v = endpoints.describe("rb");
    assertThat(v.status()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(v.configName()).isEqualTo("cfg-1");
    assertThat(v.pending()).isNull();
    assertThat(v.failureReason())
        .isEqualTo(
            "Endpoint update rolled back: The primary container for production variant"
                + " AllTraffic did not pass the ping health check: did not pass the ping health"
                + " check within 120 seconds");
    assertThat(urls(route("rb"))).containsExactly(url(old));
    // a later update may try again
    endpoints.update(new EndpointUpdate("rb", "cfg-1", false, Set.of(), null, false));
  }

  @Test
  void weightsMoveAtOnceAndCountsThroughTheReconciler() {
    inService("w");
    assertThatThrownBy(
            () ->
                endpoints.updateWeightsAndCapacities(
                    "w", List.of(new DesiredWeightAndCapacity("Nope", 2.0, null))))
        .isInstanceOfSatisfying(
            SagebrushException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION))
        .hasMessageContaining("Nope");
    endpoints.updateWeightsAndCapacities(
        "w", List.of(new DesiredWeightAndCapacity("AllTraffic", 3.0, null)));
    assertThat(route("w").variants().get(0).weight()).isEqualTo(3.0);
    assertThat(endpoints.describe("w").status()).isEqualTo(EndpointStatus.IN_SERVICE);

    endpoints.updateWeightsAndCapacities(
        "w", List.of(new DesiredWeightAndCapacity("AllTraffic", null, 2)));
    assertThat(endpoints.describe("w").status()).isEqualTo(EndpointStatus.UPDATING);
    settle();
    TaskAssignment extra = poll().get(0);
    assertThat(endpoints.describe("w").variants().get(0).desiredInstanceCount()).isEqualTo(2);
    ready(extra);
    settle();
    EndpointView v = endpoints.describe("w");
    assertThat(v.status()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(v.variants().get(0).currentInstanceCount()).isEqualTo(2);
    assertThat(v.variants().get(0).currentWeight()).isEqualTo(3.0);
  }

  @Test
  void anUpdateThatChangesOnlyWeightsAppliesInPlaceWithoutANewFleet() {
    inService("inplace");
    config("cfg-w", "m1", 1, 4.0);
    endpoints.update(new EndpointUpdate("inplace", "cfg-w", false, Set.of(), null, false));
    EndpointView v = endpoints.describe("inplace");
    assertThat(v.status()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(v.configName()).isEqualTo("cfg-w");
    assertThat(route("inplace").variants().get(0).weight()).isEqualTo(4.0);
    settle();
    assertThat(poll()).isEmpty();
  }

  @Test
  void retainAllVariantPropertiesKeepsTheCurrentCountsAndWeights() {
    inService("retain");
    endpoints.updateWeightsAndCapacities(
        "retain", List.of(new DesiredWeightAndCapacity("AllTraffic", 2.5, 2)));
    settle();
    poll().forEach(this::ready);
    settle();
    model("m2", "serve:v2");
    config("cfg-2", "m2", 1);
    endpoints.update(new EndpointUpdate("retain", "cfg-2", true, Set.of(), null, false));
    settle();
    List<TaskAssignment> fresh = poll();
    assertThat(fresh).hasSize(2).allSatisfy(t -> assertThat(t.image()).isEqualTo("serve:v2"));
    fresh.forEach(this::ready);
    settle();
    EndpointView v = endpoints.describe("retain");
    assertThat(v.status()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(v.variants().get(0).desiredInstanceCount()).isEqualTo(2);
    assertThat(v.variants().get(0).currentWeight()).isEqualTo(2.5);
  }

  @Test
  void aRestartedAgentThatNoLongerRunsAReplicaGetsItReplaced() {
    inService("restart");
    TaskAssignment lostOne = lastAssignment();
    clock.advance(Duration.ofSeconds(1));
    coordinator.register(
        new io.sagebrush.protocol.AgentRegistration(
            agent, "a1", 16, 65_536, List.of(), "docker", "test"));
    pollFull();
    assertThat(urls(route("restart"))).containsExactly(url(lostOne));
    pollFull();
    assertThat(urls(route("restart"))).isEmpty();
    settle();
    assertThat(poll())
        .singleElement()
        .satisfies(t -> assertThat(t.taskId()).isNotEqualTo(lostOne.taskId()));
  }

  @Test
  void deleteStopsReplicasAndThenDescribeFailsWithValidation() {
    inService("gone");
    TaskAssignment t = lastAssignment();
    endpoints.delete("gone");
    assertThat(endpoints.describe("gone").status()).isEqualTo(EndpointStatus.DELETING);
    settle();
    assertThat(pollFull().stop()).containsExactly(t.taskId());
    assertThat(route("gone").variants()).isEmpty();
    report(t, TaskPhase.STOPPED);
    settle();
    assertThatThrownBy(() -> endpoints.describe("gone"))
        .isInstanceOfSatisfying(
            SagebrushException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION))
        .hasMessage("Could not find endpoint \"" + PREFIX + "endpoint/gone\".");
    assertThat(route("gone")).isNull();
    assertThatThrownBy(() -> endpoints.delete("gone")).isInstanceOf(SagebrushException.class);
  }

  @Test
  void listFiltersSortsAndPages() {
    endpoints.create("b-one", "cfg-1", null, List.of());
    clock.advance(Duration.ofSeconds(1));
    endpoints.create("a-two", "cfg-1", null, List.of());
    clock.advance(Duration.ofSeconds(1));
    endpoints.create("c-three", "cfg-1", null, List.of());
    Page<EndpointView> first =
        endpoints.list(
            new EndpointQuery(
                null, null, null, null, null, null, "Name", SortOrder.Ascending, 2, null));
    assertThat(first.items()).extracting(EndpointView::name).containsExactly("a-two", "b-one");
    Page<EndpointView> second =
        endpoints.list(
            new EndpointQuery(
                null,
                null,
                null,
                null,
                null,
                null,
                "Name",
                SortOrder.Ascending,
                2,
                first.nextToken()));
    assertThat(second.items()).extracting(EndpointView::name).containsExactly("c-three");
    assertThat(second.nextToken()).isNull();
    assertThat(
            endpoints
                .list(
                    new EndpointQuery(
                        "O", null, null, null, null, EndpointStatus.CREATING, null, null, 10, null))
                .items())
        .extracting(EndpointView::name)
        .containsExactly("a-two", "b-one");
  }

  @Autowired org.springframework.transaction.PlatformTransactionManager txManager;

  @Test
  void anotherControlPlaneReplicaSeesTheNewVersionOnItsNextDatabaseCheck() throws Exception {
    RoutingTableService other =
        new io.sagebrush.scheduler.endpoint.service.DefaultRoutingTableService(
            new org.springframework.transaction.support.TransactionTemplate(txManager),
            new io.sagebrush.scheduler.endpoint.adapter.persistence.EndpointStore(
                jdbc, new io.sagebrush.scheduler.leader.Signal()),
            new io.sagebrush.scheduler.leader.Signal(),
            Duration.ofMillis(200));
    long v = other.current().version();
    CompletableFuture<RoutingTable> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return other.awaitNewer(v, Duration.ofSeconds(20));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(100);
    endpoints.create("shared", "cfg-1", null, List.of());
    RoutingTable t = waiting.get(5, TimeUnit.SECONDS);
    assertThat(t.version()).isEqualTo(routing.current().version());
    assertThat(t.endpoints()).extracting(EndpointRoute::endpointName).containsExactly("shared");
  }

  @Test
  void awaitNewerReturnsAsSoonAsTheTableChangesAndNullOnTimeout() throws Exception {
    long v = routing.current().version();
    assertThat(routing.awaitNewer(v, Duration.ofMillis(100))).isNull();
    CompletableFuture<RoutingTable> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return routing.awaitNewer(v, Duration.ofSeconds(20));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(100);
    long start = System.nanoTime();
    endpoints.create("wake", "cfg-1", null, List.of());
    RoutingTable t = waiting.get(5, TimeUnit.SECONDS);
    assertThat(System.nanoTime() - start).isLessThan(Duration.ofMillis(900).toNanos());
    assertThat(t.version()).isGreaterThan(v);
    assertThat(t.endpoints()).extracting(EndpointRoute::endpointName).contains("wake");
  }

  // ---- review fixes ----

  @Autowired javax.sql.DataSource dataSource;

  private long endpointId(String name) {
    return jdbc.queryForObject("SELECT id FROM sched_endpoint WHERE name = ?", Long.class, name);
  }

  @Test
  void aReplicaFailedByItsStartupDeadlineIsStoppedAndHoldsItsCapacityUntilTheStopIsConfirmed() {
    endpoints.create("slow", "cfg-1", null, List.of());
    settle();
    TaskAssignment t = poll().get(0);
    report(t, TaskPhase.ACCEPTED);
    // startup 120 s + download 600 s + slack 60 s
    clock.advance(Duration.ofSeconds(781));
    settle();
    assertThat(endpoints.describe("slow").status()).isEqualTo(EndpointStatus.FAILED);
    assertThat(
            jdbc.queryForObject(
                "SELECT ended FROM sched_serving_replica WHERE id = ?", Boolean.class, t.taskId()))
        .isFalse();
    assertThat(pollFull().stop()).containsExactly(t.taskId());
    report(t, TaskPhase.STOPPED);
    assertThat(
            jdbc.queryForObject(
                "SELECT ended FROM sched_serving_replica WHERE id = ?", Boolean.class, t.taskId()))
        .isTrue();
  }

  @Test
  void aFailedReplicaWhoseStopIsNeverConfirmedFreesItsCapacityAfterTheStopTimeout() {
    endpoints.create("mute", "cfg-1", null, List.of());
    settle();
    TaskAssignment t = poll().get(0);
    clock.advance(Duration.ofSeconds(781));
    settle();
    clock.advance(Duration.ofSeconds(59));
    settle();
    assertThat(
            jdbc.queryForObject(
                "SELECT ended FROM sched_serving_replica WHERE id = ?", Boolean.class, t.taskId()))
        .isFalse();
    clock.advance(Duration.ofSeconds(6));
    settle();
    assertThat(
            jdbc.queryForObject(
                "SELECT ended FROM sched_serving_replica WHERE id = ?", Boolean.class, t.taskId()))
        .isTrue();
  }

  @Test
  void theRoutingTableIsReadInOneSnapshot() throws Exception {
    endpoints.create("torn", "cfg-1", null, List.of());
    settle();
    TaskAssignment t = poll().get(0);
    org.springframework.transaction.support.TransactionTemplate other =
        new org.springframework.transaction.support.TransactionTemplate(txManager);
    boolean[] once = {true};
    io.sagebrush.scheduler.endpoint.adapter.persistence.EndpointStore racing =
        new io.sagebrush.scheduler.endpoint.adapter.persistence.EndpointStore(
            jdbc, new io.sagebrush.scheduler.leader.Signal()) {
          @Override
          public java.util.Map<Long, List<io.sagebrush.scheduler.endpoint.domain.Fleet>>
              allFleets() {
            if (once[0]) {
              once[0] = false;
              // another transaction commits a READY replica and its version bump meanwhile
              CompletableFuture.runAsync(
                      () ->
                          other.executeWithoutResult(
                              s -> {
                                jdbc.update(
                                    "UPDATE sched_serving_replica SET state = 'READY',"
                                        + " address = 'http://10.0.0.9:1' WHERE id = ?",
                                    t.taskId());
                                jdbc.update(
                                    "UPDATE sched_routing_version SET version = version + 1");
                              }))
                  .join();
            }
            return super.allFleets();
          }
        };
    RoutingTableService service =
        new io.sagebrush.scheduler.endpoint.service.DefaultRoutingTableService(
            new org.springframework.transaction.support.TransactionTemplate(txManager),
            racing,
            new io.sagebrush.scheduler.leader.Signal(),
            Duration.ofMillis(200));
    long before = routing.current().version();
    RoutingTable first = service.current();
    // the version read first and the rows read after it come from the same moment
    assertThat(first.version()).isEqualTo(before);
    assertThat(first.endpoints().get(0).variants()).isEmpty();
    RoutingTable second = service.current();
    assertThat(second.version()).isEqualTo(before + 1);
    assertThat(urls(second.endpoints().get(0))).containsExactly("http://10.0.0.9:1");
  }

  @Test
  void aRepeatedReadyWithTheSameAddressDoesNotBumpTheRoutingVersion() {
    inService("same");
    TaskAssignment t = lastAssignment();
    long v = routing.current().version();
    coordinator.report(
        t.taskId(),
        new TaskEvent(agent, TaskPhase.READY, clock.instant(), "ready", null, null, false, url(t)));
    assertThat(routing.current().version()).isEqualTo(v);
    coordinator.report(
        t.taskId(),
        new TaskEvent(
            agent, TaskPhase.READY, clock.instant(), "ready", null, null, false, "http://moved:1"));
    assertThat(routing.current().version()).isGreaterThan(v);
    assertThat(urls(route("same"))).containsExactly("http://moved:1");
  }

  @Test
  void aLostAgentLocksItsReplicasEndpointsInIdOrder() throws Exception {
    inService("lock-a");
    inService("lock-b");
    // lock-a's replica is the newer one: created_at order is b, a; id order is a, b
    jdbc.update(
        "UPDATE sched_serving_replica SET created_at = created_at + interval '1 hour'"
            + " WHERE endpoint_name = 'lock-a'");
    try (java.sql.Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (java.sql.Statement st = c.createStatement()) {
        st.execute("SELECT id FROM sched_endpoint WHERE name = 'lock-a' FOR UPDATE");
        clock.advance(Duration.ofSeconds(31));
        liveness.startWatching();
        clock.advance(Duration.ofSeconds(31));
        CompletableFuture<Integer> lost = CompletableFuture.supplyAsync(liveness::checkOnce);
        for (int i = 0; i < 100; i++) {
          Integer waiting =
              jdbc.queryForObject("SELECT count(*) FROM pg_locks WHERE NOT granted", Integer.class);
          if (waiting != null && waiting > 0) {
            break;
          }
          Thread.sleep(50);
        }
        // the monitor waits for lock-a and holds no other endpoint: lock-b is free
        st.execute("SET LOCAL lock_timeout = '500ms'");
        st.execute("SELECT id FROM sched_endpoint WHERE name = 'lock-b' FOR UPDATE");
        c.commit();
        assertThat(lost.get(10, TimeUnit.SECONDS)).isEqualTo(1);
      } finally {
        c.rollback();
      }
    }
  }

  @Test
  void anInPlaceCountChangeStartsAFreshPlacementWait() {
    inService("grow");
    // the fleet once waited for capacity long ago (a replacement that found none)
    jdbc.update(
        "UPDATE sched_endpoint_fleet SET waiting_since = ?, waiting_for = 'Waiting for capacity'",
        java.sql.Timestamp.from(clock.instant().minus(Duration.ofMinutes(11))));
    config("cfg-2", "m1", 2);
    endpoints.update(new EndpointUpdate("grow", "cfg-2", false, Set.of(), null, false));
    settle();
    EndpointView v = endpoints.describe("grow");
    assertThat(v.status()).isEqualTo(EndpointStatus.UPDATING);
    assertThat(v.failureReason()).isNull();
  }

  @Test
  void anInstanceTypeNoLongerInTheCatalogueIsRefusedAtCreateAndUpdate() {
    inService("typed");
    config("cfg-2", "m1", 2);
    jdbc.update(
        "UPDATE sched_endpoint_config SET echo_json = replace(echo_json, 'ml.m5.large',"
            + " 'ml.gone.large')");
    assertThatThrownBy(() -> endpoints.create("untyped", "cfg-1", null, List.of()))
        .isInstanceOfSatisfying(
            SagebrushException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION))
        .hasMessageContaining("ml.gone.large")
        .hasMessageContaining("AllTraffic");
    assertThatThrownBy(
            () ->
                endpoints.update(
                    new EndpointUpdate("typed", "cfg-2", false, Set.of(), null, false)))
        .isInstanceOfSatisfying(
            SagebrushException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION))
        .hasMessageContaining("ml.gone.large");
    assertThat(endpoints.exists("untyped")).isFalse();
    assertThat(endpoints.describe("typed").status()).isEqualTo(EndpointStatus.IN_SERVICE);
  }

  @Test
  void aContainerImageIsPlacedOnlyOnDockerAgentsAndBuiltInsAlsoOnProcessAgents() {
    Fixtures.wipe(jdbc);
    agent =
        coordinator
            .register(
                anAgent(
                    "proc", 16, 65_536, 0, io.sagebrush.protocol.AgentRegistration.RUNTIME_PROCESS))
            .agentId();
    model("m1", "serve:v1");
    config("cfg-1", "m1", 1);
    model("m-xgb", "sagebrush/xgboost:1.7-1");
    config("cfg-xgb", "m-xgb", 1);
    endpoints.create("custom", "cfg-1", null, List.of());
    endpoints.create("builtin", "cfg-xgb", null, List.of());
    settle();
    assertThat(poll()).singleElement().satisfies(t -> assertThat(t.jobName()).isEqualTo("builtin"));
    assertThat(
            jdbc.queryForObject(
                "SELECT waiting_for FROM sched_endpoint_fleet f JOIN sched_endpoint e"
                    + " ON e.id = f.endpoint_id WHERE e.name = 'custom'",
                String.class))
        .contains("docker runtime")
        .contains("serve:v1");

    agent = coordinator.register(anAgent("dock", 16, 65_536, 0)).agentId();
    settle();
    assertThat(poll()).singleElement().satisfies(t -> assertThat(t.jobName()).isEqualTo("custom"));
  }

  @Test
  void aSettledEndpointIsNotLockedByTheReconciler() throws Exception {
    inService("calm");
    try (java.sql.Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (java.sql.Statement st = c.createStatement()) {
        st.execute("SELECT id FROM sched_endpoint WHERE name = 'calm' FOR UPDATE");
        CompletableFuture<Integer> pass = CompletableFuture.supplyAsync(fleets::reconcileOnce);
        assertThat(pass.get(3, TimeUnit.SECONDS)).isZero();
      } finally {
        c.rollback();
      }
    }
  }

  @Test
  void aFleetWaitingForCapacityDoesNotTakeTheCapacityLockOnEveryPass() throws Exception {
    Fixtures.wipe(jdbc);
    agent = coordinator.register(anAgent("tiny", 1, 1024, 0)).agentId();
    model("m1", "serve:v1");
    config("cfg-1", "m1", 1);
    endpoints.create("starved", "cfg-1", null, List.of());
    settle();
    assertThat(jdbc.queryForObject("SELECT waiting_for FROM sched_endpoint_fleet", String.class))
        .startsWith("Waiting for capacity");
    try (java.sql.Connection c = dataSource.getConnection()) {
      try (java.sql.Statement st = c.createStatement()) {
        st.execute(
            "SELECT pg_advisory_lock("
                + io.sagebrush.scheduler.trainingjob.adapter.persistence.TrainingJobStore
                    .CAPACITY_LOCK
                + ")");
        try {
          CompletableFuture<Integer> pass = CompletableFuture.supplyAsync(fleets::reconcileOnce);
          assertThat(pass.get(3, TimeUnit.SECONDS)).isZero();
        } finally {
          st.execute(
              "SELECT pg_advisory_unlock("
                  + io.sagebrush.scheduler.trainingjob.adapter.persistence.TrainingJobStore
                      .CAPACITY_LOCK
                  + ")");
        }
      }
    }
    // a new agent (a nudge) or the retry interval lets it try again
    agent = coordinator.register(anAgent("big", 16, 65_536, 0)).agentId();
    settle();
    assertThat(poll()).hasSize(1);
  }
}
