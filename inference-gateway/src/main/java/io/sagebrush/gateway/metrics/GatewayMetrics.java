package io.sagebrush.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's meters. Per endpoint and variant (tags {@code EndpointName}, {@code VariantName}),
 * as Prometheus renders them:
 *
 * <ul>
 *   <li>{@code sagemaker_invocations_total}: requests sent to a variant
 *   <li>{@code sagemaker_invocations_per_instance_total}: each request adds 1 / the variant's
 *       replica count
 *   <li>{@code sagemaker_invocation_4xx_errors_total}, {@code
 *       sagemaker_invocation_5xx_errors_total}: requests answered with a 4xx or 5xx
 *   <li>{@code sagemaker_invocation_model_errors_total}: non-2xx answers or time-outs of the model
 *   <li>{@code sagemaker_model_latency_microseconds} (count, sum, max): time the container took
 *   <li>{@code sagemaker_overhead_latency_microseconds}: the gateway's own time per request
 * </ul>
 *
 * Plus {@code sagemaker_gateway_routing_table_version}, the version of the table in use.
 */
public final class GatewayMetrics {
  public static final String ENDPOINT_TAG = "EndpointName";
  public static final String VARIANT_TAG = "VariantName";

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, VariantMeters> variants = new ConcurrentHashMap<>();
  private final AtomicLong tableVersion = new AtomicLong(-1);

  public GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("sagemaker.gateway.routing.table.version", tableVersion, AtomicLong::get)
        .description("Version of the routing table the gateway serves")
        .register(registry);
  }

  public void tableVersion(long version) {
    tableVersion.set(version);
  }

  /** The meters of one endpoint variant (created on first use, then shared). */
  public VariantMeters variant(String endpointName, String variantName) {
    return variants.computeIfAbsent(
        endpointName + '\u0000' + variantName, k -> create(endpointName, variantName));
  }

  /** One variant's meters with its names. */
  public record Named(String endpointName, String variantName, VariantMeters meters) {}

  /** Every variant's meters created so far (for the metrics publisher). */
  public List<Named> all() {
    List<Named> out = new ArrayList<>();
    variants.forEach(
        (key, meters) -> {
          int at = key.indexOf('\u0000');
          out.add(new Named(key.substring(0, at), key.substring(at + 1), meters));
        });
    return out;
  }

  private VariantMeters create(String endpointName, String variantName) {
    Tags tags = Tags.of(ENDPOINT_TAG, endpointName, VARIANT_TAG, variantName);
    return new VariantMeters(
        counter("sagemaker.invocations", "Requests sent to the variant", tags),
        counter(
            "sagemaker.invocations.per.instance",
            "Requests sent to the variant divided by its replica count",
            tags),
        counter("sagemaker.invocation.4xx.errors", "Requests answered with a 4xx status", tags),
        counter("sagemaker.invocation.5xx.errors", "Requests answered with a 5xx status", tags),
        counter(
            "sagemaker.invocation.model.errors",
            "Requests the model answered with a non-2xx status or not in time",
            tags),
        summary("sagemaker.model.latency", "Time the model container took", tags),
        summary("sagemaker.overhead.latency", "Time the gateway added", tags));
  }

  private Counter counter(String name, String description, Tags tags) {
    return Counter.builder(name).description(description).tags(tags).register(registry);
  }

  private DistributionSummary summary(String name, String description, Tags tags) {
    return new IntervalSummary(
        DistributionSummary.builder(name)
            .description(description)
            .baseUnit("microseconds")
            .tags(tags)
            .register(registry));
  }
}
