package io.sagebrush.it;

import static io.sagebrush.it.Endpoints.START_TIMEOUT;
import static io.sagebrush.it.Endpoints.aFactorModel;
import static io.sagebrush.it.Endpoints.awaitDeleted;
import static io.sagebrush.it.Endpoints.awaitEndpoint;
import static io.sagebrush.it.Endpoints.awaitInService;
import static io.sagebrush.it.Endpoints.createConfig;
import static io.sagebrush.it.Endpoints.createEndpoint;
import static io.sagebrush.it.Endpoints.csv;
import static io.sagebrush.it.Endpoints.describe;
import static io.sagebrush.it.Endpoints.quickBlueGreen;
import static io.sagebrush.it.Endpoints.servingContainers;
import static io.sagebrush.it.Endpoints.settled;
import static io.sagebrush.it.Endpoints.variant;
import static io.sagebrush.it.Endpoints.variantOf;
import static io.sagebrush.it.support.TrainingJobs.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sagebrush.it.Endpoints.Container;
import io.sagebrush.it.support.AwsClients;
import io.sagebrush.it.support.InvocationLoad;
import io.sagebrush.it.support.InvocationLoad.Call;
import io.sagebrush.it.support.SagebrushServerProcess;
import io.sagebrush.it.support.SharedServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.DesiredWeightAndCapacity;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointRequest;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;
import software.amazon.awssdk.services.sagemakerruntime.model.ValidationErrorException;

/**
 * Real-time endpoints of a user's own model server ({@code sagebrush-test/server:1}, predictions
 * {@code factor * sum(row)} with the factor from the model artifact) through the SageMaker SDK and
 * the HTTPS inference gateway: create and invoke, SageMaker's invocation errors, weighted variants,
 * and that deployments, weight changes, a failed deployment and a lost replica never fail a
 * request. The four endpoints start together up front; tests of one endpoint run in order.
 */
@ExtendWith(SharedServer.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndpointsIT {
  /** The row every load call sends: sum 3, so the answer is 3 * factor. */
  private static final String ROW = "1,2\n";

  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration PAUSE = Duration.ofMillis(20);

  private static AwsClients clients;
  private static SageMakerClient sm;
  private static S3Client s3;

  /** One variant "primary" of factor 2; updated to factor 5, then to a crashing model. */
  private static String single;

  private static String singleConfig;
  private static String singleV2Config;

  /** Variants "first" (factor 1, weight 0.7) and "second" (factor 10, weight 0.3). */
  private static String split;

  /** One variant "primary" of factor 3 on two instances. */
  private static String replicas;

  /** One variant "broken-variant" whose container exits at start: cannot load model. */
  private static String crashing;

  @BeforeAll
  static void createEndpoints(SagebrushServerProcess server) {
    Endpoints.ensureImages();
    clients = server.clients();
    sm = clients.sageMaker();
    s3 = clients.s3();

    single = uniqueName("ep-single");
    singleConfig =
        createConfig(
            sm,
            single + "-v1",
            variant("primary", aFactorModel(sm, s3, single + "-f2", 2, Map.of()), 1, 1f));
    createEndpoint(sm, single, singleConfig);

    split = uniqueName("ep-split");
    createConfig(
        sm,
        split,
        variant("first", aFactorModel(sm, s3, split + "-f1", 1, Map.of()), 1, 0.7f),
        variant("second", aFactorModel(sm, s3, split + "-f10", 10, Map.of()), 1, 0.3f));
    createEndpoint(sm, split, split);

    replicas = uniqueName("ep-replicas");
    createConfig(
        sm, replicas, variant("primary", aFactorModel(sm, s3, replicas, 3, Map.of()), 2, 1f));
    createEndpoint(sm, replicas, replicas);

    crashing = uniqueName("ep-crash");
    createConfig(
        sm,
        crashing,
        variant(
            "broken-variant",
            aFactorModel(sm, s3, crashing, 4, Map.of("SERVER_MODE", "crash")),
            1,
            1f));
    createEndpoint(sm, crashing, crashing);
  }

  /** The gateway's client, made on first use (after the server wrote its certificate). */
  private static SageMakerRuntimeClient runtime() {
    return clients.runtime();
  }

  @AfterAll
  static void deleteEndpoints() {
    if (clients != null) {
      Endpoints.deleteQuietly(sm, single, split, replicas, crashing);
      clients.close();
    }
  }

  @Test
  @Order(1)
  void customContainerEndpointAnswersFromItsModelArtifact() {
    DescribeEndpointResponse endpoint = awaitInService(sm, single, START_TIMEOUT);

    assertThat(endpoint.endpointConfigName()).isEqualTo(singleConfig);
    assertThat(endpoint.endpointArn()).endsWith(":endpoint/" + single);
    assertThat(variantOf(endpoint, "primary").currentInstanceCount()).isEqualTo(1);

    InvokeEndpointResponse response =
        runtime()
            .invokeEndpoint(
                csv(single, "1,2,3\n4,5,6\n").toBuilder()
                    .accept("text/csv")
                    .customAttributes("trace=abc-123")
                    .build());

    // factor 2 from factor.txt in the model artifact
    assertThat(response.body().asUtf8String()).isEqualTo("12\n30\n");
    assertThat(response.invokedProductionVariant()).isEqualTo("primary");
    assertThat(response.contentType()).startsWith("text/csv");
    assertThat(response.customAttributes()).isEqualTo("trace=abc-123");
  }

  @Test
  @Order(2)
  void containerOutputReachesTheEndpointsLogGroup() {
    awaitInService(sm, single, START_TIMEOUT);
    String group = "/aws/sagemaker/Endpoints/" + single;

    Awaitility.await(group + " holding the server's start line")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(clients.logs().filterLogEvents(b -> b.logGroupName(group)).events())
                    .anySatisfy(e -> assertThat(e.message()).contains("with factor 2")));
    assertThat(clients.logs().describeLogStreams(b -> b.logGroupName(group)).logStreams())
        .extracting(LogStream::logStreamName)
        .isNotEmpty()
        .allSatisfy(stream -> assertThat(stream).startsWith("primary/"));
  }

  @Test
  @Order(3)
  void invocationErrorsCarrySageMakersCodes() {
    awaitInService(sm, single, START_TIMEOUT);

    byte[] sevenMegabytes = new byte[7 * 1024 * 1024];
    Arrays.fill(sevenMegabytes, (byte) '1');
    for (int i = 1; i < sevenMegabytes.length; i += 2) {
      sevenMegabytes[i] = (byte) (i % 64 == 63 ? '\n' : ',');
    }
    assertThatThrownBy(
            () ->
                runtime()
                    .invokeEndpoint(
                        csv(single, "").toBuilder()
                            .body(SdkBytes.fromByteArray(sevenMegabytes))
                            .build()))
        .as("a 7 MB body")
        .isInstanceOfSatisfying(
            ValidationErrorException.class, e -> assertThat(e.statusCode()).isEqualTo(400));

    assertThatThrownBy(() -> runtime().invokeEndpoint(csv(single, "1,2\nabc,3\n")))
        .as("a cell that is no number")
        .isInstanceOfSatisfying(
            ModelErrorException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(424);
              assertThat(e.originalStatusCode()).isEqualTo(400);
              assertThat(e.originalMessage()).contains("cannot parse 'abc' on line 2");
              assertThat(e.awsErrorDetails().errorMessage())
                  .contains("Received client error (400)");
              assertThat(e.logStreamArn()).contains("/aws/sagemaker/Endpoints/" + single);
            });

    String unknown = uniqueName("ep-never-created");
    assertThatThrownBy(() -> runtime().invokeEndpoint(csv(unknown, ROW)))
        .as("an unknown endpoint")
        .isInstanceOfSatisfying(
            ValidationErrorException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo("Endpoint " + unknown + " of account 000000000000 not found.");
            });
  }

  @Test
  @Order(4)
  void updateEndpointToANewConfigMovesTrafficWithoutFailingARequest() {
    awaitInService(sm, single, START_TIMEOUT);
    singleV2Config =
        createConfig(
            sm,
            single + "-v2",
            variant("primary", aFactorModel(sm, s3, single + "-f5", 5, Map.of()), 1, 1f));

    DescribeEndpointResponse during;
    DescribeEndpointResponse updated;
    Instant inService;
    InvocationLoad.Result load;
    try (InvocationLoad traffic = InvocationLoad.start(runtime(), csv(single, ROW), 3, PAUSE)) {
      traffic.awaitMoreCalls(20, Duration.ofSeconds(30));
      sm.updateEndpoint(
          b ->
              b.endpointName(single)
                  .endpointConfigName(singleV2Config)
                  .deploymentConfig(quickBlueGreen()));
      during = sm.describeEndpoint(b -> b.endpointName(single));
      updated =
          awaitEndpoint(
              sm,
              single,
              "InService on the new config",
              d ->
                  settled(d)
                      && (d.endpointStatus() != EndpointStatus.IN_SERVICE
                          || singleV2Config.equals(d.endpointConfigName())),
              SETTLE_TIMEOUT);
      inService = Instant.now();
      traffic.awaitCallsStartedAfter(inService.plusSeconds(1), 30, Duration.ofSeconds(30));
      load = traffic.stop();
    }

    assertThat(during.endpointStatus()).isEqualTo(EndpointStatus.UPDATING);
    assertThat(updated.endpointStatus()).as("%s", updated).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(updated.endpointConfigName()).isEqualTo(singleV2Config);
    assertThat(load.failures()).as(load.summary()).isEmpty();
    // factor 2 before, factor 5 after; nothing else
    assertThat(load.perBody().keySet()).as(load.summary()).containsOnly("6", "15").contains("15");
    assertThat(load.successesStartedAfter(inService.plusSeconds(1)))
        .as("answers once InService on the new config: %s", load.summary())
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c.body().strip()).isEqualTo("15"));
    for (int i = 0; i < 20; i++) {
      assertThat(runtime().invokeEndpoint(csv(single, ROW)).body().asUtf8String())
          .isEqualTo("15\n");
    }
    // the old fleet is stopped once drained
    Awaitility.await(single + ": only the new replica's container left")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> servingContainers(single).size() == 1);
  }

  @Test
  @Order(5)
  void aNewConfigWhoseContainerCannotStartRollsBackWithoutFailingARequest() {
    awaitInService(sm, single, START_TIMEOUT);
    String expected = singleV2Config == null ? singleConfig : singleV2Config;
    String answer = singleV2Config == null ? "6" : "15";
    String brokenConfig =
        createConfig(
            sm,
            single + "-v3",
            variant(
                "primary",
                aFactorModel(sm, s3, single + "-f7-crash", 7, Map.of("SERVER_MODE", "crash")),
                1,
                1f));

    DescribeEndpointResponse after;
    InvocationLoad.Result load;
    try (InvocationLoad traffic = InvocationLoad.start(runtime(), csv(single, ROW), 3, PAUSE)) {
      traffic.awaitMoreCalls(20, Duration.ofSeconds(30));
      sm.updateEndpoint(
          b ->
              b.endpointName(single)
                  .endpointConfigName(brokenConfig)
                  .deploymentConfig(quickBlueGreen()));
      after =
          awaitEndpoint(
              sm,
              single,
              "settled after the failed update",
              d ->
                  settled(d)
                      && (d.endpointStatus() != EndpointStatus.IN_SERVICE
                          || d.failureReason() != null),
              SETTLE_TIMEOUT);
      traffic.awaitMoreCalls(30, Duration.ofSeconds(30));
      load = traffic.stop();
    }

    assertThat(after.endpointStatus()).as("%s", after).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(after.endpointConfigName()).as("%s", after).isEqualTo(expected);
    assertThat(after.failureReason()).as("%s", after).containsIgnoringCase("roll");
    assertThat(load.failures()).as(load.summary()).isEmpty();
    assertThat(load.perBody().keySet()).as(load.summary()).containsOnly(answer);
    assertThat(runtime().invokeEndpoint(csv(single, ROW)).body().asUtf8String())
        .isEqualTo(answer + "\n");
  }

  @Test
  @Order(6)
  void weightedVariantsSplitTrafficAndTargetVariantPinsOne() throws Exception {
    DescribeEndpointResponse endpoint = awaitInService(sm, split, START_TIMEOUT);
    assertThat(variantOf(endpoint, "first").currentWeight()).isEqualTo(0.7f);
    assertThat(variantOf(endpoint, "second").currentWeight()).isEqualTo(0.3f);

    int total = 2000;
    SageMakerRuntimeClient client = runtime();
    ExecutorService callers = Executors.newFixedThreadPool(4);
    List<Call> calls = new ArrayList<>();
    try {
      List<Future<Call>> futures = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        futures.add(callers.submit(() -> InvocationLoad.call(client, csv(split, ROW))));
      }
      for (Future<Call> f : futures) {
        calls.add(f.get());
      }
    } finally {
      callers.shutdownNow();
    }
    InvocationLoad.Result result = new InvocationLoad.Result(calls);

    assertThat(result.failures()).as(result.summary()).isEmpty();
    // each variant answers with its own model: factor 1 or factor 10
    assertThat(result.successesWhere(c -> !c.body().equals(expectedSplitAnswer(c.variant()))))
        .as(result.summary())
        .isEmpty();
    long first = result.perVariant().getOrDefault("first", 0L);
    assertThat(first / (double) total).as(result.summary()).isCloseTo(0.70, within(0.05));

    for (String pinned : List.of("second", "first")) {
      for (int i = 0; i < 20; i++) {
        InvokeEndpointResponse r =
            runtime().invokeEndpoint(csv(split, ROW).toBuilder().targetVariant(pinned).build());
        assertThat(r.invokedProductionVariant()).isEqualTo(pinned);
        assertThat(r.body().asUtf8String()).isEqualTo(expectedSplitAnswer(pinned));
      }
    }
  }

  private static String expectedSplitAnswer(String variant) {
    return "first".equals(variant) ? "3\n" : "30\n";
  }

  @Test
  @Order(7)
  void updateWeightsMovesAllTrafficToOneVariantWithoutFailingARequest() {
    awaitInService(sm, split, START_TIMEOUT);

    DescribeEndpointResponse updated;
    Instant inService;
    InvocationLoad.Result load;
    try (InvocationLoad traffic = InvocationLoad.start(runtime(), csv(split, ROW), 3, PAUSE)) {
      traffic.awaitMoreCalls(20, Duration.ofSeconds(30));
      sm.updateEndpointWeightsAndCapacities(
          b ->
              b.endpointName(split)
                  .desiredWeightsAndCapacities(
                      DesiredWeightAndCapacity.builder()
                          .variantName("first")
                          .desiredWeight(0f)
                          .build(),
                      DesiredWeightAndCapacity.builder()
                          .variantName("second")
                          .desiredWeight(100f)
                          .build()));
      updated =
          awaitEndpoint(
              sm,
              split,
              "InService with the new weights",
              d ->
                  settled(d)
                      && (d.endpointStatus() != EndpointStatus.IN_SERVICE
                          || Float.valueOf(0f).equals(variantOf(d, "first").currentWeight())),
              SETTLE_TIMEOUT);
      inService = Instant.now();
      traffic.awaitCallsStartedAfter(inService.plusSeconds(1), 30, Duration.ofSeconds(30));
      load = traffic.stop();
    }

    assertThat(updated.endpointStatus()).as("%s", updated).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(variantOf(updated, "first").currentWeight()).isEqualTo(0f);
    assertThat(variantOf(updated, "second").currentWeight()).isEqualTo(100f);
    assertThat(variantOf(updated, "first").currentInstanceCount()).isEqualTo(1);
    assertThat(variantOf(updated, "second").currentInstanceCount()).isEqualTo(1);
    assertThat(load.failures()).as(load.summary()).isEmpty();
    assertThat(load.perVariant()).as(load.summary()).containsKeys("first", "second");
    assertThat(load.successesStartedAfter(inService.plusSeconds(1)))
        .as("answers once InService with the new weights: %s", load.summary())
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c.variant()).isEqualTo("second"));
    for (int i = 0; i < 50; i++) {
      assertThat(runtime().invokeEndpoint(csv(split, ROW)).invokedProductionVariant())
          .isEqualTo("second");
    }
  }

  @Test
  @Order(8)
  void aKilledReplicaIsReplacedWithoutFailingARequest() {
    awaitInService(sm, replicas, START_TIMEOUT);
    List<Container> before = servingContainers(replicas);
    assertThat(before).as("serving containers of %s", replicas).hasSize(2);
    Container victim = before.get(0);
    Set<String> oldIds = before.stream().map(Container::id).collect(Collectors.toSet());
    InvokeEndpointRequest json = csv(replicas, ROW).toBuilder().accept("application/json").build();

    AtomicReference<List<Container>> after = new AtomicReference<>();
    DescribeEndpointResponse described;
    Container fresh;
    InvocationLoad.Result load;
    try (InvocationLoad traffic = InvocationLoad.start(runtime(), json, 3, PAUSE)) {
      traffic.awaitMoreCalls(30, Duration.ofSeconds(30));
      Endpoints.docker("kill", victim.id());
      Instant killed = Instant.now();

      Awaitility.await(replicas + " replica replaced")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                List<Container> now = servingContainers(replicas);
                after.set(now);
                return now.size() == 2 && now.stream().noneMatch(c -> c.id().equals(victim.id()));
              });
      fresh = after.get().stream().filter(c -> !oldIds.contains(c.id())).findFirst().orElseThrow();
      described =
          awaitEndpoint(
              sm,
              replicas,
              "InService with 2 instances",
              d ->
                  d.endpointStatus() == EndpointStatus.IN_SERVICE
                      && Integer.valueOf(2).equals(variantOf(d, "primary").currentInstanceCount()),
              Duration.ofSeconds(60));
      // the new replica takes its share of the traffic
      Awaitility.await("answers from the new replica " + fresh.hostname())
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                InvocationLoad.Result sofar = new InvocationLoad.Result(traffic.calls());
                return sofar.successesStartedAfter(killed).stream()
                    .anyMatch(c -> fresh.hostname().equals(host(c.body())));
              });
      load = traffic.stop();
    }

    assertThat(described.endpointStatus()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(load.failures()).as(load.summary()).isEmpty();
    assertThat(load.successes())
        .allSatisfy(c -> assertThat(c.body()).contains("\"predictions\":[9]"));
  }

  /** The {@code host} of the test server's JSON answer. */
  private static String host(String json) {
    Matcher m = Pattern.compile("\"host\":\"([^\"]*)\"").matcher(json);
    return m.find() ? m.group(1) : null;
  }

  @Test
  @Order(9)
  void anEndpointWhoseContainerCannotLoadTheModelFailsAndCanBeDeleted() {
    DescribeEndpointResponse failed =
        awaitEndpoint(
            sm,
            crashing,
            "Failed",
            d ->
                d.endpointStatus() == EndpointStatus.FAILED
                    || d.endpointStatus() == EndpointStatus.IN_SERVICE,
            START_TIMEOUT);

    assertThat(failed.endpointStatus()).as("%s", failed).isEqualTo(EndpointStatus.FAILED);
    assertThat(failed.failureReason())
        .as("%s", failed)
        .contains("broken-variant")
        .contains("cannot load model");
    assertThatThrownBy(() -> runtime().invokeEndpoint(csv(crashing, ROW)))
        .as("invoking a Failed endpoint")
        .isInstanceOfSatisfying(
            ValidationErrorException.class, e -> assertThat(e.statusCode()).isEqualTo(400));

    sm.deleteEndpoint(b -> b.endpointName(crashing));
    awaitDeleted(sm, crashing, Duration.ofSeconds(60));
    assertThatThrownBy(() -> sm.describeEndpoint(b -> b.endpointName(crashing)))
        .as("DescribeEndpoint after the delete: %s", describe(sm, crashing))
        .isInstanceOfSatisfying(
            SageMakerException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
  }
}
