package io.sagebrush.gateway;

import static io.sagebrush.gateway.support.Tables.aTable;
import static io.sagebrush.gateway.support.Tables.aVariant;
import static io.sagebrush.gateway.support.Tables.anEndpoint;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sagebrush.gateway.routing.RoutingTableHolder;
import io.sagebrush.gateway.support.LeakRecorder;
import io.sagebrush.gateway.support.StreamingReplica;
import io.sagebrush.gateway.support.TestGateways;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeAsyncClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointWithResponseStreamRequest;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointWithResponseStreamResponse;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelStreamErrorException;
import software.amazon.awssdk.services.sagemakerruntime.model.PayloadPart;
import software.amazon.awssdk.services.sagemakerruntime.model.ResponseStream;
import software.amazon.awssdk.services.sagemakerruntime.model.ValidationErrorException;

/**
 * InvokeEndpointWithResponseStream through the gateway over HTTPS, with the AWS SDK for Java v2's
 * SageMakerRuntimeAsyncClient (the only Java client of the operation) and a container whose every
 * chunk and pause the test sets ({@link StreamingReplica}).
 */
class ResponseStreamIT {
  static final String ACCESS = "SBSTREAMTESTKEY00001";
  static final String SECRET = "stream-secret-0123456789abcdefghijklmnopq";

  @TempDir static Path home;
  static final RoutingTableHolder routes = new RoutingTableHolder();
  static final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  static InferenceGateway gateway;
  static StreamingReplica replica;
  static SdkAsyncHttpClient http;
  static SageMakerRuntimeAsyncClient runtime;

  @BeforeAll
  static void start() throws Exception {
    LeakRecorder.install();
    replica = new StreamingReplica();
    gateway = TestGateways.start(home, ACCESS, SECRET, Duration.ofMillis(6000), routes, registry);
    routes.set(aTable(1, anEndpoint("ep-stream", aVariant("Streamer", 1, replica.url()))));
    http =
        NettyNioAsyncHttpClient.builder()
            .tlsTrustManagersProvider(() -> TestGateways.trusting(home))
            .build();
    runtime =
        SageMakerRuntimeAsyncClient.builder()
            .endpointOverride(URI.create("https://localhost:" + gateway.port()))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
            .httpClient(http)
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build();
  }

  @AfterAll
  static void stop() throws Exception {
    runtime.close();
    http.close();
    gateway.close();
    replica.close();
    assertThat(LeakRecorder.leaks()).as("Netty buffers never released").isEmpty();
  }

  /** What one streamed call gave: the response, the parts with their arrival, and any error. */
  record Streamed(
      InvokeEndpointWithResponseStreamResponse response,
      List<String> parts,
      List<Long> arrivalMillis,
      Throwable error) {}

  static Streamed stream(String endpoint, String body) throws Exception {
    AtomicReference<InvokeEndpointWithResponseStreamResponse> response = new AtomicReference<>();
    List<String> parts = new CopyOnWriteArrayList<>();
    List<Long> arrivals = new CopyOnWriteArrayList<>();
    long t0 = System.nanoTime();
    InvokeEndpointWithResponseStreamResponseHandler handler =
        InvokeEndpointWithResponseStreamResponseHandler.builder()
            .onResponse(response::set)
            .onEventStream(
                (SdkPublisher<ResponseStream> events) ->
                    events.subscribe(
                        event -> {
                          if (event instanceof PayloadPart part) {
                            arrivals.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                            parts.add(part.bytes().asUtf8String());
                          }
                        }))
            .build();
    Throwable error = null;
    try {
      runtime
          .invokeEndpointWithResponseStream(
              InvokeEndpointWithResponseStreamRequest.builder()
                  .endpointName(endpoint)
                  .contentType("text/csv")
                  .accept("application/jsonlines")
                  .customAttributes("trace=7")
                  .body(SdkBytes.fromUtf8String(body))
                  .build(),
              handler)
          .get(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      error = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
    }
    return new Streamed(response.get(), parts, arrivals, error);
  }

  @Test
  void eachChunkOfTheContainersAnswerArrivesAsItIsWrittenAsOnePayloadPart() throws Exception {
    Streamed s = stream("ep-stream", "chunks 3 300");

    assertThat(s.error()).isNull();
    assertThat(s.parts()).containsExactly("{\"part\":0}\n", "{\"part\":1}\n", "{\"part\":2}\n");
    // the parts came as the container wrote them, 300 ms apart, not all at the end
    assertThat(s.arrivalMillis().get(2) - s.arrivalMillis().get(0)).isGreaterThanOrEqualTo(450);
    assertThat(s.response().contentType()).isEqualTo("application/jsonlines");
    assertThat(s.response().invokedProductionVariant()).isEqualTo("Streamer");
    assertThat(s.response().customAttributes()).isEqualTo("echo:trace=7");
    // the stream's Accept reaches the container as Accept
    assertThat(replica.lastHeaders()).containsEntry("accept", "application/jsonlines");
    assertThat(replica.lastHeaders()).containsEntry("content-type", "text/csv");
    assertThat(replica.lastHeaders()).doesNotContainKey("x-amzn-sagemaker-accept");
  }

  @Test
  void aBodyWithAContentLengthIsStreamedToo() throws Exception {
    Streamed s = stream("ep-stream", "fixed hello-world");

    assertThat(s.error()).isNull();
    assertThat(String.join("", s.parts())).isEqualTo("hello-world");
    assertThat(s.response().contentType()).isEqualTo("text/plain");
  }

  @Test
  void aContainerErrorBeforeTheStreamIsAModelErrorWithTheOriginalStatus() throws Exception {
    Streamed s = stream("ep-stream", "status 400");

    assertThat(s.error()).isInstanceOf(ModelErrorException.class);
    ModelErrorException error = (ModelErrorException) s.error();
    assertThat(error.originalStatusCode()).isEqualTo(400);
    assertThat(error.originalMessage()).isEqualTo("refused: 400");
    assertThat(s.parts()).isEmpty();
  }

  @Test
  void aContainerThatBreaksOffMidStreamEndsItWithAStreamBrokenError() throws Exception {
    Streamed s = stream("ep-stream", "break");

    assertThat(s.parts()).containsExactly("{\"part\":0}\n");
    assertThat(s.error()).isInstanceOf(ModelStreamErrorException.class);
    assertThat(((ModelStreamErrorException) s.error()).errorCode()).isEqualTo("StreamBroken");
  }

  @Test
  void aContainerThatStallsMidStreamEndsItWithATimeOutError() throws Exception {
    Streamed s = stream("ep-stream", "stall 9000");

    assertThat(s.parts()).containsExactly("{\"part\":0}\n");
    assertThat(s.error()).isInstanceOf(ModelStreamErrorException.class);
    ModelStreamErrorException error = (ModelStreamErrorException) s.error();
    assertThat(error.errorCode()).isEqualTo("ModelInvocationTimeExceeded");
    assertThat(error.getMessage()).contains("model time-out of 6000 ms");
  }

  @Test
  void anUnknownEndpointIsAValidationError() throws Exception {
    Streamed s = stream("ep-nowhere", "chunks 1 0");

    assertThat(s.error()).isInstanceOf(ValidationErrorException.class);
    assertThat(s.error().getMessage())
        .contains("Endpoint ep-nowhere of account 123456789012 not found");
  }

  @Test
  void theConnectionsServeOnAfterAStreamAndPlainInvocationsStillWork() throws Exception {
    for (int i = 0; i < 5; i++) {
      Streamed s = stream("ep-stream", "chunks 2 0");
      assertThat(s.error()).isNull();
      assertThat(s.parts()).hasSize(2);
    }
    try (SdkHttpClient syncHttp =
            ApacheHttpClient.builder()
                .tlsTrustManagersProvider(() -> TestGateways.trusting(home))
                .build();
        SageMakerRuntimeClient sync = TestGateways.runtime(gateway, syncHttp, ACCESS, SECRET)) {
      String answer =
          sync.invokeEndpoint(
                  b ->
                      b.endpointName("ep-stream")
                          .contentType("text/csv")
                          .body(SdkBytes.fromString("fixed plain", StandardCharsets.UTF_8)))
              .body()
              .asUtf8String();
      assertThat(answer).isEqualTo("plain");
    }
    // streamed invocations count like the others
    assertThat(
            registry
                .get("sagemaker.invocations")
                .tag("EndpointName", "ep-stream")
                .tag("VariantName", "Streamer")
                .counter()
                .count())
        .isGreaterThanOrEqualTo(6);
  }

  @Test
  void aClientThatStopsReadingStopsTheGatewayReadingTheContainer() throws Exception {
    int chunks = 600;
    int size = 64 * 1024; // 37.5 MiB in all: several times what the socket buffers hold (~9 MiB)
    java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicReference<org.reactivestreams.Subscription> subscription =
        new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.CountDownLatch firstPart = new java.util.concurrent.CountDownLatch(1);
    InvokeEndpointWithResponseStreamResponseHandler handler =
        InvokeEndpointWithResponseStreamResponseHandler.builder()
            .onEventStream(
                events ->
                    events.subscribe(
                        new org.reactivestreams.Subscriber<ResponseStream>() {
                          @Override
                          public void onSubscribe(org.reactivestreams.Subscription s) {
                            subscription.set(s);
                            s.request(1); // one part, then nothing until the test asks
                          }

                          @Override
                          public void onNext(ResponseStream event) {
                            received.addAndGet(((PayloadPart) event).bytes().asByteArray().length);
                            firstPart.countDown();
                          }

                          @Override
                          public void onError(Throwable t) {}

                          @Override
                          public void onComplete() {}
                        }))
            .build();
    var call =
        runtime.invokeEndpointWithResponseStream(
            InvokeEndpointWithResponseStreamRequest.builder()
                .endpointName("ep-stream")
                .body(SdkBytes.fromUtf8String("big " + chunks + " " + size))
                .build(),
            handler);
    assertThat(firstPart.await(10, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(1000);
    int writtenWhileStalled = replica.chunksWritten();
    Thread.sleep(500);
    System.out.println("chunks written while the client read nothing: " + writtenWhileStalled);

    // the container is held back by full buffers, not read into the gateway's memory
    assertThat(replica.chunksWritten()).isEqualTo(writtenWhileStalled).isLessThan(chunks / 2);

    subscription.get().request(Long.MAX_VALUE);
    call.get(30, TimeUnit.SECONDS);
    assertThat(received.get()).isEqualTo((long) chunks * size);
    assertThat(replica.chunksWritten()).isEqualTo(chunks);
  }

  @Test
  void aClientThatLeavesBeforeTheAnswerBeginsFreesTheContainerConnection() throws Exception {
    var call =
        runtime.invokeEndpointWithResponseStream(
            InvokeEndpointWithResponseStreamRequest.builder()
                .endpointName("ep-stream")
                .body(SdkBytes.fromUtf8String("late 600 100 50"))
                .build(),
            InvokeEndpointWithResponseStreamResponseHandler.builder()
                .subscriber(
                    InvokeEndpointWithResponseStreamResponseHandler.Visitor.builder().build())
                .build());
    Thread.sleep(200); // the request is at the container, which has not answered yet
    call.cancel(true); // the SDK closes its connection

    // the gateway drops the container's connection: its writes fail long before 100 chunks
    Thread.sleep(2000);
    int written = replica.chunksWritten();
    Thread.sleep(300);
    assertThat(replica.chunksWritten()).isEqualTo(written).isLessThan(5);
  }

  @Test
  void anHttp10ClientGetsTheStreamEndedByTheClose() throws Exception {
    byte[] body = "chunks 2 0".getBytes(StandardCharsets.UTF_8);
    String path = "/endpoints/ep-stream/invocations-response-stream";
    String host = "localhost:" + gateway.port();
    software.amazon.awssdk.http.SdkHttpRequest unsigned =
        software.amazon.awssdk.http.SdkHttpRequest.builder()
            .method(software.amazon.awssdk.http.SdkHttpMethod.POST)
            .uri(URI.create("https://" + host + path))
            .putHeader("Content-Type", "text/csv")
            .putHeader("X-Amzn-SageMaker-Accept", "application/jsonlines")
            .build();
    var signed =
        software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(
                            software.amazon.awssdk.identity.spi.AwsCredentialsIdentity.create(
                                ACCESS, SECRET))
                        .request(unsigned)
                        .payload(
                            software.amazon.awssdk.http.ContentStreamProvider.fromByteArray(body))
                        .putProperty(
                            software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner
                                .SERVICE_SIGNING_NAME,
                            "sagemaker")
                        .putProperty(
                            software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.REGION_NAME,
                            "us-east-1"));
    StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.0\r\n");
    signed
        .request()
        .headers()
        .forEach(
            (k, vs) -> vs.forEach(v -> request.append(k).append(": ").append(v).append("\r\n")));
    request.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    request.append(new String(body, StandardCharsets.ISO_8859_1));

    try (io.sagebrush.gateway.support.RawHttp client =
        new io.sagebrush.gateway.support.RawHttp(gateway.port(), TestGateways.trusting(home))) {
      io.sagebrush.gateway.support.RawHttp.Response head =
          client.send(request.toString()).readHead();
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("Content-Type")).isEqualTo("application/vnd.amazon.eventstream");
      assertThat(head.header("Transfer-Encoding")).isNull();
      assertThat(head.header("Connection")).isEqualTo("close");
      byte[] events = client.readToEnd(); // the stream ends with the connection
      List<String> parts = new java.util.ArrayList<>();
      new software.amazon.eventstream.MessageDecoder(
              m -> parts.add(new String(m.getPayload(), StandardCharsets.UTF_8)))
          .feed(java.nio.ByteBuffer.wrap(events));
      assertThat(parts).containsExactly("{\"part\":0}\n", "{\"part\":1}\n");
    }
  }
}
