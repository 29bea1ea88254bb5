package io.sagebrush.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebrush.api.support.EmbeddedHome;
import io.sagebrush.api.support.SignedHttp;
import io.sagebrush.artifacts.S3Uri;
import io.sagebrush.artifacts.adapter.s3.ArtifactStore;
import io.sagebrush.artifacts.archive.TarGz;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

/**
 * Embedded mode as a user starts it: no credentials configured, an in-process agent on the process
 * runtime, a script-mode job end to end, and a restart on the same home.
 */
class EmbeddedModeIT {
  static final ObjectMapper JSON = new ObjectMapper();
  final Path home = EmbeddedHome.create();
  ConfigurableApplicationContext server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    FileSystemUtils.deleteRecursively(home.toFile());
  }

  @Test
  void aFreshHomeGetsCredentialsOnceAndTheServerIsHealthyWithItsAgentAndKeepsJobsAcrossARestart()
      throws Exception {
    server = start();
    Path file = home.resolve("credentials");
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    Properties first = read(file);
    assertThat(first.stringPropertyNames()).contains("access_key", "secret_key", "agent_token");
    SignedHttp http =
        new SignedHttp(base(), first.getProperty("access_key"), first.getProperty("secret_key"));

    awaitTrue(
        Duration.ofSeconds(60),
        () -> {
          var health = http.plain("GET", "/actuator/health", Map.of(), null, false);
          return health.statusCode() == 200 && health.body().contains("\"status\":\"UP\"");
        });

    SageMakerClient sagemaker = sageMaker(first);
    String name = "restart-" + System.nanoTime();
    String arn = sagemaker.createTrainingJob(SageMakerApiIT.aJob(name)).trainingJobArn();

    server.close();
    server = start();

    assertThat(read(file)).isEqualTo(first);
    DescribeTrainingJobResponse after =
        sageMaker(first).describeTrainingJob(r -> r.trainingJobName(name));
    assertThat(after.trainingJobArn()).isEqualTo(arn);
  }

  @Test
  void aScriptModeJobRunsOnTheInProcessAgentAndWritesItsModelMetricsAndLogs() throws Exception {
    server = start();
    Properties credentials = read(home.resolve("credentials"));
    ArtifactStore store = server.getBean(ArtifactStore.class);
    store.ensureBucket("itb");
    Path code = Files.createDirectories(home.resolve("it-code"));
    Files.writeString(
        code.resolve("train.py"),
        """
        import os, sys
        data = open(os.path.join(os.environ["SM_CHANNEL_TRAIN"], "data.csv")).read()
        print("rows=%d" % len(data.splitlines()))
        print("loss=0.125")
        with open(os.path.join(os.environ["SM_MODEL_DIR"], "model.txt"), "w") as f:
            f.write("trained")
        """);
    Path archive = home.resolve("sourcedir.tar.gz");
    TarGz.pack(code, archive);
    store.upload(archive, S3Uri.parse("s3://itb/code/sourcedir.tar.gz"));
    store.putBytes(
        S3Uri.parse("s3://itb/train/data.csv"),
        "1,2\n3,4\n".getBytes(StandardCharsets.UTF_8),
        "text/csv");

    SageMakerClient sagemaker = sageMaker(credentials);
    String name = "script-" + System.nanoTime();
    sagemaker.createTrainingJob(
        SageMakerApiIT.aJob(name).toBuilder()
            .hyperParameters(
                Map.of(
                    "sagemaker_program",
                    "train.py",
                    "sagemaker_submit_directory",
                    "s3://itb/code/sourcedir.tar.gz"))
            .algorithmSpecification(
                a ->
                    a.trainingImage("python-script")
                        .trainingInputMode("File")
                        .metricDefinitions(m -> m.name("loss").regex("loss=([0-9.]+)")))
            .inputDataConfig(
                c ->
                    c.channelName("train")
                        .dataSource(
                            d ->
                                d.s3DataSource(
                                    s -> s.s3DataType("S3Prefix").s3Uri("s3://itb/train/"))))
            .outputDataConfig(o -> o.s3OutputPath("s3://itb/out"))
            .build());

    DescribeTrainingJobResponse done = awaitEnd(sagemaker, name, Duration.ofSeconds(120));
    assertThat(done.trainingJobStatus())
        .as(String.valueOf(done.failureReason()))
        .isEqualTo(TrainingJobStatus.COMPLETED);
    assertThat(store.exists(S3Uri.parse(done.modelArtifacts().s3ModelArtifacts()))).isTrue();
    assertThat(done.finalMetricDataList())
        .anySatisfy(
            m -> {
              assertThat(m.metricName()).isEqualTo("loss");
              assertThat(m.value()).isEqualTo(0.125f);
            });
    CloudWatchLogsClient logs =
        CloudWatchLogsClient.builder()
            .endpointOverride(URI.create(base()))
            .region(Region.US_EAST_1)
            .credentialsProvider(provider(credentials))
            .build();
    var events =
        logs.filterLogEvents(
            r -> r.logGroupName("/aws/sagemaker/TrainingJobs").logStreamNamePrefix(name + "/"));
    assertThat(events.events()).anySatisfy(e -> assertThat(e.message()).contains("rows=2"));
  }

  private ConfigurableApplicationContext start() {
    return new SpringApplicationBuilder(SagebrushServer.class)
        .run(
            "--server.port=0",
            "--sagebrush.api.embedded.home=" + home,
            "--sagebrush.api.embedded.s3-host=127.0.0.1",
            "--sagebrush.api.embedded.s3-port=0",
            "--sagebrush.api.embedded.runtime=process",
            "--sagebrush.api.agent-api.poll-max-wait=1s",
            "--sagebrush.scheduler.agents.poll-timeout=1s",
            "--sagebrush.scheduler.training.stop-grace=2s");
  }

  private String base() {
    return "http://localhost:" + ((WebServerApplicationContext) server).getWebServer().getPort();
  }

  private SageMakerClient sageMaker(Properties credentials) {
    return SageMakerClient.builder()
        .endpointOverride(URI.create(base()))
        .region(Region.US_EAST_1)
        .credentialsProvider(provider(credentials))
        .build();
  }

  private static StaticCredentialsProvider provider(Properties credentials) {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(
            credentials.getProperty("access_key"), credentials.getProperty("secret_key")));
  }

  private static DescribeTrainingJobResponse awaitEnd(
      SageMakerClient client, String name, Duration limit) throws InterruptedException {
    Instant deadline = Instant.now().plus(limit);
    DescribeTrainingJobResponse job;
    do {
      job = client.describeTrainingJob(r -> r.trainingJobName(name));
      if (job.trainingJobStatus() != TrainingJobStatus.IN_PROGRESS
          && job.trainingJobStatus() != TrainingJobStatus.STOPPING) {
        return job;
      }
      Thread.sleep(250);
    } while (Instant.now().isBefore(deadline));
    return job;
  }

  private static void awaitTrue(Duration limit, Supplier<Boolean> condition)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(limit);
    while (!condition.get()) {
      assertThat(Instant.now()).as("condition within " + limit).isBefore(deadline);
      Thread.sleep(250);
    }
  }

  private static Properties read(Path file) throws Exception {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    }
    return p;
  }
}
