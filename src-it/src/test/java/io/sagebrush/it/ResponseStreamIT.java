package io.sagebrush.it;

import static io.sagebrush.it.Endpoints.START_TIMEOUT;
import static io.sagebrush.it.Endpoints.aFactorModel;
import static io.sagebrush.it.Endpoints.awaitInService;
import static io.sagebrush.it.Endpoints.createConfig;
import static io.sagebrush.it.Endpoints.variant;
import static io.sagebrush.it.support.TrainingJobs.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebrush.it.support.AwsCli;
import io.sagebrush.it.support.AwsClients;
import io.sagebrush.it.support.GatewayClients;
import io.sagebrush.it.support.SagebrushServerProcess;
import io.sagebrush.it.support.SharedServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeAsyncClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointWithResponseStreamRequest;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointWithResponseStreamResponse;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;
import software.amazon.awssdk.services.sagemakerruntime.model.ValidationErrorException;

/**
 * InvokeEndpointWithResponseStream through the HTTPS inference gateway: the test model server
 * ({@code sagebrush-test/server:1}) answers {@code Accept: application/jsonlines} with one HTTP
 * chunk per row, {@code STREAM_GAP_MS} apart, and the gateway relays each chunk as one PayloadPart
 * event of an AWS event stream. Checked with the SDK's async runtime client (the only Java client
 * with this operation), for the parts, the response headers and their timing, and the errors that
 * come before the stream; then with boto3's {@code invoke_endpoint_with_response_stream}. One
 * endpoint serves every test.
 */
@ExtendWith(SharedServer.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResponseStreamIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final int FACTOR = 3;
  private static final String VARIANT = "streaming";
  private static final long GAP_MILLIS = 200;
  private static final String ROWS = "1,2\n3,4\n5,6\n";

  /** What the server streams for {@link #ROWS}: {@code factor * sum(row)}, one line a chunk. */
  private static final List<String> LINES =
      List.of(
          "{\"prediction\":9,\"row\":0}\n",
          "{\"prediction\":21,\"row\":1}\n",
          "{\"prediction\":33,\"row\":2}\n");

  private static SagebrushServerProcess server;
  private static AwsClients clients;
  private static SageMakerClient sm;
  private static SageMakerRuntimeAsyncClient runtime;

  /** One variant of factor 3 whose container waits {@link #GAP_MILLIS} between chunks. */
  private static String endpoint;

  @BeforeAll
  static void createEndpoint(SagebrushServerProcess shared) {
    Endpoints.ensureImages();
    server = shared;
    clients = shared.clients();
    sm = clients.sageMaker();

    endpoint = uniqueName("ep-stream");
    createConfig(
        sm,
        endpoint,
        variant(
            VARIANT,
            aFactorModel(
                sm,
                clients.s3(),
                endpoint,
                FACTOR,
                Map.of("STREAM_GAP_MS", Long.toString(GAP_MILLIS))),
            1,
            1f));
    Endpoints.createEndpoint(sm, endpoint, endpoint);
  }

  @AfterAll
  static void deleteEndpoint() {
    if (runtime != null) {
      runtime.close();
    }
    if (clients != null) {
      Endpoints.deleteQuietly(sm, endpoint);
      clients.close();
    }
  }

  /**
   * The async runtime client of the gateway (made on first use, after the server wrote its
   * certificate): like {@link GatewayClients#runtime}, HTTPS trusting exactly the server's
   * certificate and no retries, over the SDK's Netty client.
   */
  private static synchronized SageMakerRuntimeAsyncClient runtime() {
    if (runtime == null) {
      TrustManager[] trust = GatewayClients.trusting(server.gatewayCertificate());
      runtime =
          SageMakerRuntimeAsyncClient.builder()
              .endpointOverride(server.gatewayEndpoint())
              .region(Region.US_EAST_1)
              .credentialsProvider(
                  StaticCredentialsProvider.create(
                      AwsBasicCredentials.create(
                          SagebrushServerProcess.ACCESS_KEY, SagebrushServerProcess.SECRET_KEY)))
              .httpClientBuilder(
                  NettyNioAsyncHttpClient.builder()
                      .tlsTrustManagersProvider(() -> trust)
                      .connectionTimeout(Duration.ofSeconds(5))
                      .readTimeout(Duration.ofSeconds(75)))
              .overrideConfiguration(
                  o ->
                      o.apiCallTimeout(Duration.ofSeconds(90))
                          .retryStrategy(AwsRetryStrategy.doNotRetry()))
              .build();
    }
    return runtime;
  }

  /** A streaming request of {@code body} as text/csv, asking for JSON Lines. */
  private static InvokeEndpointWithResponseStreamRequest jsonLines(String name, String body) {
    return InvokeEndpointWithResponseStreamRequest.builder()
        .endpointName(name)
        .contentType("text/csv")
        .accept("application/jsonlines")
        .body(SdkBytes.fromString(body, StandardCharsets.UTF_8))
        .build();
  }

  /** One PayloadPart as the client saw it: its bytes as text, and when it arrived. */
  record Part(String text, long arrivedNanos) {}

  /** The initial response (headers) and every PayloadPart, in order. */
  record Streamed(InvokeEndpointWithResponseStreamResponse response, List<Part> parts) {
    List<String> texts() {
      return parts.stream().map(Part::text).toList();
    }

    Duration spread() {
      return Duration.ofNanos(
          parts.get(parts.size() - 1).arrivedNanos() - parts.get(0).arrivedNanos());
    }
  }

  /**
   * Invokes with the async client and waits (60 s at most) until the stream ends. A failure comes
   * out as the SDK's exception itself (e.g. ValidationErrorException), not wrapped; {@code
   * partsSeen} receives the parts that arrived before it.
   */
  private static Streamed invoke(
      InvokeEndpointWithResponseStreamRequest request, List<Part> partsSeen) {
    AtomicReference<InvokeEndpointWithResponseStreamResponse> response = new AtomicReference<>();
    List<Part> parts = partsSeen;
    InvokeEndpointWithResponseStreamResponseHandler handler =
        InvokeEndpointWithResponseStreamResponseHandler.builder()
            .onResponse(response::set)
            .subscriber(
                InvokeEndpointWithResponseStreamResponseHandler.Visitor.builder()
                    .onPayloadPart(
                        p -> {
                          long now = System.nanoTime();
                          synchronized (parts) {
                            parts.add(new Part(p.bytes().asUtf8String(), now));
                          }
                        })
                    .onDefault(
                        e -> {
                          synchronized (parts) {
                            parts.add(new Part("unexpected event: " + e, System.nanoTime()));
                          }
                        })
                    .build())
            .build();
    try {
      runtime().invokeEndpointWithResponseStream(request, handler).get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e;
      while ((cause instanceof ExecutionException || cause instanceof CompletionException)
          && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof RuntimeException runtimeException) {
        throw runtimeException;
      }
      throw new AssertionError("the stream failed", cause);
    } catch (TimeoutException e) {
      throw new AssertionError("the stream did not end within 60 s; parts so far: " + parts, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    synchronized (parts) {
      return new Streamed(response.get(), List.copyOf(parts));
    }
  }

  @Test
  @Order(1)
  void eachChunkOfTheContainerArrivesAsOnePayloadPartWhenItIsWritten() {
    awaitInService(sm, endpoint, START_TIMEOUT);

    Streamed streamed =
        invoke(
            jsonLines(endpoint, ROWS).toBuilder().customAttributes("c1").build(),
            new ArrayList<>());

    assertThat(streamed.texts()).as("the PayloadParts").containsExactlyElementsOf(LINES);
    assertThat(streamed.response()).as("the initial response").isNotNull();
    assertThat(streamed.response().contentType()).isEqualTo("application/jsonlines");
    assertThat(streamed.response().invokedProductionVariant()).isEqualTo(VARIANT);
    assertThat(streamed.response().customAttributes()).isEqualTo("c1");
    // the container waits GAP_MILLIS between its 3 chunks, 2 gaps in all: buffered, the parts
    // would arrive together. One gap of slack: a delayed ACK (Nagle) can hold back the first.
    assertThat(streamed.spread())
        .as("from the first part to the last: %s", streamed.parts())
        .isGreaterThanOrEqualTo(Duration.ofMillis(GAP_MILLIS));
  }

  @Test
  @Order(2)
  void errorsBeforeTheStreamCarrySageMakersCodes() {
    awaitInService(sm, endpoint, START_TIMEOUT);

    String unknown = uniqueName("ep-never-created");
    List<Part> unknownParts = new ArrayList<>();
    assertThatThrownBy(() -> invoke(jsonLines(unknown, ROWS), unknownParts))
        .as("an unknown endpoint")
        .isInstanceOfSatisfying(
            ValidationErrorException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo("Endpoint " + unknown + " of account 000000000000 not found.");
            });
    assertThat(unknownParts).isEmpty();

    List<Part> badParts = new ArrayList<>();
    assertThatThrownBy(() -> invoke(jsonLines(endpoint, "1,2\na,b\n"), badParts))
        .as("a cell that is no number: the container answers 400")
        .isInstanceOfSatisfying(
            ModelErrorException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(424);
              assertThat(e.originalStatusCode()).isEqualTo(400);
              assertThat(e.originalMessage()).contains("cannot parse 'a' on line 2");
              assertThat(e.awsErrorDetails().errorMessage())
                  .contains("Received client error (400)");
            });
    assertThat(badParts).isEmpty();
  }

  /** boto3: prints the response headers, then each PayloadPart as a JSON string on its own line. */
  private static final String BOTO3_SCRIPT =
      """
      import json, sys
      import boto3
      from botocore.config import Config
      url, ca_bundle, name = sys.argv[1:4]
      runtime = boto3.client(
          "sagemaker-runtime", endpoint_url=url, verify=ca_bundle,
          config=Config(retries={"max_attempts": 1}))
      response = runtime.invoke_endpoint_with_response_stream(
          EndpointName=name, Body=b"1,2\\n3,4\\n5,6\\n", ContentType="text/csv",
          Accept="application/jsonlines", CustomAttributes="c1")
      print("ContentType " + response.get("ContentType", ""))
      print("InvokedProductionVariant " + response.get("InvokedProductionVariant", ""))
      print("CustomAttributes " + response.get("CustomAttributes", ""))
      for event in response["Body"]:
          if "PayloadPart" in event:
              print("PayloadPart " + json.dumps(event["PayloadPart"]["Bytes"].decode("utf-8")))
          else:
              print("Event " + json.dumps(sorted(event.keys())))
          sys.stdout.flush()
      """;

  @Test
  @Order(3)
  void boto3IteratesThePayloadParts(@TempDir Path dir) throws Exception {
    Optional<Path> python = pythonWithResponseStreams(dir);
    assumeTrue(
        python.isPresent(),
        "no python3 with a boto3 that has invoke_endpoint_with_response_stream");
    awaitInService(sm, endpoint, START_TIMEOUT);

    AwsCli.Result run =
        runPython(
            python.get(),
            dir,
            "-c",
            BOTO3_SCRIPT,
            server.gatewayEndpoint().toString(),
            server.gatewayCertificate().toString(),
            endpoint);

    assertThat(run.exitCode())
        .as("boto3\nstdout: %s\nstderr: %s", run.stdout(), run.stderr())
        .isZero();
    List<String> parts = new ArrayList<>();
    List<String> other = new ArrayList<>();
    for (String line : run.stdout().split("\n")) {
      if (line.startsWith("PayloadPart ")) {
        parts.add(JSON.readValue(line.substring("PayloadPart ".length()), String.class));
      } else if (!line.isBlank()) {
        other.add(line);
      }
    }
    assertThat(parts)
        .as("boto3's PayloadParts; stdout: %s", run.stdout())
        .containsExactlyElementsOf(LINES);
    assertThat(other)
        .containsExactly(
            "ContentType application/jsonlines",
            "InvokedProductionVariant " + VARIANT,
            "CustomAttributes c1");
  }

  /**
   * {@code /usr/bin/python3}, else the {@code python3} on the PATH, whose boto3 knows
   * InvokeEndpointWithResponseStream (botocore from spring 2023 on; Debian bookworm's is older).
   */
  private static Optional<Path> pythonWithResponseStreams(Path dir) throws Exception {
    String probe =
        "import botocore.session, boto3, sys\n"
            + "model = botocore.session.get_session().get_service_model('sagemaker-runtime')\n"
            + "sys.exit(0 if 'InvokeEndpointWithResponseStream' in model.operation_names else 3)\n";
    List<Path> candidates = new ArrayList<>();
    candidates.add(Path.of("/usr/bin/python3"));
    for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!directory.isBlank()) {
        candidates.add(Path.of(directory, "python3"));
      }
    }
    for (Path candidate : candidates) {
      if (Files.isExecutable(candidate) && runPython(candidate, dir, "-c", probe).exitCode() == 0) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static AwsCli.Result runPython(Path python, Path workDir, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(python.toString());
    command.addAll(List.of(args));
    return AwsCli.runAsNewUser(command, workDir, Duration.ofSeconds(60));
  }
}
