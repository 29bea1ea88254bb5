package io.sagebrush.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {

  @Test
  void theMetersRenderWithSageMakersNamesInPrometheus() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    GatewayMetrics metrics = new GatewayMetrics(registry);
    VariantMeters meters = metrics.variant("ep", "AllTraffic");
    meters.invoked(4);
    meters.answered(424);
    meters.answered(503);
    meters.modelErrors().increment();
    meters.modelLatencyMicros().record(1500);
    meters.overheadLatencyMicros().record(40);
    metrics.tableVersion(3);

    String text = registry.scrape();

    String tags = "{EndpointName=\"ep\",VariantName=\"AllTraffic\"}";
    assertThat(text)
        .contains("sagemaker_invocations_total" + tags + " 1.0")
        .contains("sagemaker_invocations_per_instance_total" + tags + " 0.25")
        .contains("sagemaker_invocation_4xx_errors_total" + tags + " 1.0")
        .contains("sagemaker_invocation_5xx_errors_total" + tags + " 1.0")
        .contains("sagemaker_invocation_model_errors_total" + tags + " 1.0")
        .contains("sagemaker_model_latency_microseconds_sum" + tags + " 1500.0")
        .contains("sagemaker_overhead_latency_microseconds_count" + tags + " 1")
        .contains("sagemaker_gateway_routing_table_version 3.0");
    assertThat(metrics.variant("ep", "AllTraffic")).isSameAs(meters);
  }
}
