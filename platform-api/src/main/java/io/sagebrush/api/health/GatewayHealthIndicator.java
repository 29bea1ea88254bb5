package io.sagebrush.api.health;

import io.sagebrush.api.gateway.EmbeddedGateway;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/** UP once the in-process gateway listens and holds a routing table; always UP without one. */
@Component("inferenceGatewayHealthIndicator")
public class GatewayHealthIndicator implements HealthIndicator {
  private final EmbeddedGateway gateway;

  public GatewayHealthIndicator(EmbeddedGateway gateway) {
    this.gateway = gateway;
  }

  @Override
  public Health health() {
    if (!gateway.enabled()) {
      return Health.up().withDetail("enabled", false).build();
    }
    return gateway.isReady() ? Health.up().build() : Health.down().build();
  }
}
