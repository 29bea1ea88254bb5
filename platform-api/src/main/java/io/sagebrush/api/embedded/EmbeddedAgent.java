package io.sagebrush.api.embedded;

import io.sagebrush.agent.Agent;
import io.sagebrush.agent.AgentConfig;
import io.sagebrush.api.config.EmbeddedProperties;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The in-process agent of embedded mode. It talks to this server over loopback HTTP exactly like a
 * remote agent. It starts after the web server (the last lifecycle phase, so the port is known) and
 * stops before the web server shuts down, so it never polls a closing server. Disabled with {@code
 * SAGEBRUSH_EMBEDDED_AGENT=false}.
 */
@Component
public class EmbeddedAgent implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedAgent.class);
  private final EmbeddedProperties properties;
  private final ServerCredentials credentials;
  private final WebServerApplicationContext context;
  private volatile Agent agent;

  public EmbeddedAgent(
      EmbeddedProperties properties,
      ServerCredentials credentials,
      WebServerApplicationContext context) {
    this.properties = properties;
    this.credentials = credentials;
    this.context = context;
  }

  /** True when embedded mode runs an agent in this JVM. */
  public boolean enabled() {
    return properties.agent();
  }

  /** True once the in-process agent has registered (false when disabled). */
  public boolean isRegistered() {
    Agent a = agent;
    return a != null && a.isRegistered();
  }

  @Override
  public void start() {
    if (!properties.agent()) {
      log.info(
          "In-process agent disabled (SAGEBRUSH_EMBEDDED_AGENT=false); waiting for remote agents");
      return;
    }
    int port = context.getWebServer().getPort();
    URI url = URI.create("http://127.0.0.1:" + port);
    AgentConfig config =
        new AgentConfig(
                url,
                credentials.agentToken(),
                properties.home().resolve("agent"),
                properties.runtime())
            .withName("embedded");
    Agent started = new Agent(config);
    started.start();
    agent = started;
    log.info(
        "In-process agent started (runtime {}, work dir {}), control plane {}",
        started.runtimeName(),
        config.workDir(),
        url);
  }

  @Override
  public void stop() {
    Agent a = agent;
    agent = null;
    if (a != null) {
      a.close();
      log.info("In-process agent stopped");
    }
  }

  @Override
  public boolean isRunning() {
    return agent != null;
  }

  /** Last to start (after the web server), first to stop. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE;
  }
}
