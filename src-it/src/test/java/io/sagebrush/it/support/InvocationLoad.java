package io.sagebrush.it.support;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointRequest;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;

/**
 * Continuous InvokeEndpoint traffic from a few client threads (no retries in the client), recording
 * every call: when it started and ended, the variant and body of a success, or what failed. Used to
 * show that deployments, weight changes and lost replicas never fail a request.
 */
public final class InvocationLoad implements AutoCloseable {
  /** One call: {@code failure} is null for a success. */
  public record Call(Instant started, Instant ended, String variant, String body, String failure) {
    public boolean failed() {
      return failure != null;
    }

    @Override
    public String toString() {
      return started
          + ".."
          + ended
          + " "
          + (failed() ? "FAILED " + failure : variant + " -> " + body.strip());
    }
  }

  private final SageMakerRuntimeClient runtime;
  private final InvokeEndpointRequest request;
  private final Duration pause;
  private final List<Thread> threads = new ArrayList<>();
  private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
  private volatile boolean running = true;
  private Result result;

  private InvocationLoad(
      SageMakerRuntimeClient runtime, InvokeEndpointRequest request, Duration pause) {
    this.runtime = runtime;
    this.request = request;
    this.pause = pause;
  }

  /**
   * Starts {@code threads} callers that send {@code request} again and again, each pausing {@code
   * pause} between calls (keeps a two-core machine responsive).
   */
  public static InvocationLoad start(
      SageMakerRuntimeClient runtime, InvokeEndpointRequest request, int threads, Duration pause) {
    InvocationLoad load = new InvocationLoad(runtime, request, pause);
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(load::loop, "load-" + request.endpointName() + "-" + i);
      t.setDaemon(true);
      load.threads.add(t);
      t.start();
    }
    return load;
  }

  private void loop() {
    while (running) {
      calls.add(call(runtime, request));
      try {
        Thread.sleep(pause.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One recorded call. */
  public static Call call(SageMakerRuntimeClient runtime, InvokeEndpointRequest request) {
    Instant started = Instant.now();
    try {
      InvokeEndpointResponse response = runtime.invokeEndpoint(request);
      return new Call(
          started,
          Instant.now(),
          response.invokedProductionVariant(),
          response.body().asUtf8String(),
          null);
    } catch (RuntimeException e) {
      return new Call(started, Instant.now(), null, null, describe(e));
    }
  }

  /** What failed: the service error (status, code, message) or the client exception. */
  public static String describe(Throwable e) {
    if (e instanceof AwsServiceException s) {
      return s.statusCode()
          + " "
          + (s.awsErrorDetails() == null ? "" : s.awsErrorDetails().errorCode())
          + ": "
          + (s.awsErrorDetails() == null ? s.getMessage() : s.awsErrorDetails().errorMessage());
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /** Calls recorded so far. */
  public int count() {
    return calls.size();
  }

  /** A snapshot of the calls recorded so far. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Waits until at least {@code n} more calls than now have been recorded. */
  public void awaitMoreCalls(int n, Duration timeout) {
    int target = calls.size() + n;
    Awaitility.await("load on " + request.endpointName() + " reaching " + target + " calls")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> calls.size() >= target);
  }

  /** Waits until at least {@code n} recorded calls started at or after {@code instant}. */
  public void awaitCallsStartedAfter(Instant instant, int n, Duration timeout) {
    Awaitility.await(
            "load on " + request.endpointName() + ": " + n + " calls started after " + instant)
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> calls.stream().filter(c -> !c.started().isBefore(instant)).count() >= n);
  }

  /** Stops the callers, waits for their last calls, and returns every call. */
  public synchronized Result stop() {
    if (result == null) {
      running = false;
      for (Thread t : threads) {
        try {
          t.join(Duration.ofSeconds(100).toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      result = new Result(List.copyOf(calls));
    }
    return result;
  }

  @Override
  public void close() {
    stop();
  }

  /** Every call of a load run. */
  public record Result(List<Call> calls) {
    public List<Call> failures() {
      return calls.stream().filter(Call::failed).toList();
    }

    public List<Call> successes() {
      return calls.stream().filter(c -> !c.failed()).toList();
    }

    /** Successful calls that started at or after {@code instant}. */
    public List<Call> successesStartedAfter(Instant instant) {
      return successes().stream().filter(c -> !c.started().isBefore(instant)).toList();
    }

    /** Successful calls whose body does not satisfy {@code expected}. */
    public List<Call> successesWhere(Predicate<Call> condition) {
      return successes().stream().filter(condition).toList();
    }

    /** Successful calls per variant. */
    public Map<String, Long> perVariant() {
      return successes().stream()
          .collect(Collectors.groupingBy(Call::variant, TreeMap::new, Collectors.counting()));
    }

    /** Successful calls per (stripped) body. */
    public Map<String, Long> perBody() {
      return successes().stream()
          .collect(
              Collectors.groupingBy(c -> c.body().strip(), TreeMap::new, Collectors.counting()));
    }

    /** A description for assertion messages: totals, answers, and the first failures. */
    public String summary() {
      StringBuilder s =
          new StringBuilder()
              .append(calls.size())
              .append(" calls, ")
              .append(failures().size())
              .append(" failed; per variant ")
              .append(perVariant())
              .append("; per answer ")
              .append(perBody());
      failures().stream().limit(10).forEach(f -> s.append("\n  ").append(f));
      return s.toString();
    }
  }
}
