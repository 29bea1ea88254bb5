package io.sagebrush.it;

import static io.sagebrush.it.support.TrainingJobs.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebrush.it.support.AwsCli;
import io.sagebrush.it.support.SagebrushServerProcess;
import io.sagebrush.it.support.SharedServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issue's walkthrough, run as a new user would with the real AWS CLI v2: S3 upload, create a
 * training job, wait for it, read its logs. {@code .ci/run} installs the CLI; without one the test
 * is skipped (assumption), never faked.
 */
@ExtendWith(SharedServer.class)
class AwsCliIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static AwsCli cli;
  private static SagebrushServerProcess server;

  @BeforeAll
  static void findCli(SagebrushServerProcess shared) {
    server = shared;
    cli = AwsCli.find().orElse(null);
    assumeTrue(cli != null, "AWS CLI v2 not installed (.ci/run installs it)");
  }

  private AwsCli.Result run(Path workDir, String... args) throws IOException, InterruptedException {
    return cli.run(workDir, args);
  }

  private String ok(Path workDir, String... args) throws IOException, InterruptedException {
    return cli.ok(workDir, args);
  }

  @Test
  void issueWalkthroughWorksWithTheAwsCli(@TempDir Path dir) throws Exception {
    String s3 = server.s3Endpoint().toString();
    String api = server.apiEndpoint().toString();
    String job = uniqueName("cli");
    String bucket = "cli-" + job;
    Files.writeString(dir.resolve("train.csv"), "x,1\ny,2\n");

    ok(dir, "s3", "mb", "s3://" + bucket, "--endpoint-url", s3);
    ok(dir, "s3", "cp", "train.csv", "s3://" + bucket + "/train/", "--endpoint-url", s3);
    String created =
        ok(
            dir,
            "sagemaker",
            "create-training-job",
            "--endpoint-url",
            api,
            "--training-job-name",
            job,
            "--algorithm-specification",
            "TrainingImage=sagebrush-test/trainer:1,TrainingInputMode=File",
            "--role-arn",
            "arn:aws:iam::000000000000:role/sagebrush",
            "--hyper-parameters",
            "mode=succeed,greeting=from-cli",
            "--input-data-config",
            "[{\"ChannelName\":\"train\",\"DataSource\":{\"S3DataSource\":{\"S3DataType\":\"S3Prefix\",\"S3Uri\":\"s3://"
                + bucket
                + "/train/\"}}}]",
            "--output-data-config",
            "S3OutputPath=s3://" + bucket + "/out",
            "--resource-config",
            "InstanceType=ml.m5.large,InstanceCount=1,VolumeSizeInGB=1",
            "--stopping-condition",
            "MaxRuntimeInSeconds=600");
    assertThat(JSON.readTree(created).path("TrainingJobArn").asText())
        .endsWith(":training-job/" + job);

    // the CLI waiter polls every 120 s; poll describe first, then let the waiter confirm at once
    Awaitility.await()
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              String status =
                  ok(
                          dir,
                          "sagemaker",
                          "describe-training-job",
                          "--endpoint-url",
                          api,
                          "--training-job-name",
                          job,
                          "--query",
                          "TrainingJobStatus",
                          "--output",
                          "text")
                      .trim();
              return List.of("Completed", "Failed", "Stopped").contains(status);
            });
    ok(
        dir,
        "sagemaker",
        "wait",
        "training-job-completed-or-stopped",
        "--endpoint-url",
        api,
        "--training-job-name",
        job);
    JsonNode described =
        JSON.readTree(
            ok(
                dir,
                "sagemaker",
                "describe-training-job",
                "--endpoint-url",
                api,
                "--training-job-name",
                job));
    assertThat(described.path("TrainingJobStatus").asText()).isEqualTo("Completed");
    assertThat(described.path("ModelArtifacts").path("S3ModelArtifacts").asText())
        .isEqualTo("s3://" + bucket + "/out/" + job + "/output/model.tar.gz");

    assertThat(
            ok(
                dir,
                "s3",
                "ls",
                "s3://" + bucket + "/out/" + job + "/output/",
                "--endpoint-url",
                s3))
        .contains("model.tar.gz")
        .contains("output.tar.gz");

    String stream =
        ok(
                dir,
                "logs",
                "describe-log-streams",
                "--endpoint-url",
                api,
                "--log-group-name",
                "/aws/sagemaker/TrainingJobs",
                "--log-stream-name-prefix",
                job + "/",
                "--query",
                "logStreams[0].logStreamName",
                "--output",
                "text")
            .trim();
    assertThat(stream).matches(java.util.regex.Pattern.quote(job) + "/algo-1-\\d+");
    assertThat(
            ok(
                dir,
                "logs",
                "get-log-events",
                "--endpoint-url",
                api,
                "--log-group-name",
                "/aws/sagemaker/TrainingJobs",
                "--log-stream-name",
                stream,
                "--start-from-head",
                "--output",
                "text",
                "--query",
                "events[].message"))
        .contains("trainer done");

    assertThat(
            ok(
                    dir,
                    "sagemaker",
                    "list-training-jobs",
                    "--endpoint-url",
                    api,
                    "--name-contains",
                    job,
                    "--query",
                    "TrainingJobSummaries[].TrainingJobName",
                    "--output",
                    "text")
                .trim())
        .isEqualTo(job);
  }

  @Test
  void cliReportsValidationErrorsWithTheirCode(@TempDir Path dir) throws Exception {
    AwsCli.Result result =
        run(
            dir,
            "sagemaker",
            "describe-training-job",
            "--endpoint-url",
            server.apiEndpoint().toString(),
            "--training-job-name",
            "never-created-job");
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr())
        .contains("ValidationException")
        .contains("Requested resource not found");
  }
}
