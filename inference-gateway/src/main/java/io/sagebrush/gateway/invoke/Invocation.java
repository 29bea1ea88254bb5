package io.sagebrush.gateway.invoke;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.ScheduledFuture;
import io.sagebrush.common.error.ErrorCode;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.common.sigv4.SigV4Request;
import io.sagebrush.common.sigv4.SigV4Verifier;
import io.sagebrush.gateway.routing.EndpointTarget;
import io.sagebrush.gateway.routing.Replica;
import io.sagebrush.gateway.routing.RouteTarget;
import io.sagebrush.gateway.upstream.ReplicaRequest;
import io.sagebrush.gateway.upstream.ReplicaResponse;
import io.sagebrush.gateway.upstream.ReplicaResponseDecoder;
import io.sagebrush.gateway.upstream.ReplicaStream;
import io.sagebrush.gateway.upstream.UpstreamConnection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One InvokeEndpoint (or InvokeEndpointWithResponseStream) request, from the decoded request to the
 * answer. Runs on the client connection's event loop; the upstream connection lives on the same
 * loop.
 *
 * <p>Steps: 1. verify the SigV4 signature (bodies over 256 KiB are hashed off the loop); 2. check
 * the runtime headers; 3. find the endpoint and check that it serves; 4. pick the target ({@code
 * X-Amzn-SageMaker-Target-Variant} or weighted random) and within it the replica with the fewest
 * requests in flight; 5. send {@code POST /invocations} with the supported headers on a pooled
 * keep-alive connection (retries: see {@link #onFailure}); 6. relay a 2xx answer as 200, turn any
 * other answer or a time-out into a ModelError; 7. record the metrics of the variant that answered
 * (errors the gateway makes itself, such as a bad signature or no ready replica, are no invocation
 * and count in no variant metric).
 *
 * <p>A streamed request (InvokeEndpointWithResponseStream) takes its Accept from {@code
 * X-Amzn-SageMaker-Accept} and relays a 2xx answer as it arrives: a PayloadPart event per chunk of
 * the container's answer. Until the answer's head arrives everything is as above (retries, errors
 * as error answers); after it, a broken connection or the model time-out ends the stream with a
 * ModelStreamError event ({@code StreamBroken}, {@code ModelInvocationTimeExceeded}). While the
 * client reads slower than the container writes, the container's connection is not read.
 */
final class Invocation implements UpstreamConnection.Exchange {
  private static final Logger log = LoggerFactory.getLogger(Invocation.class);
  private static final int HASH_OFF_LOOP_BYTES = 256 * 1024;

  /**
   * A pooled connection that closes this soon after it was taken, without a response byte, is taken
   * for one the container had closed while it sat idle (a keep-alive race), not for a dead replica.
   */
  private static final long STALE_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /** The most times one request is written to containers, retries included. */
  private static final int MAX_SENDS = 2;

  /** How often a request waiting for a routable table looks again. */
  private static final long ROUTE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  static final AsciiString CUSTOM_ATTRIBUTES =
      AsciiString.cached("X-Amzn-SageMaker-Custom-Attributes");
  private static final AsciiString TARGET_MODEL =
      AsciiString.cached("X-Amzn-SageMaker-Target-Model");
  private static final AsciiString TARGET_VARIANT =
      AsciiString.cached("X-Amzn-SageMaker-Target-Variant");
  private static final AsciiString TARGET_CONTAINER =
      AsciiString.cached("X-Amzn-SageMaker-Target-Container-Hostname");
  private static final AsciiString INFERENCE_ID =
      AsciiString.cached("X-Amzn-SageMaker-Inference-Id");
  static final AsciiString INVOKED_VARIANT =
      AsciiString.cached("x-Amzn-Invoked-Production-Variant");
  private static final AsciiString STREAM_ACCEPT = AsciiString.cached("X-Amzn-SageMaker-Accept");
  private static final AsciiString SESSION_ID = AsciiString.cached("X-Amzn-SageMaker-Session-Id");
  private static final AsciiString INFERENCE_COMPONENT =
      AsciiString.cached("X-Amzn-SageMaker-Inference-Component");
  static final AsciiString MODEL_CONTENT_TYPE = AsciiString.cached("X-Amzn-SageMaker-Content-Type");

  /**
   * The runtime API's request headers, read in one pass over the request's headers; the first
   * {@link #FORWARDED} are passed on to the container.
   */
  private static final AsciiString[] RUNTIME_HEADERS = {
    HttpHeaderNames.CONTENT_TYPE,
    HttpHeaderNames.ACCEPT,
    CUSTOM_ATTRIBUTES,
    INFERENCE_ID,
    TARGET_MODEL,
    TARGET_VARIANT,
    TARGET_CONTAINER,
    STREAM_ACCEPT,
    SESSION_ID,
    INFERENCE_COMPONENT
  };

  private static final int FORWARDED = 5;
  private static final int H_CONTENT_TYPE = 0;
  private static final int H_ACCEPT = 1;
  private static final int H_CUSTOM_ATTRIBUTES = 2;
  private static final int H_INFERENCE_ID = 3;
  private static final int H_TARGET_MODEL = 4;
  private static final int H_TARGET_VARIANT = 5;
  private static final int H_TARGET_CONTAINER = 6;
  private static final int H_STREAM_ACCEPT = 7;
  private static final int H_SESSION_ID = 8;
  private static final int H_INFERENCE_COMPONENT = 9;

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
          });

  private final GatewayContext gateway;
  private final GatewayHandler connection;
  private final ClientRequest request;
  private final String rawPath;
  private final String rawQuery;
  private final String endpointName;
  private final String requestId;
  private final boolean keepAlive;
  private final boolean stream;
  private final long startNanos = System.nanoTime();

  /** The first value of each of {@link #RUNTIME_HEADERS}, or null. */
  private final String[] runtimeHeaders = new String[RUNTIME_HEADERS.length];

  private EventLoop loop;
  private EndpointTarget endpoint;
  private RouteTarget route;
  private boolean pinned;
  private Replica replica;
  private List<Replica> tried;
  private boolean staleRetried;
  private boolean vanishedRetried;
  private int sends;
  private UpstreamConnection upstream;
  private long routeDeadlineNanos;
  private ScheduledFuture<?> routeRetry;
  private long sentNanos;
  private boolean done;

  /** A streamed answer's head went to the client: errors now end the stream. */
  private boolean streamStarted;

  Invocation(
      GatewayContext gateway,
      GatewayHandler connection,
      ClientRequest request,
      String rawPath,
      String rawQuery,
      String endpointName,
      String requestId,
      boolean keepAlive,
      boolean stream) {
    this.gateway = gateway;
    this.connection = connection;
    this.request = request;
    this.rawPath = rawPath;
    this.rawQuery = rawQuery;
    this.endpointName = endpointName;
    this.requestId = requestId;
    this.keepAlive = keepAlive;
    this.stream = stream;
  }

  void start(ChannelHandlerContext ctx) {
    loop = ctx.channel().eventLoop();
    ByteBuf body = request.content();
    if (body.readableBytes() > HASH_OFF_LOOP_BYTES) {
      CompletableFuture<String> hashed;
      try {
        hashed = CompletableFuture.supplyAsync(() -> sha256Hex(body), gateway.hashExecutor());
      } catch (RejectedExecutionException e) {
        // the gateway is shutting down
        fail(RuntimeError.serviceUnavailable("The gateway is shutting down. Try again."), null);
        return;
      }
      hashed.whenComplete(
          (hash, error) -> {
            try {
              loop.execute(
                  () -> {
                    if (error != null) {
                      fail(RuntimeError.internalFailure("Cannot hash the request body."), error);
                    } else {
                      authenticatedSafely(hash);
                    }
                  });
            } catch (RejectedExecutionException e) {
              // the event loop is gone (shutdown): nobody can be answered, only the body freed
              if (!done) {
                done = true;
                request.release();
              }
            }
          });
    } else {
      authenticatedSafely(sha256Hex(body));
    }
  }

  /** {@link #authenticated}, with any unexpected failure answered and the body released. */
  private void authenticatedSafely(String bodyHash) {
    try {
      authenticated(bodyHash);
    } catch (RuntimeException e) {
      fail(RuntimeError.internalFailure("The gateway failed to process the request."), e);
    }
  }

  private void authenticated(String bodyHash) {
    try {
      SigV4Verifier.Scope scope =
          gateway
              .verifier()
              .verify(
                  new SigV4Request("POST", rawPath, rawQuery, request::all, null, request),
                  bodyHash);
      if (!"sagemaker".equals(scope.service())) {
        throw new SagebrushException(
            ErrorCode.INVALID_SIGNATURE,
            "Credential should be scoped to correct service: 'sagemaker'. ");
      }
    } catch (SagebrushException e) {
      log.warn(
          "InvokeEndpoint {} -> {} {}: {}",
          endpointName,
          e.code().httpStatus(),
          e.code().awsType(),
          e.getMessage());
      fail(RuntimeError.auth(e), null);
      return;
    }
    RuntimeError invalid = validateHeaders();
    if (invalid != null) {
      fail(invalid, null);
      return;
    }
    routeSafely();
  }

  /** {@link #route}, with any unexpected failure answered and the body released. */
  private void routeSafely() {
    try {
      route();
    } catch (RuntimeException e) {
      fail(RuntimeError.internalFailure("The gateway failed to process the request."), e);
    }
  }

  /**
   * Steps 3 and 4. An endpoint the table does not route yet (unknown, not in a serving status, or
   * without a ready replica in any target) is looked up again every {@link #ROUTE_POLL_NANOS} for
   * up to {@link io.sagebrush.gateway.GatewayConfig#routeWait}: the control plane may already call
   * it InService while the gateway's table is a few milliseconds behind. Only then is it refused.
   */
  private void route() {
    routeRetry = null;
    if (done) {
      return; // cancelled while waiting (the client connection closed)
    }
    endpoint = gateway.router().endpoint(endpointName);
    if ((endpoint == null || !endpoint.serving() || !endpoint.hasReadyReplica())
        && waitForNewerTable()) {
      return;
    }
    if (routeDeadlineNanos != 0) {
      connection.routeWaitOver(this);
    }
    if (endpoint == null) {
      fail(
          RuntimeError.validation(
              "Endpoint "
                  + endpointName
                  + " of account "
                  + gateway.config().accountId()
                  + " not found."),
          null);
      return;
    }
    if (!endpoint.serving()) {
      fail(
          RuntimeError.validation(
              "Endpoint "
                  + endpointName
                  + " of account "
                  + gateway.config().accountId()
                  + " is not in service (its status is "
                  + endpoint.status()
                  + ")."),
          null);
      return;
    }
    String targetVariant = runtimeHeaders[H_TARGET_VARIANT];
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (targetVariant != null) {
      List<RouteTarget> variant = endpoint.variant(targetVariant);
      if (variant == null) {
        fail(
            RuntimeError.validation(
                "Variant " + targetVariant + " not found for endpoint " + endpointName + "."),
            null);
        return;
      }
      pinned = true;
      route = EndpointTarget.chooseAmong(variant, random.nextDouble());
      if (route == null) {
        route = variant.get(0);
      }
    } else {
      route = endpoint.chooseRoute(random.nextDouble());
      if (route == null) {
        fail(
            RuntimeError.serviceUnavailable(
                "Endpoint " + endpointName + " has no ready instance. Try your call again."),
            null);
        return;
      }
    }
    // the first look needs no new clock reading when the request arrived microseconds ago (its
    // body was hashed on the event loop, not queued for another thread)
    boolean fresh =
        routeDeadlineNanos == 0 && request.content().readableBytes() <= HASH_OFF_LOOP_BYTES;
    long now = fresh ? startNanos : System.nanoTime();
    Replica first = EndpointTarget.leastOutstanding(route.replicas(), null, now, random);
    if (first == null) {
      retryElsewhere(null);
      return;
    }
    attempt(first);
  }

  /**
   * Schedules another {@link #route} on the event loop unless the wait is over (or disabled).
   *
   * @return true when the request waits
   */
  private boolean waitForNewerTable() {
    long now = System.nanoTime();
    if (routeDeadlineNanos == 0) {
      long wait = gateway.config().routeWait().toNanos();
      if (wait <= 0) {
        return false;
      }
      routeDeadlineNanos = (now + wait) | 1; // never 0, which means "not waiting"
      connection.routeWaitStarted(this);
      log.debug("InvokeEndpoint {}: not routable yet, waiting for a newer table", endpointName);
    }
    long left = routeDeadlineNanos - now;
    if (left <= 0) {
      return false;
    }
    try {
      routeRetry =
          loop.schedule(this::routeSafely, Math.min(left, ROUTE_POLL_NANOS), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return false; // the event loop is shutting down: answer now
    }
    return true;
  }

  /**
   * The client connection closed while this request waited for a routable table: stop waiting and
   * free the body (nobody is left to answer).
   */
  void cancelRouteWait() {
    if (done) {
      return;
    }
    done = true;
    if (routeRetry != null) {
      routeRetry.cancel(false);
      routeRetry = null;
    }
    request.release();
  }

  private RuntimeError validateHeaders() {
    if (endpointName.length() > 63 || !validName(endpointName)) {
      return RuntimeError.constraint(
          "endpointName",
          endpointName,
          "Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9])*");
    }
    readRuntimeHeaders();
    String[] h = runtimeHeaders;
    if (stream) {
      // the stream's Accept travels as X-Amzn-SageMaker-Accept; it has no TargetModel
      h[H_ACCEPT] = h[H_STREAM_ACCEPT];
      h[H_TARGET_MODEL] = null;
    }
    h[H_STREAM_ACCEPT] = null;
    RuntimeError e;
    if ((e = maxLength(h[H_CONTENT_TYPE], "contentType", 1024)) != null
        || (e = maxLength(h[H_ACCEPT], "accept", 1024)) != null
        || (e = maxLength(h[H_CUSTOM_ATTRIBUTES], "customAttributes", 1024)) != null
        || (e = maxLength(h[H_TARGET_MODEL], "targetModel", 1024)) != null
        || (e = maxLength(h[H_TARGET_VARIANT], "targetVariant", 63)) != null
        || (e = maxLength(h[H_TARGET_CONTAINER], "targetContainerHostname", 63)) != null
        || (e = maxLength(h[H_INFERENCE_ID], "inferenceId", 64)) != null) {
      return e;
    }
    for (int i = 0; i < FORWARDED; i++) {
      if (h[i] != null && hasLineBreak(h[i])) {
        return RuntimeError.validation(
            "The " + RUNTIME_HEADERS[i] + " header contains a line break.");
      }
    }
    if (h[H_SESSION_ID] != null) {
      // requests of one session would be spread over the replicas: refused rather than ignored
      return RuntimeError.validation(
          "Endpoint "
              + endpointName
              + " does not support stateful sessions (X-Amzn-SageMaker-Session-Id).");
    }
    if (h[H_INFERENCE_COMPONENT] != null) {
      return RuntimeError.validation(
          "Inference component "
              + h[H_INFERENCE_COMPONENT]
              + " not found for endpoint "
              + endpointName
              + ": Sagebrush endpoints serve production variants, not inference components.");
    }
    String model = h[H_TARGET_MODEL];
    if (model != null && model.isEmpty()) {
      return RuntimeError.constraint(
          "targetModel", model, "Member must have length greater than or equal to 1");
    }
    String inferenceId = h[H_INFERENCE_ID];
    if (inferenceId != null && inferenceId.isEmpty()) {
      return RuntimeError.constraint(
          "inferenceId", inferenceId, "Member must have length greater than or equal to 1");
    }
    return null;
  }

  /** {@code [a-zA-Z0-9](-*[a-zA-Z0-9])*}: alphanumerics and inner hyphens. */
  static boolean validName(String name) {
    int n = name.length();
    if (n == 0) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = name.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && (c != '-' || i == 0 || i == n - 1)) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasLineBreak(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        return true;
      }
    }
    return false;
  }

  private static RuntimeError maxLength(String value, String member, int max) {
    if (value != null && value.length() > max) {
      return RuntimeError.constraint(
          member, value, "Member must have length less than or equal to " + max);
    }
    return null;
  }

  /** Fills {@link #runtimeHeaders} in one pass (the first value of each wins). */
  private void readRuntimeHeaders() {
    ClientRequest r = request;
    for (int h = 0, n = r.headerCount(); h < n; h++) {
      for (int i = 0; i < RUNTIME_HEADERS.length; i++) {
        if (r.nameIs(h, RUNTIME_HEADERS[i])) {
          if (runtimeHeaders[i] == null) {
            runtimeHeaders[i] = r.value(h);
          }
          break;
        }
      }
    }
  }

  private void attempt(Replica target) {
    replica = target;
    target.requestStarted();
    gateway
        .pool()
        .acquire(
            loop,
            target,
            System.nanoTime(),
            (connection, error) -> {
              try {
                if (error != null) {
                  refused(error);
                } else {
                  send(connection);
                }
              } catch (RuntimeException e) {
                fail(RuntimeError.internalFailure("The gateway failed to process the request."), e);
              }
            });
  }

  private void send(UpstreamConnection c) {
    if (done) {
      // the client left while the connection was opened
      replica.requestEnded();
      c.channel().close();
      return;
    }
    upstream = c;
    ReplicaRequest forward =
        new ReplicaRequest(c.channel().alloc(), replica.invocationsPath(), replica.hostHeader());
    for (int i = 0; i < FORWARDED; i++) {
      if (runtimeHeaders[i] != null) {
        forward.header(RUNTIME_HEADERS[i], runtimeHeaders[i]);
      }
    }
    ByteBuf bytes = forward.body(request.content());
    sends++;
    sentNanos =
        c.takenNanos(); // a pooled connection is handed out right here, a new one when connected
    c.send(bytes, this, sentNanos + gateway.config().modelTimeout().toNanos(), stream);
  }

  private void refused(Throwable cause) {
    replica.requestEnded();
    markUnhealthy(cause);
    retryElsewhere(cause);
  }

  private void markUnhealthy(Throwable cause) {
    replica.markUnhealthy(System.nanoTime() + gateway.config().unhealthyFor().toNanos());
    log.warn(
        "Replica {} of endpoint {} variant {} is unreachable ({}); trying another",
        replica,
        endpointName,
        route.variantName(),
        cause == null ? "closed" : cause.toString());
  }

  private void retryElsewhere(Throwable cause) {
    if (tried == null) {
      tried = new ArrayList<>(4);
    }
    if (replica != null) {
      tried.add(replica);
    }
    EndpointTarget.Pick next =
        endpoint.retryTarget(route, pinned, tried, System.nanoTime(), ThreadLocalRandom.current());
    if (next == null) {
      fail(
          RuntimeError.serviceUnavailable(
              "No instance of endpoint "
                  + endpointName
                  + " variant "
                  + route.variantName()
                  + " is reachable. Try your call again."),
          null);
      return;
    }
    route = next.route();
    attempt(next.replica());
  }

  @Override
  public void onResponse(UpstreamConnection c, ReplicaResponse response) {
    long now = System.nanoTime();
    long modelNanos = now - sentNanos;
    upstream = null;
    replica.requestEnded();
    // kept only when the request was written out completely (the pool checks)
    gateway.pool().release(c, response.keepAlive(), now);
    if (done) {
      response.content().release();
      return;
    }
    int status = response.status();
    if (status >= 200 && status < 300) {
      finish(status, modelNanos);
      connection.respondAnswer(response, route.variantName(), requestId, keepAlive);
      return;
    }
    String body = response.content().toString(StandardCharsets.UTF_8);
    response.content().release();
    if (body.length() > 2048) {
      body = body.substring(0, 2048);
    }
    String region = gateway.config().region();
    String group = "/aws/sagemaker/Endpoints/" + endpointName;
    String message =
        "Received "
            + (status >= 500 ? "server" : "client")
            + " error ("
            + status
            + ") from primary with message \""
            + body
            + "\". See https://"
            + region
            + ".console.aws.amazon.com/cloudwatch/home?region="
            + region
            + "#logEventViewer:group="
            + group
            + " in account "
            + gateway.config().accountId()
            + " for more information.";
    route.meters().modelErrors().increment();
    modelError(RuntimeError.modelError(message, status, body, logGroupArn()), modelNanos);
  }

  /**
   * The exchange failed. What happens next:
   *
   * <ul>
   *   <li>a pooled connection that turns out stale (it closed before the request was written out,
   *       or right after it was taken from the pool, with no response byte) is retried once on a
   *       fresh connection to the same replica;
   *   <li>a connection closed or reset before the whole answer arrived (the replica died, before or
   *       while answering) marks the replica unhealthy and sends the request once to another
   *       replica. Nothing has reached the client yet (answers are passed on only once complete),
   *       and model invocations are treated as safe to retry once when the replica vanished without
   *       a complete answer: the product promises that a replica killed under load costs no failed
   *       request;
   *   <li>a model time-out is a ModelError, never retried (see {@link #onTimeout});
   *   <li>no request is written to containers more than {@link #MAX_SENDS} times in all, not
   *       counting a write on a stale pooled connection.
   * </ul>
   *
   * A refused connection ({@link #refused}) wrote nothing, so it moves on to another replica
   * without counting.
   */
  @Override
  public void onFailure(
      UpstreamConnection c, Throwable cause, boolean beforeAnyByte, boolean requestWritten) {
    upstream = null;
    replica.requestEnded();
    if (done) {
      return;
    }
    if (streamStarted) {
      log.warn(
          "Replica {} of endpoint {} broke off its streamed answer: {}",
          replica,
          endpointName,
          cause.toString());
      endStreamWithError(
          "StreamBroken",
          cause instanceof ReplicaResponseDecoder.TooLarge
              ? cause.getMessage()
              : "The model container of endpoint "
                  + endpointName
                  + " closed the connection before it finished its answer.");
      return;
    }
    if (cause instanceof ReplicaResponseDecoder.TooLarge) {
      // the container answered, only too much: sending the request elsewhere would not help
      route.meters().modelErrors().increment();
      modelError(
          RuntimeError.modelError(cause.getMessage(), null, null, logGroupArn()),
          System.nanoTime() - sentNanos);
      return;
    }
    if (!requestWritten) {
      // the container cannot have acted on a request it did not receive whole
      sends--;
    }
    if (beforeAnyByte) {
      boolean stale =
          c.reused()
              && (!requestWritten || System.nanoTime() - c.takenNanos() < STALE_WINDOW_NANOS);
      if (stale && !staleRetried) {
        // a kept-alive connection the container had already closed: try a fresh one once. The
        // container did not act on it, so it does not count as a send: otherwise a replica
        // killed while its pooled connection was being reused would use up both sends (stale,
        // then the dead replica again) and fail the request instead of moving on.
        staleRetried = true;
        if (requestWritten) {
          sends--;
        }
        gateway.pool().dropIdle(replica);
        attempt(replica);
        return;
      }
    }
    if (!vanishedRetried && sends < MAX_SENDS) {
      vanishedRetried = true;
      markUnhealthy(cause);
      retryElsewhere(cause);
      return;
    }
    // no further send: the client gets a ModelError
    replica.markUnhealthy(System.nanoTime() + gateway.config().unhealthyFor().toNanos());
    log.warn(
        "Replica {} of endpoint {} {} its answer: {}",
        replica,
        endpointName,
        beforeAnyByte ? "closed the connection without" : "broke off",
        cause.toString());
    route.meters().modelErrors().increment();
    modelError(
        RuntimeError.modelError(
            "The model container of endpoint "
                + endpointName
                + " closed the connection before it finished its answer.",
            null,
            null,
            logGroupArn()),
        System.nanoTime() - sentNanos);
  }

  @Override
  public void onTimeout(UpstreamConnection c) {
    if (done || upstream != c) {
      return;
    }
    abandonUpstream();
    if (streamStarted) {
      endStreamWithError(
          "ModelInvocationTimeExceeded",
          "The model did not finish its streamed answer within the model time-out of "
              + gateway.config().modelTimeout().toMillis()
              + " ms.");
      return;
    }
    route.meters().modelErrors().increment();
    modelError(
        RuntimeError.modelError(
            "Your invocation timed out while waiting for a response from container primary. Review"
                + " the latency metrics for each container in Amazon CloudWatch, resolve the issue,"
                + " and try again.",
            null,
            null,
            logGroupArn()),
        System.nanoTime() - sentNanos);
  }

  @Override
  public void onStreamHead(UpstreamConnection c, ReplicaStream.Head head) {
    if (done) {
      abandonUpstream();
      return;
    }
    streamStarted = true;
    connection.streamHead(
        this,
        route.variantName(),
        requestId,
        head.contentType(),
        head.customAttributes(),
        keepAlive);
  }

  @Override
  public void onStreamPart(UpstreamConnection c, ByteBuf content) {
    if (done) {
      content.release();
      return;
    }
    if (!connection.streamPart(content)) {
      c.reading(false); // until the client has taken what was written (clientWritable)
    }
  }

  @Override
  public void onStreamEnd(UpstreamConnection c, boolean containerKeepAlive) {
    long now = System.nanoTime();
    long modelNanos = now - sentNanos;
    upstream = null;
    replica.requestEnded();
    c.reading(true);
    gateway.pool().release(c, containerKeepAlive, now);
    if (done) {
      return;
    }
    finish(200, modelNanos);
    connection.streamEnd(null, null, keepAlive);
  }

  /** The client can take more of the streamed answer: read the container again. */
  void clientWritable() {
    if (upstream != null) {
      upstream.reading(true);
    }
  }

  /**
   * The client connection of a streamed request closed: the container's answer, if one is coming,
   * is dropped with its connection. A stream under way counts as answered (the model did nothing
   * wrong); a request not yet answered counts nowhere.
   */
  void clientGone() {
    if (done) {
      return;
    }
    abandonUpstream();
    if (streamStarted) {
      finish(200, System.nanoTime() - sentNanos);
    } else {
      cancelRouteWait(); // frees the body, and stops a wait for the table if there is one
    }
  }

  private void abandonUpstream() {
    UpstreamConnection c = upstream;
    if (c != null) {
      upstream = null;
      replica.requestEnded();
      c.abandon();
    }
  }

  /** Ends a started stream with a ModelStreamError event; counts as a 5XX model error. */
  private void endStreamWithError(String errorCode, String message) {
    route.meters().modelErrors().increment();
    finish(500, System.nanoTime() - sentNanos);
    connection.streamEnd(errorCode, message, keepAlive);
  }

  private String logGroupArn() {
    return "arn:aws:logs:"
        + gateway.config().region()
        + ":"
        + gateway.config().accountId()
        + ":log-group:/aws/sagemaker/Endpoints/"
        + endpointName;
  }

  /**
   * Answers a ModelError. The 4XX/5XX metrics follow the container's status (a time-out or a broken
   * answer counts as 5XX), as SageMaker's Invocation4XXErrors and Invocation5XXErrors do.
   */
  private void modelError(RuntimeError error, long modelNanos) {
    Integer original = error.originalStatusCode();
    finish(original != null ? original : 500, modelNanos);
    log.warn("InvokeEndpoint {} -> 424 ModelError: {}", endpointName, error.message());
    connection.respondError(error, requestId, keepAlive);
  }

  /**
   * Records the metrics of an answer that came from (or timed out at) the model, all on the variant
   * that served the request last: the invocation, its share per instance (over the variant's ready
   * replicas across its fleets, as the routing table counted them), the status and the latencies.
   */
  private void finish(int status, long modelNanos) {
    done = true;
    request.release();
    // every caller measured modelNanos up to now from sentNanos
    long totalNanos = sentNanos + modelNanos - startNanos;
    route.meters().invoked(route.variantReplicas());
    route.meters().answered(status);
    route.meters().modelLatencyMicros().record(modelNanos / 1000.0);
    route.meters().overheadLatencyMicros().record(Math.max(0, totalNanos - modelNanos) / 1000.0);
  }

  /**
   * Answers an error that did not come from the model. It counts in no variant metric: SageMaker's
   * Invocation4XX/5XXErrors count what the model returned.
   */
  private void fail(RuntimeError error, Throwable cause) {
    if (done) {
      return;
    }
    done = true;
    request.release();
    if (cause != null) {
      log.error("InvokeEndpoint {} -> {} {}", endpointName, error.status(), error.type(), cause);
    } else if (error.status() >= 500) {
      log.warn(
          "InvokeEndpoint {} -> {} {}: {}",
          endpointName,
          error.status(),
          error.type(),
          error.message());
    } else {
      log.debug(
          "InvokeEndpoint {} -> {} {}: {}",
          endpointName,
          error.status(),
          error.type(),
          error.message());
    }
    connection.respondError(error, requestId, keepAlive);
  }

  private static String sha256Hex(ByteBuf body) {
    MessageDigest digest = SHA256.get();
    digest.reset();
    if (body.hasArray()) {
      digest.update(body.array(), body.arrayOffset() + body.readerIndex(), body.readableBytes());
    } else {
      for (ByteBuffer buffer : body.nioBuffers()) {
        digest.update(buffer);
      }
    }
    return SigV4Verifier.hex(digest.digest());
  }
}
