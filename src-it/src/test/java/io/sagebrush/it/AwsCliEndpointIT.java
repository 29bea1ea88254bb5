package io.sagebrush.it;

import static io.sagebrush.it.support.TrainingJobs.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebrush.it.support.Archives;
import io.sagebrush.it.support.AwsCli;
import io.sagebrush.it.support.AwsClients;
import io.sagebrush.it.support.SagebrushServerProcess;
import io.sagebrush.it.support.SharedServer;
import io.sagebrush.it.support.TrainingJobs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

/**
 * A user's own model server deployed and invoked with nothing but the AWS CLI v2: upload the
 * artifact, create-model / create-endpoint-config / create-endpoint, {@code wait
 * endpoint-in-service}, {@code sagemaker-runtime invoke-endpoint} over HTTPS trusting the server's
 * certificate with {@code --ca-bundle}, then delete and {@code wait endpoint-deleted}.
 */
@ExtendWith(SharedServer.class)
class AwsCliEndpointIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static AwsCli cli;
  private static SagebrushServerProcess server;
  private static AwsClients clients;
  private static String endpoint;

  @BeforeAll
  static void findCli(SagebrushServerProcess shared) {
    cli = AwsCli.find().orElse(null);
    assumeTrue(cli != null, "AWS CLI v2 not installed (.ci/run installs it)");
    Endpoints.ensureImages();
    server = shared;
    clients = shared.clients();
  }

  @AfterAll
  static void cleanUp() {
    if (clients != null) {
      Endpoints.deleteQuietly(clients.sageMaker(), endpoint);
      clients.close();
    }
  }

  @Test
  void deployAndInvokeACustomContainerWithTheAwsCli(@TempDir Path dir) throws Exception {
    String api = server.apiEndpoint().toString();
    String s3 = server.s3Endpoint().toString();
    endpoint = uniqueName("ep-cli");
    Files.write(dir.resolve("model.tar.gz"), Archives.tarGz(Map.of("factor.txt", "4\n")));
    String modelData = "s3://" + TrainingJobs.BUCKET + "/cli/" + endpoint + "/model.tar.gz";
    cli.ok(dir, "s3", "cp", "model.tar.gz", modelData, "--endpoint-url", s3);

    cli.ok(
        dir,
        "sagemaker",
        "create-model",
        "--endpoint-url",
        api,
        "--model-name",
        endpoint,
        "--execution-role-arn",
        TrainingJobs.ROLE_ARN,
        "--primary-container",
        "Image=" + Endpoints.SERVER_IMAGE + ",ModelDataUrl=" + modelData);
    cli.ok(
        dir,
        "sagemaker",
        "create-endpoint-config",
        "--endpoint-url",
        api,
        "--endpoint-config-name",
        endpoint,
        "--production-variants",
        "VariantName=AllTraffic,ModelName="
            + endpoint
            + ",InitialInstanceCount=1,InstanceType="
            + Endpoints.INSTANCE_TYPE
            + ",InitialVariantWeight=1.0");
    String created =
        cli.ok(
            dir,
            "sagemaker",
            "create-endpoint",
            "--endpoint-url",
            api,
            "--endpoint-name",
            endpoint,
            "--endpoint-config-name",
            endpoint);
    assertThat(JSON.readTree(created).path("EndpointArn").asText())
        .endsWith(":endpoint/" + endpoint);

    // the CLI waiter polls every 30 s: let the SDK poll, then the waiter confirms at once
    Endpoints.awaitEndpoint(
        clients.sageMaker(),
        endpoint,
        "InService or Failed",
        d ->
            d.endpointStatus() == EndpointStatus.IN_SERVICE
                || d.endpointStatus() == EndpointStatus.FAILED,
        Endpoints.START_TIMEOUT);
    cli.ok(
        dir,
        "sagemaker",
        "wait",
        "endpoint-in-service",
        "--endpoint-url",
        api,
        "--endpoint-name",
        endpoint);

    Files.writeString(dir.resolve("rows.csv"), "1,2,3\n10,20,30\n", StandardCharsets.UTF_8);
    String invoked =
        cli.ok(
            dir,
            "sagemaker-runtime",
            "invoke-endpoint",
            "--endpoint-url",
            server.gatewayEndpoint().toString(),
            "--ca-bundle",
            server.gatewayCertificate().toString(),
            "--endpoint-name",
            endpoint,
            "--content-type",
            "text/csv",
            "--body",
            "fileb://rows.csv",
            "out.csv");
    JsonNode answer = JSON.readTree(invoked);
    assertThat(answer.path("InvokedProductionVariant").asText()).isEqualTo("AllTraffic");
    assertThat(answer.path("ContentType").asText()).startsWith("text/csv");
    assertThat(Files.readString(dir.resolve("out.csv"), StandardCharsets.UTF_8))
        .isEqualTo("24\n240\n");

    AwsCli.Result unknown =
        cli.run(
            dir,
            "sagemaker-runtime",
            "invoke-endpoint",
            "--endpoint-url",
            server.gatewayEndpoint().toString(),
            "--ca-bundle",
            server.gatewayCertificate().toString(),
            "--endpoint-name",
            endpoint + "-nope",
            "--content-type",
            "text/csv",
            "--body",
            "fileb://rows.csv",
            "nope.csv");
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.stderr())
        .contains("ValidationError")
        .contains("Endpoint " + endpoint + "-nope of account 000000000000 not found.");

    cli.ok(dir, "sagemaker", "delete-endpoint", "--endpoint-url", api, "--endpoint-name", endpoint);
    Awaitility.await(endpoint + " deleted")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> isGone(endpoint));
    cli.ok(
        dir,
        "sagemaker",
        "wait",
        "endpoint-deleted",
        "--endpoint-url",
        api,
        "--endpoint-name",
        endpoint);
  }

  private static boolean isGone(String name) {
    try {
      clients.sageMaker().describeEndpoint(b -> b.endpointName(name));
      return false;
    } catch (SageMakerException e) {
      return e.statusCode() == 400;
    }
  }
}
