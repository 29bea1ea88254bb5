package io.sagebrush.api;

import io.sagebrush.api.support.EmbeddedHome;
import io.sagebrush.api.support.SignedHttp;
import java.net.URI;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * One real embedded server (PostgreSQL, S3, scheduler; no agent, so jobs stay queued) shared by the
 * edge ITs: subclasses inherit the same configuration, so Spring starts it once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
abstract class EmbeddedServerTestBase {
  static final Path HOME = EmbeddedHome.create();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    EmbeddedHome.register(registry, HOME, false);
  }

  @LocalServerPort int port;
  SageMakerClient sagemaker;
  CloudWatchLogsClient logs;
  SignedHttp http;

  @BeforeEach
  void clients() {
    sagemaker = sageMaker(EmbeddedHome.SECRET_KEY);
    logs =
        CloudWatchLogsClient.builder()
            .endpointOverride(URI.create("http://localhost:" + port))
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials(EmbeddedHome.SECRET_KEY))
            .build();
    http =
        new SignedHttp(
            "http://localhost:" + port, EmbeddedHome.ACCESS_KEY, EmbeddedHome.SECRET_KEY);
  }

  SageMakerClient sageMaker(String secret) {
    return SageMakerClient.builder()
        .endpointOverride(URI.create("http://localhost:" + port))
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials(secret))
        .build();
  }

  static StaticCredentialsProvider credentials(String secret) {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(EmbeddedHome.ACCESS_KEY, secret));
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
