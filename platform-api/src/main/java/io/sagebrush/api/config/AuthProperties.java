package io.sagebrush.api.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Request authentication.
 *
 * @param clockSkew how far a SigV4 request's X-Amz-Date may be from the server's clock
 * @param maxBodySize the largest request body accepted (bodies are hashed in memory)
 */
@ConfigurationProperties("sagebrush.api.auth")
public record AuthProperties(
    @DefaultValue("15m") Duration clockSkew, @DefaultValue("16MB") DataSize maxBodySize) {}
