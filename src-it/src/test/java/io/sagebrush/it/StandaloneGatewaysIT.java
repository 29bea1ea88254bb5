package io.sagebrush.it;

import static io.sagebrush.it.Endpoints.START_TIMEOUT;
import static io.sagebrush.it.Endpoints.aFactorModel;
import static io.sagebrush.it.Endpoints.awaitDeleted;
import static io.sagebrush.it.Endpoints.awaitEndpoint;
import static io.sagebrush.it.Endpoints.awaitInService;
import static io.sagebrush.it.Endpoints.createConfig;
import static io.sagebrush.it.Endpoints.createEndpoint;
import static io.sagebrush.it.Endpoints.csv;
import static io.sagebrush.it.Endpoints.quickBlueGreen;
import static io.sagebrush.it.Endpoints.servingContainers;
import static io.sagebrush.it.Endpoints.settled;
import static io.sagebrush.it.Endpoints.variant;
import static io.sagebrush.it.Endpoints.variantOf;
import static io.sagebrush.it.support.TrainingJobs.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagebrush.it.Endpoints.Container;
import io.sagebrush.it.support.AwsClients;
import io.sagebrush.it.support.GatewayClients;
import io.sagebrush.it.support.GatewayProcess;
import io.sagebrush.it.support.InvocationLoad;
import io.sagebrush.it.support.Ports;
import io.sagebrush.it.support.SagebrushServerProcess;
import io.sagebrush.it.support.SharedServer;
import io.sagebrush.it.support.TcpForwarder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
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
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;
import software.amazon.awssdk.services.sagemakerruntime.model.ValidationErrorException;

/**
 * Several inference gateways at once: the server's embedded gateway and two standalone gateways
 * ({@code sagebrush-gateway.jar} processes: one HTTPS with its own generated certificate, one plain
 * HTTP) follow the same control plane. Every gateway answers an endpoint of the user's own model
 * server the same way, a deployment under load spread over all three fails no request and every
 * gateway moves to the new model, each standalone gateway counts its own invocations on its {@code
 * /metrics} port, and a gateway started while the control plane is unreachable keeps retrying,
 * serves once it can reach it, and keeps serving its last table when it is cut off again.
 */
@ExtendWith(SharedServer.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneGatewaysIT {
  /** The row every call sends: sum 3, so the answer is 3 * factor. */
  private static final String ROW = "1,2\n";

  private static final String VARIANT = "primary";
  private static final String OLD_ANSWER = "9";
  private static final String NEW_ANSWER = "21";
  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(240);
  private static final Duration PAUSE = Duration.ofMillis(25);

  private static SagebrushServerProcess server;
  private static AwsClients clients;
  private static SageMakerClient sm;
  private static S3Client s3;

  /** One variant "primary" on two instances: factor 3, then factor 7. */
  private static String endpoint;

  private static GatewayProcess secure;
  private static GatewayProcess plain;

  @BeforeAll
  static void createEndpointAndStartGateways(SagebrushServerProcess shared) {
    server = shared;
    Endpoints.ensureImages();
    clients = server.clients();
    sm = clients.sageMaker();
    s3 = clients.s3();

    endpoint = uniqueName("ep-gateways");
    createConfig(
        sm,
        endpoint + "-v1",
        variant(VARIANT, aFactorModel(sm, s3, endpoint + "-f3", 3, Map.of()), 2, 1f));
    createEndpoint(sm, endpoint, endpoint + "-v1");

    // the gateways start while the endpoint's replicas do
    secure = GatewayProcess.start("standalone-gateway-tls", server, true);
    plain = GatewayProcess.start("standalone-gateway-plain", server, false);
  }

  @AfterAll
  static void stopGatewaysAndDeleteEndpoint() {
    for (GatewayProcess g : new GatewayProcess[] {secure, plain}) {
      if (g != null) {
        g.close();
      }
    }
    if (clients != null) {
      Endpoints.deleteQuietly(sm, endpoint);
      clients.close();
    }
  }

  /** The three gateways by name: the server's embedded one, then the two standalone ones. */
  private static Map<String, SageMakerRuntimeClient> gateways() {
    Map<String, SageMakerRuntimeClient> all = new LinkedHashMap<>();
    all.put("embedded", clients.runtime());
    all.put(secure.name(), secure.runtime());
    all.put(plain.name(), plain.runtime());
    return all;
  }

  /** Waits until {@code runtime} answers {@code expected} (a gateway may lag the control plane). */
  private static void awaitAnswer(String gateway, SageMakerRuntimeClient runtime, String expected) {
    Awaitility.await(gateway + " answering " + expected + " for " + endpoint)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () ->
                runtime
                    .invokeEndpoint(csv(endpoint, ROW))
                    .body()
                    .asUtf8String()
                    .equals(expected + "\n"));
  }

  @Test
  @Order(1)
  void everyGatewayAnswersTheEndpointTheSameWay() throws IOException {
    DescribeEndpointResponse described = awaitInService(sm, endpoint, START_TIMEOUT);
    assertThat(variantOf(described, VARIANT).currentInstanceCount()).isEqualTo(2);
    Set<String> replicaHosts =
        servingContainers(endpoint).stream().map(Container::hostname).collect(Collectors.toSet());
    assertThat(replicaHosts).as("serving containers of %s", endpoint).hasSize(2);

    Set<String> hostsSeen = new HashSet<>();
    for (Map.Entry<String, SageMakerRuntimeClient> gateway : gateways().entrySet()) {
      awaitAnswer(gateway.getKey(), gateway.getValue(), OLD_ANSWER);
      for (int i = 0; i < 10; i++) {
        InvokeEndpointResponse text =
            gateway
                .getValue()
                .invokeEndpoint(
                    csv(endpoint, "1,2,3\n4,5,6\n").toBuilder()
                        .accept("text/csv")
                        .customAttributes("gateway=" + gateway.getKey())
                        .build());
        assertThat(text.body().asUtf8String()).as(gateway.getKey()).isEqualTo("18\n45\n");
        assertThat(text.invokedProductionVariant()).as(gateway.getKey()).isEqualTo(VARIANT);
        assertThat(text.contentType()).as(gateway.getKey()).startsWith("text/csv");
        assertThat(text.customAttributes())
            .as(gateway.getKey())
            .isEqualTo("gateway=" + gateway.getKey());

        InvokeEndpointResponse json =
            gateway
                .getValue()
                .invokeEndpoint(csv(endpoint, ROW).toBuilder().accept("application/json").build());
        assertThat(json.invokedProductionVariant()).as(gateway.getKey()).isEqualTo(VARIANT);
        assertThat(json.body().asUtf8String()).as(gateway.getKey()).contains("\"predictions\":[9]");
        String host = host(json.body().asUtf8String());
        assertThat(replicaHosts).as("%s answered from %s", gateway.getKey(), host).contains(host);
        hostsSeen.add(host);
      }
      // SageMaker's error shapes come from the standalone gateways too
      String unknown = uniqueName("ep-never-created");
      assertThatThrownBy(() -> gateway.getValue().invokeEndpoint(csv(unknown, ROW)))
          .as("%s: an unknown endpoint", gateway.getKey())
          .isInstanceOfSatisfying(
              ValidationErrorException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorMessage())
                    .isEqualTo("Endpoint " + unknown + " of account 000000000000 not found.");
              });
    }
    assertThat(hostsSeen).as("replicas that answered").isNotEmpty();

    // the HTTPS gateway serves its own certificate: a client trusting the server's is refused
    assertThat(Files.readString(secure.certificate()))
        .isNotEqualTo(Files.readString(server.gatewayCertificate()));
    AwsBasicCredentials credentials =
        AwsBasicCredentials.create(
            SagebrushServerProcess.ACCESS_KEY, SagebrushServerProcess.SECRET_KEY);
    try (SageMakerRuntimeClient wrongTrust =
        GatewayClients.runtime(secure.endpoint(), server.gatewayCertificate(), credentials)) {
      assertThatThrownBy(() -> wrongTrust.invokeEndpoint(csv(endpoint, ROW)))
          .as("the TLS gateway with the server's certificate trusted")
          .isInstanceOf(SdkClientException.class);
    }
  }

  @Test
  @Order(2)
  void eachStandaloneGatewayCountsItsOwnInvocationsOnItsMetricsPort() {
    awaitInService(sm, endpoint, START_TIMEOUT);
    awaitAnswer(secure.name(), secure.runtime(), OLD_ANSWER);
    awaitAnswer(plain.name(), plain.runtime(), OLD_ANSWER);

    for (GatewayProcess gateway : new GatewayProcess[] {secure, plain}) {
      GatewayProcess other = gateway == secure ? plain : secure;
      double before = gateway.invocations(endpoint, VARIANT);
      double otherBefore = other.invocations(endpoint, VARIANT);
      assertThat(before).as("%s counted the earlier calls", gateway.name()).isPositive();
      for (int i = 0; i < 7; i++) {
        assertThat(gateway.runtime().invokeEndpoint(csv(endpoint, ROW)).body().asUtf8String())
            .isEqualTo(OLD_ANSWER + "\n");
      }
      Awaitility.await(gateway.name() + " counting 7 more invocations")
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(
              () -> assertThat(gateway.invocations(endpoint, VARIANT)).isEqualTo(before + 7));
      assertThat(other.invocations(endpoint, VARIANT))
          .as("%s counts only its own calls", other.name())
          .isEqualTo(otherBefore);

      String metrics = gateway.metrics();
      assertThat(metrics)
          .contains("sagemaker_invocations_per_instance_total")
          .contains("sagemaker_model_latency_microseconds");
      Matcher version =
          Pattern.compile("(?m)^sagemaker_gateway_routing_table_version(?:\\{[^}]*\\})?\\s+(\\S+)")
              .matcher(metrics);
      assertThat(version.find()).as("routing table version gauge in:\n%s", metrics).isTrue();
      assertThat(Double.parseDouble(version.group(1))).as("routing table version").isPositive();
      assertThat(
              GatewayProcess.sample(
                  metrics, "sagemaker_invocation_5xx_errors_total", endpoint, VARIANT))
          .isZero();
    }

    // the standalone gateways publish their datapoints to the control plane's metric store: its
    // Invocations sum covers their calls (besides the embedded gateway's few, the only others)
    double standalone =
        secure.invocations(endpoint, VARIANT) + plain.invocations(endpoint, VARIANT);
    try (CloudWatchClient cloudWatch = server.cloudWatch()) {
      Awaitility.await("CloudWatch Invocations of " + endpoint + " covering the standalone calls")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () ->
                  assertThat(cloudWatchInvocations(cloudWatch)).isGreaterThanOrEqualTo(standalone));
    }
  }

  private static double cloudWatchInvocations(CloudWatchClient cloudWatch) {
    Instant now = Instant.now();
    return cloudWatch
        .getMetricStatistics(
            b ->
                b.namespace("AWS/SageMaker")
                    .metricName("Invocations")
                    .dimensions(
                        Dimension.builder().name("EndpointName").value(endpoint).build(),
                        Dimension.builder().name("VariantName").value(VARIANT).build())
                    .startTime(now.minus(Duration.ofHours(1)))
                    .endTime(now.plus(Duration.ofMinutes(1)))
                    .period(60)
                    .statistics(Statistic.SUM))
        .datapoints()
        .stream()
        .mapToDouble(Datapoint::sum)
        .sum();
  }

  @Test
  @Order(3)
  void aDeploymentUnderLoadOnEveryGatewayFailsNoRequestAndReachesThemAll() {
    awaitInService(sm, endpoint, START_TIMEOUT);
    String v2 =
        createConfig(
            sm,
            endpoint + "-v2",
            variant(VARIANT, aFactorModel(sm, s3, endpoint + "-f7", 7, Map.of()), 2, 1f));
    Set<String> oldContainers =
        servingContainers(endpoint).stream().map(Container::id).collect(Collectors.toSet());

    Map<String, InvocationLoad> loads = new LinkedHashMap<>();
    Map<String, InvocationLoad.Result> results = new LinkedHashMap<>();
    DescribeEndpointResponse during;
    DescribeEndpointResponse updated;
    Instant inService;
    try {
      gateways()
          .forEach(
              (name, runtime) ->
                  loads.put(name, InvocationLoad.start(runtime, csv(endpoint, ROW), 2, PAUSE)));
      loads.values().forEach(l -> l.awaitMoreCalls(10, Duration.ofSeconds(30)));
      sm.updateEndpoint(
          b -> b.endpointName(endpoint).endpointConfigName(v2).deploymentConfig(quickBlueGreen()));
      during = sm.describeEndpoint(b -> b.endpointName(endpoint));
      updated =
          awaitEndpoint(
              sm,
              endpoint,
              "InService on the new config",
              d ->
                  settled(d)
                      && (d.endpointStatus() != EndpointStatus.IN_SERVICE
                          || v2.equals(d.endpointConfigName())),
              SETTLE_TIMEOUT);
      inService = Instant.now();
      loads
          .values()
          .forEach(
              l -> l.awaitCallsStartedAfter(inService.plusSeconds(1), 20, Duration.ofSeconds(30)));
      // keep the load on until the old fleet is gone: a gateway must not pick a stopped replica
      Awaitility.await(endpoint + ": the old replicas' containers gone")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          // a container may vanish between docker ps and docker inspect
          .ignoreExceptions()
          .until(
              () ->
                  servingContainers(endpoint).stream()
                      .noneMatch(c -> oldContainers.contains(c.id())));
      Instant oldFleetGone = Instant.now();
      loads
          .values()
          .forEach(l -> l.awaitCallsStartedAfter(oldFleetGone, 10, Duration.ofSeconds(30)));
    } finally {
      loads.forEach((name, load) -> results.put(name, load.stop()));
    }

    assertThat(during.endpointStatus()).isEqualTo(EndpointStatus.UPDATING);
    assertThat(updated.endpointStatus()).as("%s", updated).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(updated.endpointConfigName()).isEqualTo(v2);
    assertThat(variantOf(updated, VARIANT).currentInstanceCount()).isEqualTo(2);
    String all =
        results.entrySet().stream()
            .map(e -> e.getKey() + ": " + e.getValue().summary())
            .collect(Collectors.joining("\n"));
    System.out.println("load during the deployment of " + endpoint + ":\n" + all);
    for (Map.Entry<String, InvocationLoad.Result> e : results.entrySet()) {
      InvocationLoad.Result load = e.getValue();
      assertThat(load.failures())
          .as("%s failed requests; all gateways:\n%s", e.getKey(), all)
          .isEmpty();
      assertThat(load.perVariant().keySet())
          .as(e.getKey() + ": " + load.summary())
          .containsOnly(VARIANT);
      assertThat(load.perBody().keySet())
          .as(e.getKey() + ": " + load.summary())
          .containsOnly(OLD_ANSWER, NEW_ANSWER)
          .contains(OLD_ANSWER, NEW_ANSWER);
      assertThat(load.successesStartedAfter(inService.plusSeconds(1)))
          .as("%s: answers once InService on the new config: %s", e.getKey(), load.summary())
          .isNotEmpty()
          .allSatisfy(c -> assertThat(c.body().strip()).isEqualTo(NEW_ANSWER));
    }
    gateways()
        .forEach(
            (name, runtime) -> {
              for (int i = 0; i < 10; i++) {
                InvokeEndpointResponse r = runtime.invokeEndpoint(csv(endpoint, ROW));
                assertThat(r.body().asUtf8String()).as(name).isEqualTo(NEW_ANSWER + "\n");
                assertThat(r.invokedProductionVariant()).as(name).isEqualTo(VARIANT);
              }
            });
  }

  @Test
  @Order(4)
  void aGatewayStartedWhileTheControlPlaneIsUnreachableServesOnceItIsReachable() {
    awaitInService(sm, endpoint, START_TIMEOUT);
    String expected = currentAnswer();
    int relayPort = Ports.free();
    URI controlPlane = URI.create("http://localhost:" + relayPort);
    try (GatewayProcess late =
        GatewayProcess.start("standalone-gateway-late", controlPlane, false)) {
      SageMakerRuntimeClient runtime = late.runtime();
      Awaitility.await(late.name() + " reporting the unreachable control plane")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> late.log().contains("Cannot get the routing table"));
      assertThatThrownBy(() -> runtime.invokeEndpoint(csv(endpoint, ROW)))
          .as("invoking before the gateway has any routing table")
          .isInstanceOf(AwsServiceException.class);
      // several retries, with the back-off grown to its longest
      sleep(Duration.ofSeconds(8));
      assertThat(late.isAlive())
          .as("%s still running:\n%s", late.name(), late.logTail(30))
          .isTrue();

      try (TcpForwarder relay = TcpForwarder.start(relayPort, server.apiEndpoint().getPort())) {
        Instant opened = Instant.now();
        awaitAnswer(late.name(), runtime, expected);
        Duration toServe = Duration.between(opened, Instant.now());
        assertThat(toServe).as("from reachable to serving").isLessThan(Duration.ofSeconds(15));
        assertThat(late.log())
            .contains("Following the routing table from " + controlPlane + " again");
        InvokeEndpointResponse r = runtime.invokeEndpoint(csv(endpoint, ROW));
        assertThat(r.invokedProductionVariant()).isEqualTo(VARIANT);
      }

      // cut off again: it keeps serving the last table it had
      Instant cut = Instant.now();
      Awaitility.await(late.name() + " noticing the control plane is gone again")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> late.log().split("Cannot get the routing table", -1).length > 2);
      for (int i = 0; i < 10; i++) {
        assertThat(runtime.invokeEndpoint(csv(endpoint, ROW)).body().asUtf8String())
            .as("served %s after the control plane went away", Duration.between(cut, Instant.now()))
            .isEqualTo(expected + "\n");
      }
      assertThat(late.stop()).as("exit code after SIGTERM:\n%s", late.logTail(30)).isNotEqualTo(-1);
    }
  }

  @Test
  @Order(5)
  void stoppedGatewaysGoQuietlyAndTheEndpointIsDeleted() {
    awaitInService(sm, endpoint, START_TIMEOUT);
    String expected = currentAnswer();
    SageMakerRuntimeClient embedded = clients.runtime();
    for (GatewayProcess gateway : new GatewayProcess[] {secure, plain}) {
      URI address = gateway.endpoint();
      int exit = gateway.stop();
      assertThat(exit)
          .as("%s exit code after SIGTERM:\n%s", gateway.name(), gateway.logTail(30))
          .isNotEqualTo(-1);
      assertThat(gateway.isAlive()).isFalse();
      try (SageMakerRuntimeClient stale = staleClient(gateway, address)) {
        assertThatThrownBy(() -> stale.invokeEndpoint(csv(endpoint, ROW)))
            .as("%s after it stopped", gateway.name())
            .isInstanceOf(SdkClientException.class);
      }
      // the others carry on
      assertThat(embedded.invokeEndpoint(csv(endpoint, ROW)).body().asUtf8String())
          .isEqualTo(expected + "\n");
    }

    sm.deleteEndpoint(b -> b.endpointName(endpoint));
    awaitDeleted(sm, endpoint, Duration.ofSeconds(90));
    Awaitility.await(endpoint + " unknown to the embedded gateway")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> embedded.invokeEndpoint(csv(endpoint, ROW)))
                    .isInstanceOfSatisfying(
                        ValidationErrorException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(400)));
    Awaitility.await(endpoint + ": no serving containers left")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> servingContainers(endpoint).isEmpty());
  }

  @Test
  @Order(6)
  void aGatewayWhosePortIsTakenExitsWithAnError() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        GatewayProcess gateway =
            GatewayProcess.launch(
                "standalone-gateway-port-taken",
                server.apiEndpoint(),
                false,
                Map.of("SAGEBRUSH_GATEWAY_PORT", Integer.toString(taken.getLocalPort())))) {
      OptionalInt exit = gateway.awaitExit(Duration.ofSeconds(30));
      assertThat(exit)
          .as(
              "a gateway that cannot bind port %d must exit (it still runs with its /metrics"
                  + " port open); log:%n%s",
              taken.getLocalPort(), gateway.logTail(20))
          .isPresent();
      assertThat(exit.getAsInt()).isNotZero();
      assertThat(gateway.log()).contains("Address already in use");
    }
  }

  /** A fresh client of a stopped gateway's old address. */
  private static SageMakerRuntimeClient staleClient(GatewayProcess gateway, URI address) {
    AwsBasicCredentials credentials =
        AwsBasicCredentials.create(
            SagebrushServerProcess.ACCESS_KEY, SagebrushServerProcess.SECRET_KEY);
    if (gateway.tls()) {
      return GatewayClients.runtime(address, gateway.certificate(), credentials);
    }
    return SageMakerRuntimeClient.builder()
        .endpointOverride(address)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .overrideConfiguration(
            o ->
                o.apiCallTimeout(Duration.ofSeconds(30))
                    .retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  /** The answer the endpoint gives now through the embedded gateway (9 or 21). */
  private static String currentAnswer() {
    return clients.runtime().invokeEndpoint(csv(endpoint, ROW)).body().asUtf8String().strip();
  }

  /** The {@code host} of the test server's JSON answer. */
  private static String host(String json) {
    Matcher m = Pattern.compile("\"host\":\"([^\"]*)\"").matcher(json);
    return m.find() ? m.group(1) : null;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
