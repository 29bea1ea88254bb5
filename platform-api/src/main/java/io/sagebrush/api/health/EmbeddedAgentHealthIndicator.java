package io.sagebrush.api.health;

import io.sagebrush.api.embedded.EmbeddedAgent;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/** In embedded mode, UP once the in-process agent has registered; always UP without one. */
@Component("inProcessAgentHealthIndicator")
public class EmbeddedAgentHealthIndicator implements HealthIndicator {
  private final EmbeddedAgent agent;

  public EmbeddedAgentHealthIndicator(EmbeddedAgent agent) {
    this.agent = agent;
  }

  @Override
  public Health health() {
    if (!agent.enabled()) {
      return Health.up().withDetail("enabled", false).build();
    }
    return agent.isRegistered() ? Health.up().build() : Health.down().build();
  }
}
