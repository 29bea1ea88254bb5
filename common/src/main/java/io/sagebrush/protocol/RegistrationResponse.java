package io.sagebrush.protocol;

/**
 * The control plane's answer to a registration.
 *
 * @param agentId the id to use from now on
 * @param heartbeatIntervalMillis how often the agent must poll at least
 * @param pollTimeoutMillis how long the server holds a poll open when there is nothing to say
 * @param storage the S3 store to use, unless the agent is configured with its own
 */
public record RegistrationResponse(
    String agentId,
    long heartbeatIntervalMillis,
    long pollTimeoutMillis,
    StorageSettings storage) {}
