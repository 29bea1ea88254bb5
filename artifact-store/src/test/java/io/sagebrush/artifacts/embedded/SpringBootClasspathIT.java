package io.sagebrush.artifacts.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.artifacts.S3Uri;
import io.sagebrush.artifacts.adapter.s3.ArtifactStore;
import io.sagebrush.protocol.StorageSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded server and the client run inside a Spring Boot application with Boot's managed
 * dependency versions (Jackson, logging, Netty), as platform-api runs them.
 */
class SpringBootClasspathIT {
  @TempDir static Path data;

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean(destroyMethod = "close")
    EmbeddedS3Server embeddedS3Server() {
      return EmbeddedS3Server.start("127.0.0.1", 0, data, "boot-key", "boot-secret-key");
    }

    @Bean(destroyMethod = "close")
    ArtifactStore artifactStore(EmbeddedS3Server server) {
      return ArtifactStore.connect(
          new StorageSettings(
              server.endpoint().toString(), "us-east-1", "boot-key", "boot-secret-key"));
    }
  }

  @Test
  void embeddedServerAndClientWorkInsideASpringBootApplication() {
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).run()) {
      ArtifactStore store = context.getBean(ArtifactStore.class);
      store.ensureBucket("boot");
      S3Uri uri = S3Uri.parse("s3://boot/hello.txt");

      store.putBytes(uri, "hello".getBytes(StandardCharsets.UTF_8), "text/plain");

      assertThat(store.isReachable()).isTrue();
      assertThat(store.getBytes(uri)).asString().isEqualTo("hello");
    }
  }
}
