package io.sagebrush.api.config;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Embedded mode: what the server runs inside its own JVM when nothing external is configured.
 *
 * @param home data directory for credentials, PostgreSQL, S3 objects and agent work
 *     (SAGEBRUSH_HOME, default ~/.sagebrush)
 * @param agent whether to run an in-process agent (SAGEBRUSH_EMBEDDED_AGENT)
 * @param runtime the in-process agent's runtime: auto, docker or process (SAGEBRUSH_RUNTIME)
 * @param s3Host the interface the embedded S3 server binds to
 * @param s3Port the embedded S3 server's port; 0 picks a free one (SAGEBRUSH_S3_PORT)
 */
@Validated
@ConfigurationProperties("sagebrush.api.embedded")
public record EmbeddedProperties(
    @NotNull Path home,
    @DefaultValue("true") boolean agent,
    @DefaultValue("auto") String runtime,
    @DefaultValue("0.0.0.0") String s3Host,
    @DefaultValue("9000") int s3Port) {}
