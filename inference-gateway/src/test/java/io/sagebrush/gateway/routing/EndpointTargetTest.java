package io.sagebrush.gateway.routing;

import static io.sagebrush.gateway.support.Tables.aFleet;
import static io.sagebrush.gateway.support.Tables.aTable;
import static io.sagebrush.gateway.support.Tables.aVariant;
import static io.sagebrush.gateway.support.Tables.anEndpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sagebrush.gateway.metrics.GatewayMetrics;
import io.sagebrush.protocol.RoutingTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EndpointTargetTest {
  final Router router = new Router(new GatewayMetrics(new SimpleMeterRegistry()), r -> {});
  final Random random = new Random(42);

  EndpointTarget compile(RoutingTable table) {
    router.apply(table);
    return router.endpoint(table.endpoints().get(0).endpointName());
  }

  @Test
  void variantsAreChosenInProportionToTheirWeights() {
    EndpointTarget ep =
        compile(
            aTable(
                1,
                anEndpoint(
                    "ep",
                    aVariant("A", 0.7, "http://127.0.0.1:1"),
                    aVariant("B", 0.2, "http://127.0.0.1:2"),
                    aVariant("C", 0.1, "http://127.0.0.1:3"))));
    Map<String, Integer> counts = new HashMap<>();
    int n = 100_000;
    for (int i = 0; i < n; i++) {
      counts.merge(ep.chooseRoute(random.nextDouble()).variantName(), 1, Integer::sum);
    }
    assertThat(counts.get("A") / (double) n).isCloseTo(0.7, within(0.01));
    assertThat(counts.get("B") / (double) n).isCloseTo(0.2, within(0.01));
    assertThat(counts.get("C") / (double) n).isCloseTo(0.1, within(0.01));
  }

  @Test
  void theBoundariesOfTheWeightLineFallOnTheRightTargets() {
    EndpointTarget ep =
        compile(
            aTable(
                1,
                anEndpoint(
                    "ep",
                    aVariant("A", 3, "http://127.0.0.1:1"),
                    aVariant("B", 1, "http://127.0.0.1:2"))));
    assertThat(ep.chooseRoute(0.0).variantName()).isEqualTo("A");
    assertThat(ep.chooseRoute(0.7499).variantName()).isEqualTo("A");
    assertThat(ep.chooseRoute(0.75).variantName()).isEqualTo("B");
    assertThat(ep.chooseRoute(0.999999).variantName()).isEqualTo("B");
  }

  @Test
  void aZeroWeightVariantGetsNoTrafficButCanBeTargeted() {
    EndpointTarget ep =
        compile(
            aTable(
                1,
                anEndpoint(
                    "ep",
                    aVariant("A", 1, "http://127.0.0.1:1"),
                    aVariant("B", 0, "http://127.0.0.1:2"))));
    for (int i = 0; i < 1000; i++) {
      assertThat(ep.chooseRoute(random.nextDouble()).variantName()).isEqualTo("A");
    }
    assertThat(EndpointTarget.chooseAmong(ep.variant("B"), 0.5).variantName()).isEqualTo("B");
    assertThat(ep.variant("nope")).isNull();
  }

  @Test
  void aTargetWithoutReplicasGetsNoTrafficAndAnEndpointWithoutAnyHasNoChoice() {
    EndpointTarget ep =
        compile(
            aTable(1, anEndpoint("ep", aVariant("A", 1), aVariant("B", 1, "http://127.0.0.1:2"))));
    for (int i = 0; i < 100; i++) {
      assertThat(ep.chooseRoute(random.nextDouble()).variantName()).isEqualTo("B");
    }
    EndpointTarget empty = compile(aTable(2, anEndpoint("ep", aVariant("A", 1))));
    assertThat(empty.chooseRoute(0.3)).isNull();
  }

  @Test
  void twoFleetsOfOneVariantShareItsTrafficByWeightDuringAnUpdate() {
    EndpointTarget ep =
        compile(
            aTable(
                1,
                anEndpoint(
                    "ep",
                    aFleet("A", "old", 0.25, "http://127.0.0.1:1"),
                    aFleet("A", "new", 0.75, "http://127.0.0.1:2", "http://127.0.0.1:3"))));
    assertThat(ep.variant("A")).hasSize(2);
    assertThat(ep.routes()).allSatisfy(r -> assertThat(r.variantReplicas()).isEqualTo(3));
    int newFleet = 0;
    for (int i = 0; i < 10_000; i++) {
      if (EndpointTarget.chooseAmong(ep.variant("A"), random.nextDouble()).fleet().equals("new")) {
        newFleet++;
      }
    }
    assertThat(newFleet / 10_000.0).isCloseTo(0.75, within(0.02));
  }

  @Test
  void theReplicaWithTheFewestRequestsInFlightIsChosen() {
    EndpointTarget ep =
        compile(
            aTable(
                1,
                anEndpoint(
                    "ep",
                    aVariant(
                        "A",
                        1,
                        "http://127.0.0.1:1",
                        "http://127.0.0.1:2",
                        "http://127.0.0.1:3"))));
    List<Replica> replicas = ep.routes().get(0).replicas();
    replicas.get(0).requestStarted();
    replicas.get(0).requestStarted();
    replicas.get(1).requestStarted();
    assertThat(
            EndpointTarget.leastOutstanding(
                replicas, null, System.nanoTime(), new SplittableRandom()))
        .isSameAs(replicas.get(2));
    replicas.get(2).requestStarted();
    replicas.get(2).requestStarted();
    assertThat(
            EndpointTarget.leastOutstanding(
                replicas, null, System.nanoTime(), new SplittableRandom()))
        .isSameAs(replicas.get(1));
  }

  @Test
  void tiesAreBrokenAtRandom() {
    EndpointTarget ep =
        compile(
            aTable(
                1,
                anEndpoint(
                    "ep",
                    aVariant(
                        "A",
                        1,
                        "http://127.0.0.1:1",
                        "http://127.0.0.1:2",
                        "http://127.0.0.1:3"))));
    List<Replica> replicas = ep.routes().get(0).replicas();
    Map<Replica, Integer> counts = new HashMap<>();
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 30_000; i++) {
      counts.merge(
          EndpointTarget.leastOutstanding(replicas, null, System.nanoTime(), r), 1, Integer::sum);
    }
    assertThat(counts).hasSize(3);
    counts.values().forEach(c -> assertThat(c / 30_000.0).isCloseTo(1 / 3.0, within(0.02)));
  }

  @Test
  void anUnhealthyReplicaIsSkippedUntilItsTimeIsUpUnlessNoOtherIsLeft() {
    EndpointTarget ep =
        compile(
            aTable(
                1, anEndpoint("ep", aVariant("A", 1, "http://127.0.0.1:1", "http://127.0.0.1:2"))));
    List<Replica> replicas = ep.routes().get(0).replicas();
    long now = System.nanoTime();
    replicas.get(1).requestStarted();
    replicas.get(0).markUnhealthy(now + 5_000_000_000L);
    assertThat(EndpointTarget.leastOutstanding(replicas, null, now, new SplittableRandom()))
        .isSameAs(replicas.get(1));
    assertThat(
            EndpointTarget.leastOutstanding(
                replicas, null, now + 6_000_000_000L, new SplittableRandom()))
        .isSameAs(replicas.get(0));
    assertThat(
            EndpointTarget.leastOutstanding(
                replicas, List.of(replicas.get(1)), now, new SplittableRandom()))
        .isSameAs(replicas.get(0));
    assertThat(EndpointTarget.leastOutstanding(replicas, replicas, now, new SplittableRandom()))
        .isNull();
  }

  @Test
  void aRetryGoesToAnotherReplicaOfTheSameTargetFirstThenToOtherTargets() {
    EndpointTarget ep =
        compile(
            aTable(
                1,
                anEndpoint(
                    "ep",
                    aVariant("A", 1, "http://127.0.0.1:1", "http://127.0.0.1:2"),
                    aVariant("B", 1, "http://127.0.0.1:3"))));
    RouteTarget a = ep.variant("A").get(0);
    RouteTarget b = ep.variant("B").get(0);
    long now = System.nanoTime();
    EndpointTarget.Pick first =
        ep.retryTarget(a, false, List.of(a.replicas().get(0)), now, new SplittableRandom());
    assertThat(first.route()).isSameAs(a);
    assertThat(first.replica()).isSameAs(a.replicas().get(1));
    EndpointTarget.Pick second =
        ep.retryTarget(a, false, a.replicas(), now, new SplittableRandom());
    assertThat(second.route()).isSameAs(b);
    assertThat(ep.retryTarget(a, true, a.replicas(), now, new SplittableRandom())).isNull();
  }

  @Test
  void servingStatusesAreThoseThatKeepAFleet() {
    assertThat(compile(aTable(1, anEndpoint("ep", "InService"))).serving()).isTrue();
    assertThat(compile(aTable(1, anEndpoint("ep", "Updating"))).serving()).isTrue();
    assertThat(compile(aTable(1, anEndpoint("ep", "RollingBack"))).serving()).isTrue();
    assertThat(compile(aTable(1, anEndpoint("ep", "Creating"))).serving()).isFalse();
    assertThat(compile(aTable(1, anEndpoint("ep", "Failed"))).serving()).isFalse();
  }
}
