package io.sagebrush.gateway;

import static io.sagebrush.gateway.support.Tables.aTable;
import static io.sagebrush.gateway.support.Tables.aVariant;
import static io.sagebrush.gateway.support.Tables.anEndpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sagebrush.gateway.routing.RoutingTableHolder;
import io.sagebrush.gateway.support.FakeReplica;
import io.sagebrush.gateway.support.LeakRecorder;
import io.sagebrush.gateway.support.RawHttp;
import io.sagebrush.gateway.support.TestGateways;
import io.sagebrush.gateway.support.VanishingReplica;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointRequest;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;
import software.amazon.awssdk.services.sagemakerruntime.model.SageMakerRuntimeException;
import software.amazon.awssdk.services.sagemakerruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.sagemakerruntime.model.ValidationErrorException;

/**
 * The gateway over HTTPS with its generated self-signed certificate, real replicas on the JDK's
 * HTTP server, and the AWS SDK for Java v2's SageMakerRuntimeClient as the client.
 */
class InferenceGatewayIT {
  static final String ACCESS = "SBGATEWAYTESTKEY0001";
  static final String SECRET = "gateway-secret-0123456789abcdefghijklmnopq";
  static final String ACCOUNT = "123456789012";

  @TempDir static Path home;
  static final RoutingTableHolder routes = new RoutingTableHolder();
  static final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  static InferenceGateway gateway;
  static SdkHttpClient http;
  static SageMakerRuntimeClient runtime;
  static FakeReplica a1;
  static FakeReplica a2;
  static FakeReplica b1;
  static FakeReplica failing;
  static FakeReplica slow;
  static long version;

  @BeforeAll
  static void start() throws Exception {
    LeakRecorder.install();
    a1 = FakeReplica.start("a1");
    a2 = FakeReplica.start("a2");
    b1 = FakeReplica.start("b1");
    failing = FakeReplica.start("failing");
    slow = FakeReplica.start("slow").delay(3000);
    gateway = TestGateways.start(home, ACCESS, SECRET, Duration.ofMillis(1500), routes, registry);
    http =
        ApacheHttpClient.builder()
            .tlsTrustManagersProvider(() -> trustGatewayCertificate())
            .build();
    runtime = client(SECRET, ACCESS);
  }

  @AfterAll
  static void stop() {
    runtime.close();
    http.close();
    gateway.close();
    for (FakeReplica r : new FakeReplica[] {a1, a2, b1, failing, slow}) {
      r.close();
    }
    assertThat(LeakRecorder.leaks()).as("Netty buffers never released").isEmpty();
  }

  static SageMakerRuntimeClient client(String secret, String access) {
    return TestGateways.runtime(gateway, http, access, secret);
  }

  static TrustManager[] trustGatewayCertificate() {
    return TestGateways.trusting(home);
  }

  static void table(io.sagebrush.protocol.RoutingTable.EndpointRoute... endpoints) {
    routes.set(aTable(++version, endpoints));
  }

  static InvokeEndpointResponse invoke(String endpoint, String body) {
    return runtime.invokeEndpoint(
        InvokeEndpointRequest.builder()
            .endpointName(endpoint)
            .contentType("text/csv")
            .body(SdkBytes.fromUtf8String(body))
            .build());
  }

  @Test
  void aPredictionComesBackWithTheVariantAndTheContainersHeaders() {
    table(anEndpoint("ep-basic", aVariant("AllTraffic", 1, a1.url())));

    InvokeEndpointResponse response =
        runtime.invokeEndpoint(
            InvokeEndpointRequest.builder()
                .endpointName("ep-basic")
                .contentType("text/csv")
                .accept("application/json")
                .customAttributes("trace=1")
                .body(SdkBytes.fromUtf8String("1,2,3"))
                .build());

    assertThat(response.body().asUtf8String())
        .isEqualTo("{\"replica\":\"a1\",\"input\":\"1,2,3\"}");
    assertThat(response.invokedProductionVariant()).isEqualTo("AllTraffic");
    assertThat(response.contentType()).isEqualTo("application/json");
    assertThat(response.customAttributes()).isEqualTo("echo:trace=1");
    assertThat(response.responseMetadata().requestId()).isNotBlank();
    assertThat(a1.lastContentType()).isEqualTo("text/csv");
    assertThat(a1.lastAccept()).isEqualTo("application/json");
  }

  @Test
  void headersOutsideTheApiAreNotForwarded() throws Exception {
    table(anEndpoint("ep-headers", aVariant("AllTraffic", 1, b1.url())));
    SageMakerRuntimeClient withExtraHeader =
        SageMakerRuntimeClient.builder()
            .endpointOverride(URI.create("https://localhost:" + gateway.port()))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
            .httpClient(http)
            .overrideConfiguration(o -> o.putHeader("X-Foreign", "leak"))
            .build();
    withExtraHeader.invokeEndpoint(
        InvokeEndpointRequest.builder()
            .endpointName("ep-headers")
            .body(SdkBytes.fromUtf8String("x"))
            .build());
    assertThat(b1.lastForeignHeader()).isNull();
  }

  @Test
  void weightsOf70And30Give70PercentWithinFivePointsOver2000Requests() {
    table(
        anEndpoint(
            "ep-weights", aVariant("A", 0.7, a1.url(), a2.url()), aVariant("B", 0.3, b1.url())));
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 2000; i++) {
      counts.merge(invoke("ep-weights", "x").invokedProductionVariant(), 1, Integer::sum);
    }
    assertThat(counts.get("A") / 2000.0).isBetween(0.65, 0.75);
    assertThat(counts.get("A") + counts.get("B")).isEqualTo(2000);
    assertThat(
            registry
                .get("sagemaker.invocations")
                .tag("EndpointName", "ep-weights")
                .tag("VariantName", "A")
                .counter()
                .count())
        .isEqualTo(counts.get("A").doubleValue());
    assertThat(
            registry
                .get("sagemaker.invocations.per.instance")
                .tag("EndpointName", "ep-weights")
                .tag("VariantName", "A")
                .counter()
                .count())
        .isEqualTo(counts.get("A") / 2.0, org.assertj.core.data.Offset.offset(0.001));
    assertThat(
            registry
                .get("sagemaker.overhead.latency")
                .tag("EndpointName", "ep-weights")
                .tag("VariantName", "B")
                .summary()
                .count())
        .isEqualTo(counts.get("B").longValue());
  }

  @Test
  void targetVariantPinsEveryRequestAndAnUnknownVariantIsAValidationError() {
    table(anEndpoint("ep-pin", aVariant("A", 0.9, a1.url()), aVariant("B", 0.1, b1.url())));
    for (int i = 0; i < 100; i++) {
      InvokeEndpointResponse response =
          runtime.invokeEndpoint(
              InvokeEndpointRequest.builder()
                  .endpointName("ep-pin")
                  .targetVariant("B")
                  .body(SdkBytes.fromUtf8String("x"))
                  .build());
      assertThat(response.invokedProductionVariant()).isEqualTo("B");
      assertThat(response.body().asUtf8String()).contains("\"b1\"");
    }
    ValidationErrorException e =
        catchThrowableOfType(
            ValidationErrorException.class,
            () ->
                runtime.invokeEndpoint(
                    InvokeEndpointRequest.builder()
                        .endpointName("ep-pin")
                        .targetVariant("C")
                        .body(SdkBytes.fromUtf8String("x"))
                        .build()));
    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.awsErrorDetails().errorMessage()).contains("C");
  }

  @Test
  void aDeadReplicaCostsNoFailedRequest() throws Exception {
    String dead = FakeReplica.deadUrl();
    table(anEndpoint("ep-dead", aVariant("A", 1, dead, a2.url())));
    int before = a2.invocations();
    for (int i = 0; i < 200; i++) {
      assertThat(invoke("ep-dead", "x").body().asUtf8String()).contains("\"a2\"");
    }
    assertThat(a2.invocations() - before).isEqualTo(200);
  }

  @Test
  void concurrentRequestsAllSucceedWhileAReplicaIsDead() throws Exception {
    String dead = FakeReplica.deadUrl();
    table(anEndpoint("ep-dead-concurrent", aVariant("A", 1, dead, a1.url(), a2.url())));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        results.add(
            pool.submit(() -> invoke("ep-dead-concurrent", "x").invokedProductionVariant()));
      }
      for (Future<String> f : results) {
        assertThat(f.get()).isEqualTo("A");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anEndpointWithOnlyDeadReplicasIsServiceUnavailable() throws Exception {
    table(anEndpoint("ep-down", aVariant("A", 1, FakeReplica.deadUrl())));
    ServiceUnavailableException e =
        catchThrowableOfType(ServiceUnavailableException.class, () -> invoke("ep-down", "x"));
    assertThat(e.statusCode()).isEqualTo(503);
    // no model answered: no invocation, and no Invocation5XXErrors (the gateway made the error)
    assertThat(count("sagemaker.invocations", "ep-down", "A")).isZero();
    assertThat(count("sagemaker.invocation.5xx.errors", "ep-down", "A")).isZero();
  }

  static double count(String meter, String endpoint, String variant) {
    return registry
        .find(meter)
        .tag("EndpointName", endpoint)
        .tag("VariantName", variant)
        .counters()
        .stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  static long summaryCount(String meter, String endpoint, String variant) {
    return registry
        .find(meter)
        .tag("EndpointName", endpoint)
        .tag("VariantName", variant)
        .summaries()
        .stream()
        .mapToLong(DistributionSummary::count)
        .sum();
  }

  static RawHttp raw() throws Exception {
    return new RawHttp(gateway.port(), trustGatewayCertificate());
  }

  @Test
  void aRequestThatMovesToAnotherVariantCountsOnlyThere() throws Exception {
    table(
        anEndpoint("ep-move", aVariant("A", 1, FakeReplica.deadUrl()), aVariant("B", 0, b1.url())));
    assertThat(invoke("ep-move", "x").invokedProductionVariant()).isEqualTo("B");
    assertThat(count("sagemaker.invocations", "ep-move", "A")).isZero();
    assertThat(count("sagemaker.invocations", "ep-move", "B")).isEqualTo(1.0);
    assertThat(count("sagemaker.invocations.per.instance", "ep-move", "B")).isEqualTo(1.0);
    assertThat(summaryCount("sagemaker.model.latency", "ep-move", "B")).isEqualTo(1);
    assertThat(summaryCount("sagemaker.model.latency", "ep-move", "A")).isZero();
  }

  @Test
  void aReplicaThatDiesWhileWorkingIsNotSentTheRequestAgain() throws Exception {
    try (VanishingReplica flaky = VanishingReplica.start(1, 300)) {
      table(anEndpoint("ep-vanish", aVariant("A", 1, flaky.url())));
      assertThat(invoke("ep-vanish", "x").body().asUtf8String()).contains("vanishing");
      SageMakerRuntimeException e =
          catchThrowableOfType(SageMakerRuntimeException.class, () -> invoke("ep-vanish", "x"));
      assertThat(e.statusCode()).isEqualTo(503);
      assertThat(flaky.requests()).isEqualTo(2);
    }
  }

  @Test
  void aReplicaThatDiesMidAnswerCostsNoFailedRequest() throws Exception {
    try (VanishingReplica breaking = VanishingReplica.breakingMidAnswer()) {
      table(anEndpoint("ep-broken-answer", aVariant("A", 1, breaking.url(), a1.url())));
      // ties are broken at random: 20 calls reach the breaking replica but for a 1e-6 chance
      for (int i = 0; i < 20; i++) {
        assertThat(invoke("ep-broken-answer", "x").sdkHttpResponse().statusCode()).isEqualTo(200);
      }
      // it was tried, broke off, and the request went to the other replica instead
      assertThat(breaking.requests()).isPositive();
    }
  }

  @Test
  void aRequestIsWrittenAtMostTwiceWhenEveryReplicaVanishes() throws Exception {
    try (VanishingReplica v1 = VanishingReplica.start(0, 0);
        VanishingReplica v2 = VanishingReplica.start(0, 0);
        VanishingReplica v3 = VanishingReplica.start(0, 0)) {
      table(anEndpoint("ep-vanish-all", aVariant("A", 1, v1.url(), v2.url(), v3.url())));
      ModelErrorException e =
          catchThrowableOfType(ModelErrorException.class, () -> invoke("ep-vanish-all", "x"));
      assertThat(e.statusCode()).isEqualTo(424);
      assertThat(v1.requests() + v2.requests() + v3.requests()).isEqualTo(2);
    }
  }

  @Test
  void statefulSessionsAndInferenceComponentsAreRefusedNotIgnored() {
    table(anEndpoint("ep-plain", aVariant("AllTraffic", 1, a1.url())));
    int before = a1.invocations();

    assertThatThrownBy(
            () ->
                runtime.invokeEndpoint(
                    InvokeEndpointRequest.builder()
                        .endpointName("ep-plain")
                        .contentType("text/csv")
                        .sessionId("NEW_SESSION")
                        .body(SdkBytes.fromUtf8String("1"))
                        .build()))
        .isInstanceOf(ValidationErrorException.class)
        .hasMessageContaining("does not support stateful sessions");
    assertThatThrownBy(
            () ->
                runtime.invokeEndpoint(
                    InvokeEndpointRequest.builder()
                        .endpointName("ep-plain")
                        .contentType("text/csv")
                        .inferenceComponentName("ic-1")
                        .body(SdkBytes.fromUtf8String("1"))
                        .build()))
        .isInstanceOf(ValidationErrorException.class)
        .hasMessageContaining("Inference component ic-1 not found for endpoint ep-plain");
    assertThat(a1.invocations()).isEqualTo(before); // nothing reached the container
  }

  @Test
  void invokeEndpointAsyncIsAValidationErrorThatSaysItIsNotSupported() {
    assertThatThrownBy(
            () ->
                runtime.invokeEndpointAsync(
                    b -> b.endpointName("ep-plain").inputLocation("s3://data/in/payload.csv")))
        .isInstanceOf(ValidationErrorException.class)
        .hasMessageContaining("InvokeEndpointAsync is not supported by Sagebrush");
  }

  @Test
  void aContainer201IsAnswered200() throws Exception {
    try (FakeReplica created = FakeReplica.start("created").failWith(201, "made")) {
      table(anEndpoint("ep-201", aVariant("A", 1, created.url())));
      InvokeEndpointResponse response = invoke("ep-201", "x");
      assertThat(response.sdkHttpResponse().statusCode()).isEqualTo(200);
      assertThat(response.body().asUtf8String()).isEqualTo("made");
    }
  }

  @Test
  void aMalformedQueryEscapeIsAnInvalidSignatureNotAHang() throws Exception {
    table(anEndpoint("ep-query", aVariant("A", 1, a1.url())));
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    String date = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(now);
    try (RawHttp client = raw()) {
      RawHttp.Response response =
          client
              .send(
                  "POST /endpoints/ep-query/invocations?a=%zz HTTP/1.1\r\nHost: localhost\r\n"
                      + "X-Amz-Date: "
                      + date
                      + "\r\nAuthorization: AWS4-HMAC-SHA256 Credential="
                      + ACCESS
                      + "/"
                      + date.substring(0, 8)
                      + "/us-east-1/sagemaker/aws4_request, SignedHeaders=host;x-amz-date,"
                      + " Signature=00\r\nContent-Length: 1\r\n\r\nx")
              .read();
      assertThat(response.status()).isEqualTo(403);
      assertThat(response.header("x-amzn-ErrorType")).isEqualTo("InvalidSignatureException");
      assertThat(response.header("x-amzn-RequestId")).isNotBlank();
      // the connection still serves
      assertThat(client.send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n").read().status())
          .isEqualTo(200);
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    try (RawHttp client = raw()) {
      client.send(
          "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n".repeat(3)
              + "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n");
      for (int i = 0; i < 3; i++) {
        assertThat(client.read().status()).isEqualTo(200);
      }
      assertThat(client.read().status()).isEqualTo(404);
      assertThat(client.send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n").read().status())
          .isEqualTo(200);
    }
  }

  @Test
  void anHttp10KeepAliveIsEchoedAndAClosingAnswerEndsTheConnection() throws Exception {
    try (RawHttp client = raw()) {
      RawHttp.Response first =
          client.send("GET /ping HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.header("Connection")).isEqualToIgnoringCase("keep-alive");
      RawHttp.Response second =
          client.send("GET /ping HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
      assertThat(second.status()).isEqualTo(200);
    }
    try (RawHttp client = raw()) {
      client.send(
          "GET /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
              + "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n");
      RawHttp.Response only = client.read();
      assertThat(only.status()).isEqualTo(200);
      assertThat(only.header("Connection")).isEqualToIgnoringCase("close");
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void anOversizedBodyAnnouncedWithExpectContinueIsAValidationError() throws Exception {
    try (RawHttp client = raw()) {
      RawHttp.Response response =
          client
              .send(
                  "POST /endpoints/ep-big/invocations HTTP/1.1\r\nHost: x\r\n"
                      + "Content-Type: text/csv\r\nExpect: 100-continue\r\n"
                      + "Content-Length: 7340032\r\n\r\n")
              .read();
      assertThat(response.status()).isEqualTo(400);
      assertThat(response.header("x-amzn-ErrorType")).isEqualTo("ValidationError");
      assertThat(response.header("x-amzn-RequestId")).isNotBlank();
      assertThat(response.header("Content-Type")).contains("json");
      assertThat(response.body()).contains("6291456");
    }
  }

  @Test
  void aRequestWaitingOnTheModelOutlivesTheClientIdleTimeoutAndIdleUpstreamsAreClosed()
      throws Exception {
    RoutingTableHolder own = new RoutingTableHolder();
    try (FakeReplica slowish = FakeReplica.start("slowish").delay(1200);
        VanishingReplica steady = VanishingReplica.start(Integer.MAX_VALUE, 0);
        InferenceGateway shortIdle =
            InferenceGateway.start(
                GatewayConfig.builder()
                    .bindAddress("127.0.0.1")
                    .port(0)
                    .tlsEnabled(false)
                    .credentials(ACCESS, SECRET)
                    .accountId(ACCOUNT)
                    .modelTimeout(Duration.ofSeconds(5))
                    .clientIdleTimeout(Duration.ofMillis(300))
                    .upstreamIdleTimeout(Duration.ofMillis(300))
                    .ioThreads(1)
                    .build(),
                own,
                new SimpleMeterRegistry());
        SageMakerRuntimeClient client =
            SageMakerRuntimeClient.builder()
                .endpointOverride(URI.create("http://localhost:" + shortIdle.port()))
                .region(Region.US_EAST_1)
                .credentialsProvider(
                    StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
                .httpClient(http)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build()) {
      own.set(
          aTable(
              1,
              anEndpoint("ep-idle", aVariant("A", 1, slowish.url())),
              anEndpoint("ep-steady", aVariant("A", 1, steady.url()))));
      InvokeEndpointRequest.Builder request =
          InvokeEndpointRequest.builder().body(SdkBytes.fromUtf8String("x"));
      assertThat(
              client.invokeEndpoint(request.endpointName("ep-idle").build()).body().asUtf8String())
          .contains("slowish");

      client.invokeEndpoint(request.endpointName("ep-steady").build());
      assertThat(steady.openConnections()).isEqualTo(1);
      long deadline = System.currentTimeMillis() + 5000;
      while (steady.openConnections() > 0 && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertThat(steady.openConnections()).isZero();

      // a client that keeps talking stays connected past the time-out; once quiet it is closed
      // after one to one and a half time-outs
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", shortIdle.port())) {
        socket.setSoTimeout(5000);
        var in = socket.getInputStream();
        byte[] ping = "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 8; i++) {
          socket.getOutputStream().write(ping);
          StringBuilder head = new StringBuilder();
          while (head.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            assertThat(b).as("answer %d arrives before the connection closes", i).isNotNegative();
            head.append((char) b);
          }
          assertThat(head.toString()).startsWith("HTTP/1.1 200");
          var length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
          in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
          Thread.sleep(100); // 800 ms in all, well past the 300 ms time-out
        }
        long quietFrom = System.nanoTime();
        while (in.read() >= 0) {
          // nothing more is sent; read until the gateway closes
        }
        long quietMillis = (System.nanoTime() - quietFrom) / 1_000_000;
        assertThat(quietMillis).isBetween(200L, 1500L);
      }
    }
  }

  @Test
  void aBodyOver6MiBIsAValidationError() {
    table(anEndpoint("ep-big", aVariant("A", 1, a1.url())));
    byte[] big = new byte[6 * 1024 * 1024 + 1];
    ValidationErrorException e =
        catchThrowableOfType(
            ValidationErrorException.class,
            () ->
                runtime.invokeEndpoint(
                    InvokeEndpointRequest.builder()
                        .endpointName("ep-big")
                        .body(SdkBytes.fromByteArray(big))
                        .build()));
    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.awsErrorDetails().errorMessage()).contains("6291456");
    // exactly 6 MiB still goes through, and the connection still works
    byte[] max = new byte[6 * 1024 * 1024];
    java.util.Arrays.fill(max, (byte) 'a');
    assertThat(
            runtime
                .invokeEndpoint(
                    InvokeEndpointRequest.builder()
                        .endpointName("ep-big")
                        .body(SdkBytes.fromByteArray(max))
                        .build())
                .invokedProductionVariant())
        .isEqualTo("A");
  }

  @Test
  void aRequestTooBigToBeWrittenAtOnceStillLeavesItsConnectionReusable() throws Exception {
    try (VanishingReplica replica = VanishingReplica.start(3, 0)) {
      table(anEndpoint("ep-queued", aVariant("A", 1, replica.url())));
      // 6 MiB do not fit the socket's send buffer: the rest of the write is queued and
      // completes later, which the gateway must notice to keep the connection
      byte[] max = new byte[6 * 1024 * 1024];
      java.util.Arrays.fill(max, (byte) 'b');
      for (byte[] body : List.of(max, "x".getBytes(StandardCharsets.UTF_8))) {
        assertThat(
                runtime
                    .invokeEndpoint(
                        InvokeEndpointRequest.builder()
                            .endpointName("ep-queued")
                            .body(SdkBytes.fromByteArray(body))
                            .build())
                    .body()
                    .asUtf8String())
            .contains("vanishing");
      }
      assertThat(replica.requests()).isEqualTo(2);
      assertThat(replica.acceptedConnections()).isEqualTo(1);
    }
  }

  @Test
  void anUnknownEndpointIsAValidationErrorWithSageMakersMessage() {
    table();
    ValidationErrorException e =
        catchThrowableOfType(ValidationErrorException.class, () -> invoke("nope", "x"));
    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
    assertThat(e.awsErrorDetails().errorMessage())
        .isEqualTo("Endpoint nope of account " + ACCOUNT + " not found.");
  }

  @Test
  void anEndpointThatAppearsInTheTableShortlyAfterTheRequestServesIt() throws Exception {
    table(anEndpoint("ep-late", "Creating"));
    ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    try {
      // DescribeEndpoint already says InService; the gateway's table follows 100 ms later
      later.schedule(
          () -> table(anEndpoint("ep-late", aVariant("AllTraffic", 1, a2.url()))),
          100,
          TimeUnit.MILLISECONDS);
      long start = System.nanoTime();
      InvokeEndpointResponse response = invoke("ep-late", "late");
      assertThat(response.body().asUtf8String()).contains("\"replica\":\"a2\"");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(450));

      // a brand-new endpoint, unknown to the gateway when the request arrives
      table();
      later.schedule(
          () -> table(anEndpoint("ep-new", aVariant("AllTraffic", 1, a2.url()))),
          100,
          TimeUnit.MILLISECONDS);
      assertThat(invoke("ep-new", "new").invokedProductionVariant()).isEqualTo("AllTraffic");
    } finally {
      later.shutdownNow();
    }
  }

  @Test
  void anEndpointThatNeverAppearsIsRefusedAfterTheRouteWait() {
    table();
    long start = System.nanoTime();
    ValidationErrorException e =
        catchThrowableOfType(ValidationErrorException.class, () -> invoke("ep-never", "x"));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(e.awsErrorDetails().errorMessage())
        .isEqualTo("Endpoint ep-never of account " + ACCOUNT + " not found.");
    // the default route wait is 500 ms
    assertThat(took).isBetween(Duration.ofMillis(480), Duration.ofMillis(3000));
  }

  @Test
  void aClientThatGivesUpWhileItsRequestWaitsForTheTableIsNeverForwarded() throws Exception {
    RoutingTableHolder own = new RoutingTableHolder();
    try (FakeReplica late = FakeReplica.start("late");
        InferenceGateway patient =
            InferenceGateway.start(
                GatewayConfig.builder()
                    .bindAddress("127.0.0.1")
                    .port(0)
                    .tlsEnabled(false)
                    .credentials(ACCESS, SECRET)
                    .accountId(ACCOUNT)
                    .routeWait(Duration.ofSeconds(3))
                    .ioThreads(1)
                    .build(),
                own,
                new SimpleMeterRegistry());
        SageMakerRuntimeClient client =
            SageMakerRuntimeClient.builder()
                .endpointOverride(URI.create("http://localhost:" + patient.port()))
                .region(Region.US_EAST_1)
                .credentialsProvider(
                    StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
                .httpClient(http)
                .overrideConfiguration(
                    o ->
                        o.retryStrategy(AwsRetryStrategy.doNotRetry())
                            .apiCallTimeout(Duration.ofMillis(300)))
                .build()) {
      InvokeEndpointRequest request =
          InvokeEndpointRequest.builder()
              .endpointName("ep-gone")
              .body(SdkBytes.fromUtf8String("x"))
              .build();
      // the client gives up (and closes its connection) while the gateway waits for a table
      assertThatThrownBy(() -> client.invokeEndpoint(request)).isNotNull();
      own.set(aTable(1, anEndpoint("ep-gone", aVariant("A", 1, late.url()))));
      Thread.sleep(300);
      assertThat(late.invocations()).isZero();
      // the gateway still serves
      assertThat(client.invokeEndpoint(request).body().asUtf8String()).contains("late");
      assertThat(late.invocations()).isEqualTo(1);
    }
  }

  @Test
  void anEndpointThatIsNotInServiceIsAValidationError() {
    table(anEndpoint("ep-creating", "Creating"));
    assertThatThrownBy(() -> invoke("ep-creating", "x"))
        .isInstanceOf(ValidationErrorException.class)
        .hasMessageContaining("Creating");
  }

  @Test
  void aContainer400IsAModelErrorWithTheOriginalStatusAndMessage() {
    failing.failWith(400, "bad input");
    table(anEndpoint("ep-400", aVariant("A", 1, failing.url())));
    ModelErrorException e =
        catchThrowableOfType(ModelErrorException.class, () -> invoke("ep-400", "x"));
    assertThat(e.statusCode()).isEqualTo(424);
    assertThat(e.originalStatusCode()).isEqualTo(400);
    assertThat(e.originalMessage()).isEqualTo("bad input");
    assertThat(e.logStreamArn())
        .isEqualTo(
            "arn:aws:logs:us-east-1:" + ACCOUNT + ":log-group:/aws/sagemaker/Endpoints/ep-400");
    assertThat(e.awsErrorDetails().errorMessage())
        .startsWith("Received client error (400) from primary with message \"bad input\". See ");
    assertThat(
            registry
                .get("sagemaker.invocation.model.errors")
                .tag("EndpointName", "ep-400")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(
            registry
                .get("sagemaker.invocation.4xx.errors")
                .tag("EndpointName", "ep-400")
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  @Test
  void aContainer500IsAModelErrorFromTheServerSide() {
    FakeReplica broken = null;
    try {
      broken = FakeReplica.start("broken").failWith(500, "boom");
      table(anEndpoint("ep-500", aVariant("A", 1, broken.url())));
      ModelErrorException e =
          catchThrowableOfType(ModelErrorException.class, () -> invoke("ep-500", "x"));
      assertThat(e.statusCode()).isEqualTo(424);
      assertThat(e.originalStatusCode()).isEqualTo(500);
      assertThat(e.awsErrorDetails().errorMessage())
          .startsWith("Received server error (500) from primary");
    } catch (java.io.IOException ex) {
      throw new IllegalStateException(ex);
    } finally {
      if (broken != null) {
        broken.close();
      }
    }
  }

  @Test
  void aModelThatTakesTooLongIsAModelError() {
    table(anEndpoint("ep-slow", aVariant("A", 1, slow.url())));
    ModelErrorException e =
        catchThrowableOfType(ModelErrorException.class, () -> invoke("ep-slow", "x"));
    assertThat(e.statusCode()).isEqualTo(424);
    assertThat(e.awsErrorDetails().errorMessage()).contains("timed out");
  }

  @Test
  void aBadSignatureIs403AndAnUnknownKeyIsAnUnrecognizedClient() {
    table(anEndpoint("ep-auth", aVariant("A", 1, a1.url())));
    try (SageMakerRuntimeClient wrongSecret = client("not-the-secret", ACCESS);
        SageMakerRuntimeClient wrongKey = client(SECRET, "SOMEONEELSE000000000")) {
      SageMakerRuntimeException bad =
          catchThrowableOfType(
              SageMakerRuntimeException.class,
              () ->
                  wrongSecret.invokeEndpoint(
                      InvokeEndpointRequest.builder()
                          .endpointName("ep-auth")
                          .body(SdkBytes.fromUtf8String("x"))
                          .build()));
      assertThat(bad.statusCode()).isEqualTo(403);
      assertThat(bad.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
      SageMakerRuntimeException unknown =
          catchThrowableOfType(
              SageMakerRuntimeException.class,
              () ->
                  wrongKey.invokeEndpoint(
                      InvokeEndpointRequest.builder()
                          .endpointName("ep-auth")
                          .body(SdkBytes.fromUtf8String("x"))
                          .build()));
      assertThat(unknown.statusCode()).isEqualTo(403);
      assertThat(unknown.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
    }
  }

  @Test
  void aRoutingTableUpdateShiftsTrafficLive() {
    table(anEndpoint("ep-shift", aVariant("A", 1, a1.url()), aVariant("B", 0, b1.url())));
    for (int i = 0; i < 50; i++) {
      assertThat(invoke("ep-shift", "x").invokedProductionVariant()).isEqualTo("A");
    }
    table(anEndpoint("ep-shift", aVariant("A", 0, a1.url()), aVariant("B", 1, b1.url())));
    for (int i = 0; i < 50; i++) {
      assertThat(invoke("ep-shift", "x").invokedProductionVariant()).isEqualTo("B");
    }
    assertThat(gateway.routingTableVersion()).isEqualTo(version);
  }

  @Test
  void aReplicaRemovedFromTheTableFinishesItsRequestInFlightAndGetsNoNewOnes() throws Exception {
    try (FakeReplica leaving = FakeReplica.start("leaving").delay(700)) {
      table(anEndpoint("ep-drain", aVariant("A", 1, leaving.url())));
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        Future<String> inFlight = pool.submit(() -> invoke("ep-drain", "x").body().asUtf8String());
        long deadline = System.currentTimeMillis() + 5000;
        while (leaving.invocations() == 0 && System.currentTimeMillis() < deadline) {
          Thread.sleep(5);
        }
        table(anEndpoint("ep-drain", aVariant("A", 1, a1.url())));

        for (int i = 0; i < 20; i++) {
          assertThat(invoke("ep-drain", "x").body().asUtf8String()).contains("\"a1\"");
        }
        assertThat(inFlight.get()).contains("\"leaving\"");
        assertThat(leaving.invocations()).isEqualTo(1);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void pingAnswers200AndAnUnknownPathIs404() throws Exception {
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, trustGatewayCertificate(), null);
    HttpClient client = HttpClient.newBuilder().sslContext(tls).build();
    HttpResponse<String> ping =
        client.send(
            HttpRequest.newBuilder(URI.create("https://localhost:" + gateway.port() + "/ping"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ping.statusCode()).isEqualTo(200);
    HttpResponse<String> other =
        client.send(
            HttpRequest.newBuilder(URI.create("https://localhost:" + gateway.port() + "/nothing"))
                .build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(other.headers().firstValue("x-amzn-ErrorType"))
        .hasValue("UnknownOperationException");
  }

  @Test
  void aHeadRequestGetsHeadersWithoutABodyAndTheConnectionServesOn() throws Exception {
    try (RawHttp raw = raw()) {
      RawHttp.Response head = raw.send("HEAD /nothing HTTP/1.1\r\nHost: x\r\n\r\n").readHead();
      assertThat(head.status()).isEqualTo(404);
      assertThat(Integer.parseInt(head.header("content-length"))).isPositive();
      RawHttp.Response ping = raw.send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n").read();
      assertThat(ping.status()).as("the next answer is not read from a stray body").isEqualTo(200);
    }
  }

  @Test
  void anExpectationOtherThanContinueIs417AndClosesTheConnection() throws Exception {
    try (RawHttp raw = raw()) {
      RawHttp.Response failed =
          raw.send(
                  "POST /endpoints/ep/invocations HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                      + "Expect: something-else\r\n\r\n")
              .read();
      assertThat(failed.status()).isEqualTo(417);
      assertThat(failed.header("connection")).isEqualToIgnoringCase("close");
      assertThat(raw.closedByServer()).isTrue();
    }
  }
}
