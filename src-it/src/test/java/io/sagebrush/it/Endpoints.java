package io.sagebrush.it;

import io.sagebrush.it.support.Archives;
import io.sagebrush.it.support.TestImages;
import io.sagebrush.it.support.TrainingJobs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.BlueGreenUpdatePolicy;
import software.amazon.awssdk.services.sagemaker.model.ContainerDefinition;
import software.amazon.awssdk.services.sagemaker.model.DeploymentConfig;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariant;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariantSummary;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.TrafficRoutingConfig;
import software.amazon.awssdk.services.sagemaker.model.TrafficRoutingConfigType;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointRequest;

/**
 * What the endpoint tests share: the test model server image and its factor models, endpoint
 * configs and endpoints as a user creates them with the SDK, the SDK's endpoint waiters with a
 * one-second poll, and the serving containers as docker shows them.
 */
final class Endpoints {
  /** The user's own model server: src-it/images/server. */
  static final String SERVER_IMAGE = "sagebrush-test/server:1";

  /** The smallest hosting instance type (2 vCPU, 4 GiB): the most replicas per agent. */
  static final String INSTANCE_TYPE = "ml.t3.medium";

  static final Duration START_TIMEOUT = Duration.ofSeconds(180);

  private Endpoints() {}

  /** The algorithm images (the server image's base), then the server image itself. */
  static void ensureImages() {
    BuiltInJobs.ensureLocalImages();
    TestImages.ensureImage(SERVER_IMAGE);
  }

  /** Uploads a model.tar.gz holding {@code factor.txt} and returns its s3:// URI. */
  static String uploadFactorModel(S3Client s3, String name, int factor) {
    TrainingJobs.ensureBucket(s3, TrainingJobs.BUCKET);
    String key = "models/" + name + "/model.tar.gz";
    s3.putObject(
        b -> b.bucket(TrainingJobs.BUCKET).key(key),
        RequestBody.fromBytes(Archives.tarGz(Map.of("factor.txt", factor + "\n"))));
    return "s3://" + TrainingJobs.BUCKET + "/" + key;
  }

  /**
   * A model of the test server image whose predictions are {@code factor * sum(row)}: uploads its
   * artifact and calls CreateModel with {@code environment} (e.g. {@code SERVER_MODE=crash}).
   */
  static String aFactorModel(
      SageMakerClient sm, S3Client s3, String name, int factor, Map<String, String> environment) {
    String modelData = uploadFactorModel(s3, name, factor);
    sm.createModel(
        b ->
            b.modelName(name)
                .executionRoleArn(TrainingJobs.ROLE_ARN)
                .primaryContainer(
                    ContainerDefinition.builder()
                        .image(SERVER_IMAGE)
                        .modelDataUrl(modelData)
                        .environment(environment)
                        .build()));
    return name;
  }

  /** A production variant of {@code model} on {@link #INSTANCE_TYPE}. */
  static ProductionVariant variant(String name, String model, int instances, float weight) {
    return ProductionVariant.builder()
        .variantName(name)
        .modelName(model)
        .initialInstanceCount(instances)
        .instanceType(INSTANCE_TYPE)
        .initialVariantWeight(weight)
        .build();
  }

  static String createConfig(SageMakerClient sm, String name, ProductionVariant... variants) {
    sm.createEndpointConfig(b -> b.endpointConfigName(name).productionVariants(variants));
    return name;
  }

  static void createEndpoint(SageMakerClient sm, String name, String config) {
    sm.createEndpoint(b -> b.endpointName(name).endpointConfigName(config));
  }

  /** Blue/green, all at once, no waits: the quickest zero-downtime deployment. */
  static DeploymentConfig quickBlueGreen() {
    return DeploymentConfig.builder()
        .blueGreenUpdatePolicy(
            BlueGreenUpdatePolicy.builder()
                .trafficRoutingConfiguration(
                    TrafficRoutingConfig.builder()
                        .type(TrafficRoutingConfigType.ALL_AT_ONCE)
                        .waitIntervalInSeconds(0)
                        .build())
                .terminationWaitInSeconds(0)
                .maximumExecutionTimeoutInSeconds(600)
                .build())
        .build();
  }

  /** The SDK's waiter override: poll every second (its default is 30 s) until {@code timeout}. */
  static WaiterOverrideConfiguration pollEverySecond(Duration timeout) {
    return WaiterOverrideConfiguration.builder()
        .backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(Duration.ofSeconds(1)))
        .maxAttempts((int) timeout.toSeconds() + 1)
        .waitTimeout(timeout)
        .build();
  }

  /**
   * {@code sagemaker.waiter().waitUntilEndpointInService} polling every second; a waiter failure
   * (Failed, or the endpoint vanished) becomes an AssertionError naming the last description.
   */
  static DescribeEndpointResponse awaitInService(
      SageMakerClient sm, String endpoint, Duration timeout) {
    try {
      return sm.waiter()
          .waitUntilEndpointInService(
              DescribeEndpointRequest.builder().endpointName(endpoint).build(),
              pollEverySecond(timeout))
          .matched()
          .response()
          .orElseThrow(() -> new AssertionError(endpoint + ": the waiter matched an error"));
    } catch (SdkClientException e) {
      throw new AssertionError(
          "endpoint "
              + endpoint
              + " not InService: "
              + e.getMessage()
              + "; "
              + describe(sm, endpoint),
          e);
    }
  }

  /** {@code waitUntilEndpointDeleted} polling every second. */
  static void awaitDeleted(SageMakerClient sm, String endpoint, Duration timeout) {
    try {
      sm.waiter()
          .waitUntilEndpointDeleted(
              DescribeEndpointRequest.builder().endpointName(endpoint).build(),
              pollEverySecond(timeout));
    } catch (SdkClientException e) {
      throw new AssertionError(
          "endpoint "
              + endpoint
              + " not deleted: "
              + e.getMessage()
              + "; "
              + describe(sm, endpoint),
          e);
    }
  }

  /** DescribeEndpoint as text, or the error, for failure messages. */
  static String describe(SageMakerClient sm, String endpoint) {
    try {
      return sm.describeEndpoint(b -> b.endpointName(endpoint)).toString();
    } catch (SageMakerException e) {
      return "DescribeEndpoint failed: " + e.getMessage();
    }
  }

  /** Polls DescribeEndpoint (4 times a second) until {@code condition}; fails with the last. */
  static DescribeEndpointResponse awaitEndpoint(
      SageMakerClient sm,
      String endpoint,
      String what,
      Predicate<DescribeEndpointResponse> condition,
      Duration timeout) {
    AtomicReference<DescribeEndpointResponse> last = new AtomicReference<>();
    try {
      Awaitility.await(endpoint + " " + what)
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(250))
          .pollDelay(Duration.ZERO)
          .until(
              () -> {
                DescribeEndpointResponse d = sm.describeEndpoint(b -> b.endpointName(endpoint));
                last.set(d);
                return condition.test(d);
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "endpoint " + endpoint + " never " + what + "; last DescribeEndpoint: " + last.get(), e);
    }
    return last.get();
  }

  /** True once an update ended: InService, or a status no update leaves by itself. */
  static boolean settled(DescribeEndpointResponse d) {
    return d.endpointStatus() == EndpointStatus.IN_SERVICE
        || d.endpointStatus() == EndpointStatus.FAILED
        || d.endpointStatus() == EndpointStatus.UPDATE_ROLLBACK_FAILED
        || d.endpointStatus() == EndpointStatus.OUT_OF_SERVICE;
  }

  /** The summary of {@code variant} in a description. */
  static ProductionVariantSummary variantOf(DescribeEndpointResponse d, String variant) {
    return d.productionVariants().stream()
        .filter(v -> v.variantName().equals(variant))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no variant " + variant + " in " + d));
  }

  /** Deletes endpoints, ignoring any error (cleanup: replicas share the agent's capacity). */
  static void deleteQuietly(SageMakerClient sm, String... endpoints) {
    for (String endpoint : endpoints) {
      if (endpoint == null) {
        continue;
      }
      try {
        sm.deleteEndpoint(b -> b.endpointName(endpoint));
      } catch (RuntimeException e) {
        // already gone, or never created
      }
    }
  }

  /** An InvokeEndpoint request with a text/csv body. */
  static InvokeEndpointRequest csv(String endpoint, String body) {
    return InvokeEndpointRequest.builder()
        .endpointName(endpoint)
        .contentType("text/csv")
        .body(SdkBytes.fromString(body, StandardCharsets.UTF_8))
        .build();
  }

  /** A running container as {@code docker ps} shows it. */
  record Container(String id, String name, String hostname) {}

  /**
   * The running containers that belong to {@code endpoint}: its name appears in the container's
   * name or labels (the docker runtime labels a serving container {@code sagebrush.job=<endpoint>}
   * and {@code sagebrush.kind=serving}, and names it after the endpoint and task).
   */
  static List<Container> servingContainers(String endpoint) {
    List<Container> found = new ArrayList<>();
    String ps = docker("ps", "--no-trunc", "--format", "{{.ID}}\t{{.Names}}\t{{.Labels}}");
    for (String line : ps.split("\n")) {
      String[] cells = line.split("\t", 3);
      if (cells.length == 3 && (cells[1].contains(endpoint) || cells[2].contains(endpoint))) {
        String hostname;
        try {
          hostname = docker("inspect", "--format", "{{.Config.Hostname}}", cells[0]).strip();
        } catch (IllegalStateException e) {
          if (e.getMessage().contains("No such object")) {
            continue; // removed between the listing and the inspection: not running any more
          }
          throw e;
        }
        found.add(new Container(cells[0], cells[1], hostname));
      }
    }
    return found;
  }

  /** Runs {@code docker args...}; fails unless it exits 0. Returns stdout and stderr. */
  static String docker(String... args) {
    List<String> command = new ArrayList<>();
    command.add("docker");
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
