package io.sagebrush.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sagebrush.protocol.MetricBatch;
import io.sagebrush.protocol.MetricBatch.Datum;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MetricsPublisherTest {
  private static final Instant T = Instant.parse("2026-11-26T22:10:00Z");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final GatewayMetrics metrics = new GatewayMetrics(registry);
  private final List<MetricBatch> sent = new ArrayList<>();
  private final MetricsPublisher publisher =
      new MetricsPublisher(metrics, sent::add, Duration.ofSeconds(10), Clock.systemUTC());

  private static Map<String, Datum> byName(MetricBatch batch) {
    return batch.data().stream().collect(Collectors.toMap(Datum::metricName, Function.identity()));
  }

  @Test
  void anIntervalBecomesOneStatisticSetPerMetricWithTheVariantsDimensions() {
    VariantMeters v = metrics.variant("ep", "AllTraffic");
    for (int status : new int[] {200, 200, 500, 424}) {
      v.invoked(2);
      v.answered(status);
    }
    v.modelErrors().increment();
    v.modelLatencyMicros().record(100);
    v.modelLatencyMicros().record(300);
    v.overheadLatencyMicros().record(50);

    Map<String, Datum> data = byName(publisher.publishOnce(T));
    assertThat(sent).hasSize(1);
    assertThat(data)
        .containsOnlyKeys(
            "Invocations",
            "InvocationsPerInstance",
            "Invocation4XXErrors",
            "Invocation5XXErrors",
            "InvocationModelErrors",
            "ModelLatency",
            "OverheadLatency");
    Datum invocations = data.get("Invocations");
    assertThat(invocations.namespace()).isEqualTo("AWS/SageMaker");
    assertThat(invocations.dimensions())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("EndpointName", "ep", "VariantName", "AllTraffic"));
    assertThat(invocations.timestampMillis()).isEqualTo(T.toEpochMilli());
    assertThat(invocations.sum()).isEqualTo(4);
    assertThat(data.get("InvocationsPerInstance").sum()).isEqualTo(2);
    Datum e5 = data.get("Invocation5XXErrors");
    assertThat(e5.sampleCount()).isEqualTo(4);
    assertThat(e5.sum()).isEqualTo(1);
    assertThat(e5.sum() / e5.sampleCount()).as("Average is the error rate").isEqualTo(0.25);
    assertThat(e5.max()).isEqualTo(1);
    assertThat(e5.min()).isEqualTo(0);
    assertThat(data.get("Invocation4XXErrors").sum()).isEqualTo(1);
    assertThat(data.get("InvocationModelErrors").sum()).isEqualTo(1);
    Datum latency = data.get("ModelLatency");
    assertThat(latency.unit()).isEqualTo("Microseconds");
    assertThat(latency.sampleCount()).isEqualTo(2);
    assertThat(latency.sum()).isEqualTo(400);
    assertThat(latency.min()).isEqualTo(100);
    assertThat(latency.max()).isEqualTo(300);
    // the meters Prometheus reads are still cumulative
    assertThat(v.modelLatencyMicros().count()).isEqualTo(2);
  }

  @Test
  void onlyTheDeltaSinceTheLastIntervalIsPublishedAndAnIdleVariantPublishesNothing() {
    VariantMeters v = metrics.variant("ep", "AllTraffic");
    v.invoked(1);
    v.answered(200);
    publisher.publishOnce(T);
    v.invoked(1);
    v.answered(500);
    Map<String, Datum> second = byName(publisher.publishOnce(T.plusSeconds(10)));
    assertThat(second.get("Invocations").sum()).isEqualTo(1);
    assertThat(second.get("Invocation5XXErrors").sum()).isEqualTo(1);
    assertThat(second.get("Invocation5XXErrors").min()).isEqualTo(1);
    assertThat(second).doesNotContainKey("ModelLatency");

    assertThat(publisher.publishOnce(T.plusSeconds(20)).data()).isEmpty();
    assertThat(sent).hasSize(2);
  }
}
