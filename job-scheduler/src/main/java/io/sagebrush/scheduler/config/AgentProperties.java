package io.sagebrush.scheduler.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Agent heartbeats and long polls.
 *
 * @param heartbeatInterval agents poll at least this often (sent at registration)
 * @param pollTimeout how long a poll is held open when there is nothing to say (sent at
 *     registration; the edge passes it as maxWait)
 * @param lostAfter an agent silent this long is declared lost and its jobs fail
 * @param pollRecheck while a poll waits, the database is checked this often (work placed by another
 *     control-plane replica cannot wake it directly)
 * @param livenessInterval fixed delay of the leader's lost-agent check
 */
@ConfigurationProperties("sagebrush.scheduler.agents")
public record AgentProperties(
    @DefaultValue("20s") Duration heartbeatInterval,
    @DefaultValue("20s") Duration pollTimeout,
    @DefaultValue("30s") Duration lostAfter,
    @DefaultValue("1s") Duration pollRecheck,
    @DefaultValue("5s") Duration livenessInterval) {
  public AgentProperties {
    if (lostAfter.compareTo(heartbeatInterval) <= 0) {
      throw new IllegalArgumentException(
          "sagebrush.scheduler.agents.lost-after must be longer than heartbeat-interval");
    }
  }
}
