package io.sagebrush.gateway.metrics;

import io.sagebrush.protocol.MetricBatch;
import io.sagebrush.protocol.MetricBatch.Datum;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the gateway's meters into CloudWatch datapoints of namespace {@code AWS/SageMaker} with
 * dimensions EndpointName and VariantName, every interval (aligned to the wall clock), and hands
 * them to a {@link MetricSink}.
 *
 * <p>Each request is one sample: {@code Invocations} (1 per request), {@code
 * InvocationsPerInstance}, {@code Invocation4XXErrors}, {@code Invocation5XXErrors} and {@code
 * InvocationModelErrors} (1 or 0 per request, so Average is the error rate and Sum the count), and
 * {@code ModelLatency}, {@code OverheadLatency} in microseconds. A variant without requests in an
 * interval publishes nothing for it (as on SageMaker). Datapoints carry the interval's start. Runs
 * on its own daemon thread; a failed delivery is logged and dropped.
 */
public final class MetricsPublisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsPublisher.class);
  public static final String NAMESPACE = "AWS/SageMaker";
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

  private final GatewayMetrics metrics;
  private final MetricSink sink;
  private final Duration interval;
  private final Clock clock;
  private final Map<String, double[]> lastCounts = new HashMap<>();
  private ScheduledExecutorService executor;
  private boolean failing;

  public MetricsPublisher(GatewayMetrics metrics, MetricSink sink, Duration interval, Clock clock) {
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("the metrics interval must be positive");
    }
    this.metrics = metrics;
    this.sink = sink;
    this.interval = interval;
    this.clock = clock;
  }

  /** Publishes at every interval boundary from now on; returns at once. */
  public synchronized MetricsPublisher start() {
    if (executor != null) {
      return this;
    }
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sagebrush-gateway-metrics");
              t.setDaemon(true);
              return t;
            });
    long period = interval.toMillis();
    long now = clock.millis();
    // just past the next boundary, so the interval that ended is complete
    long firstDelay = period - Math.floorMod(now, period) + 50;
    executor.scheduleAtFixedRate(this::publishSafely, firstDelay, period, TimeUnit.MILLISECONDS);
    return this;
  }

  private void publishSafely() {
    long period = interval.toMillis();
    long boundary = Math.floorDiv(clock.millis(), period) * period;
    try {
      publishOnce(Instant.ofEpochMilli(boundary - period));
      if (failing) {
        log.info("Publishing gateway metrics works again");
        failing = false;
      }
    } catch (RuntimeException e) {
      if (!failing) {
        log.warn("Cannot publish gateway metrics ({}); dropping them and retrying", e.toString());
        failing = true;
      } else {
        log.debug("Publishing gateway metrics failed again: {}", e.toString());
      }
    }
  }

  /**
   * Takes what the meters counted since the last call and publishes it stamped {@code
   * intervalStart}; returns the batch (empty when nothing happened, in which case nothing is
   * published).
   */
  public synchronized MetricBatch publishOnce(Instant intervalStart) {
    List<Datum> data = new ArrayList<>();
    long ts = intervalStart.toEpochMilli();
    for (GatewayMetrics.Named v : metrics.all()) {
      VariantMeters m = v.meters();
      String key = v.endpointName() + '\u0000' + v.variantName();
      double[] now = {
        m.invocations().count(),
        m.invocationsPerInstance().count(),
        m.errors4xx().count(),
        m.errors5xx().count(),
        m.modelErrors().count()
      };
      double[] before = lastCounts.getOrDefault(key, new double[now.length]);
      lastCounts.put(key, now);
      double invocations = now[0] - before[0];
      double perInstance = now[1] - before[1];
      double e4 = now[2] - before[2];
      double e5 = now[3] - before[3];
      double model = now[4] - before[4];
      IntervalSummary.Interval modelLatency = drain(m.modelLatencyMicros());
      IntervalSummary.Interval overhead = drain(m.overheadLatencyMicros());
      if (invocations <= 0 && e4 <= 0 && e5 <= 0 && model <= 0) {
        continue;
      }
      Map<String, String> dims =
          Map.of(
              GatewayMetrics.ENDPOINT_TAG, v.endpointName(),
              GatewayMetrics.VARIANT_TAG, v.variantName());
      double samples = Math.max(invocations, Math.max(e4, Math.max(e5, model)));
      if (invocations > 0) {
        data.add(datum("Invocations", dims, ts, "None", invocations, invocations, 1, 1));
        double each = perInstance / invocations;
        data.add(
            datum(
                "InvocationsPerInstance", dims, ts, "None", invocations, perInstance, each, each));
      }
      data.add(rate("Invocation4XXErrors", dims, ts, samples, e4));
      data.add(rate("Invocation5XXErrors", dims, ts, samples, e5));
      data.add(rate("InvocationModelErrors", dims, ts, samples, model));
      if (modelLatency != null) {
        data.add(latency("ModelLatency", dims, ts, modelLatency));
      }
      if (overhead != null) {
        data.add(latency("OverheadLatency", dims, ts, overhead));
      }
    }
    MetricBatch batch = new MetricBatch(data);
    if (!data.isEmpty()) {
      sink.publish(batch);
    }
    return batch;
  }

  private static IntervalSummary.Interval drain(
      io.micrometer.core.instrument.DistributionSummary s) {
    return s instanceof IntervalSummary i ? i.drain() : null;
  }

  private static Datum rate(
      String name, Map<String, String> dims, long ts, double samples, double errors) {
    double min = errors >= samples ? 1 : 0;
    double max = errors > 0 ? 1 : 0;
    return datum(name, dims, ts, "None", samples, errors, min, max);
  }

  private static Datum latency(
      String name, Map<String, String> dims, long ts, IntervalSummary.Interval i) {
    return datum(name, dims, ts, "Microseconds", i.count(), i.sum(), i.min(), i.max());
  }

  private static Datum datum(
      String name,
      Map<String, String> dims,
      long ts,
      String unit,
      double count,
      double sum,
      double min,
      double max) {
    return new Datum(NAMESPACE, name, dims, ts, unit, count, sum, min, max);
  }

  /** Stops publishing (what the current interval counted is not sent). */
  @Override
  public synchronized void close() {
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
  }
}
