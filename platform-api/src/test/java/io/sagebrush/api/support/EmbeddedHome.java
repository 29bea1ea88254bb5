package io.sagebrush.api.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Embedded-mode properties for a test server with its own home directory. */
public final class EmbeddedHome {
  public static final String ACCESS_KEY = "SBITACCESSKEY0000001";
  public static final String SECRET_KEY = "it-secret-key-0123456789abcdefghijklmnop";
  public static final String AGENT_TOKEN = "it-agent-token";

  private EmbeddedHome() {}

  /** A fresh home directory. */
  public static Path create() {
    try {
      // under target/ when run by Maven, so `mvn clean` removes the PostgreSQL and S3 data
      Path target = Path.of("target");
      return Files.isDirectory(target)
          ? Files.createTempDirectory(target.toAbsolutePath(), "it-home-")
          : Files.createTempDirectory("sagebrush-it-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Registers embedded-mode properties: home, fixed credentials, S3 on a free loopback port. */
  public static void register(DynamicPropertyRegistry registry, Path home, boolean agent) {
    registry.add("sagebrush.api.embedded.home", home::toString);
    registry.add("sagebrush.api.embedded.agent", () -> agent);
    registry.add("sagebrush.api.embedded.runtime", () -> "process");
    registry.add("sagebrush.api.embedded.s3-host", () -> "127.0.0.1");
    registry.add("sagebrush.api.embedded.s3-port", () -> 0);
    registry.add("sagebrush.gateway.port", () -> 0);
    registry.add("sagebrush.gateway.bind-address", () -> "127.0.0.1");
    registry.add("sagebrush.api.credentials.access-key", () -> ACCESS_KEY);
    registry.add("sagebrush.api.credentials.secret-key", () -> SECRET_KEY);
    registry.add("sagebrush.api.credentials.agent-token", () -> AGENT_TOKEN);
    registry.add("sagebrush.api.agent-api.poll-max-wait", () -> "1s");
    registry.add("sagebrush.scheduler.agents.poll-timeout", () -> "1s");
    registry.add("sagebrush.scheduler.training.stop-grace", () -> "2s");
  }
}
