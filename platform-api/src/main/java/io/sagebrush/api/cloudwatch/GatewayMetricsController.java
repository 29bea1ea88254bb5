package io.sagebrush.api.cloudwatch;

import io.sagebrush.protocol.GatewayProtocol;
import io.sagebrush.protocol.MetricBatch;
import io.sagebrush.scheduler.cloudwatch.domain.MetricDatum;
import io.sagebrush.scheduler.cloudwatch.domain.MetricKey;
import io.sagebrush.scheduler.cloudwatch.domain.StatisticSet;
import io.sagebrush.scheduler.cloudwatch.service.CloudWatchService;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where standalone gateways publish their per-variant datapoints ({@link GatewayProtocol#METRICS};
 * the agent bearer token is checked by the authentication filter): one batch insert each.
 */
@RestController
public class GatewayMetricsController {
  private final CloudWatchService cloudWatch;

  public GatewayMetricsController(CloudWatchService cloudWatch) {
    this.cloudWatch = cloudWatch;
  }

  @PostMapping(GatewayProtocol.METRICS)
  public ResponseEntity<Void> publish(@RequestBody MetricBatch batch) {
    cloudWatch.putData(toData(batch));
    return ResponseEntity.noContent().build();
  }

  /** A gateway's batch as metric datapoints (also used by the gateway in this JVM). */
  public static List<MetricDatum> toData(MetricBatch batch) {
    return batch.data().stream()
        .filter(d -> d.namespace() != null && d.metricName() != null && d.sampleCount() > 0)
        .map(
            d ->
                new MetricDatum(
                    MetricKey.of(
                        d.namespace(),
                        d.metricName(),
                        d.dimensions() == null ? java.util.Map.of() : d.dimensions()),
                    Instant.ofEpochMilli(d.timestampMillis()),
                    d.unit(),
                    new StatisticSet(d.sampleCount(), d.sum(), d.min(), d.max())))
        .toList();
  }
}
