package io.sagebrush.api.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Credentials clients and agents use. Blank values are read from, or generated once into, {@code
 * $SAGEBRUSH_HOME/credentials}.
 *
 * @param accessKey the SigV4 access key id (SAGEBRUSH_ACCESS_KEY), also the S3 access key
 * @param secretKey the SigV4 secret key (SAGEBRUSH_SECRET_KEY), also the S3 secret key
 * @param agentToken the bearer token agents present (SAGEBRUSH_AGENT_TOKEN)
 */
@ConfigurationProperties("sagebrush.api.credentials")
public record CredentialsProperties(String accessKey, String secretKey, String agentToken) {}
