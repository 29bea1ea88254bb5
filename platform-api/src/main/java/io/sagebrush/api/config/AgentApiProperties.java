package io.sagebrush.api.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The agent API.
 *
 * @param pollMaxWait how long a poll is held open while there is no work
 * @param maxConcurrentPolls threads that may hold polls open at once (one per agent)
 */
@ConfigurationProperties("sagebrush.api.agent-api")
public record AgentApiProperties(
    @DefaultValue("20s") Duration pollMaxWait, @DefaultValue("512") int maxConcurrentPolls) {}
