package io.sagebrush.gateway.routing;

import static io.sagebrush.gateway.support.Tables.aTable;
import static io.sagebrush.gateway.support.Tables.aVariant;
import static io.sagebrush.gateway.support.Tables.anEndpoint;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sagebrush.gateway.metrics.GatewayMetrics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final List<Replica> retired = new ArrayList<>();
  final Router router = new Router(new GatewayMetrics(registry), retired::addAll);

  @Test
  void aSwapKeepsTheStateOfReplicasThatStayAndRetiresTheOthers() {
    router.apply(
        aTable(1, anEndpoint("ep", aVariant("A", 1, "http://127.0.0.1:1", "http://127.0.0.1:2"))));
    Replica staying = router.endpoint("ep").routes().get(0).replicas().get(0);
    Replica leaving = router.endpoint("ep").routes().get(0).replicas().get(1);
    staying.requestStarted();
    leaving.requestStarted();

    router.apply(
        aTable(
            2,
            anEndpoint(
                "ep",
                aVariant("A", 1, "http://127.0.0.1:1"),
                aVariant("B", 1, "http://127.0.0.1:9"))));

    Replica after = router.endpoint("ep").variant("A").get(0).replicas().get(0);
    assertThat(after).isSameAs(staying);
    assertThat(after.outstanding()).isEqualTo(1);
    assertThat(leaving.retired()).isTrue();
    assertThat(staying.retired()).isFalse();
    assertThat(retired).containsExactly(leaving);
    assertThat(router.version()).isEqualTo(2);
    // the request in flight on the retired replica still completes and is counted down
    leaving.requestEnded();
    assertThat(leaving.outstanding()).isZero();
  }

  @Test
  void aRetiredReplicaGetsNoNewRequests() {
    router.apply(aTable(1, anEndpoint("ep", aVariant("A", 1, "http://127.0.0.1:1"))));
    List<Replica> old = router.endpoint("ep").routes().get(0).replicas();
    router.apply(aTable(2, anEndpoint("ep", aVariant("A", 1, "http://127.0.0.1:2"))));
    assertThat(
            EndpointTarget.leastOutstanding(
                old, null, System.nanoTime(), new java.util.SplittableRandom()))
        .isNull();
  }

  @Test
  void endpointsLeavingTheTableBecomeUnknown() {
    router.apply(aTable(1, anEndpoint("ep", aVariant("A", 1, "http://127.0.0.1:1"))));
    assertThat(router.endpoint("ep")).isNotNull();
    router.apply(aTable(2));
    assertThat(router.endpoint("ep")).isNull();
    assertThat(router.endpoint("other")).isNull();
  }

  @Test
  void eachVariantGetsItsTaggedMetersAndTheTableVersionIsAGauge() {
    router.apply(aTable(7, anEndpoint("ep", aVariant("A", 1, "http://127.0.0.1:1"))));
    router.endpoint("ep").routes().get(0).meters().invoked(1);
    assertThat(
            registry
                .get("sagemaker.invocations")
                .tag("EndpointName", "ep")
                .tag("VariantName", "A")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(registry.get("sagemaker.gateway.routing.table.version").gauge().value())
        .isEqualTo(7.0);
  }

  @Test
  void aReplicaUrlWithAPathPrefixKeepsItForInvocations() {
    router.apply(aTable(1, anEndpoint("ep", aVariant("A", 1, "http://10.0.0.5:32771/model/"))));
    Replica r = router.endpoint("ep").routes().get(0).replicas().get(0);
    assertThat(r.invocationsPath()).isEqualTo("/model/invocations");
    assertThat(r.hostHeader()).isEqualTo("10.0.0.5:32771");
  }
}
