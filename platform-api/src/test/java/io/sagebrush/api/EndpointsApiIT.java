package io.sagebrush.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebrush.api.gateway.EmbeddedGateway;
import io.sagebrush.api.support.BotocoreModel;
import io.sagebrush.api.support.EmbeddedHome;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.TrustManagerFactory;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.model.CapacitySizeType;
import software.amazon.awssdk.services.sagemaker.model.ContainerDefinition;
import software.amazon.awssdk.services.sagemaker.model.DeploymentConfig;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.EndpointSortKey;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.EndpointSummary;
import software.amazon.awssdk.services.sagemaker.model.OrderKey;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariant;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.Tag;
import software.amazon.awssdk.services.sagemaker.model.TrafficRoutingConfigType;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.SageMakerRuntimeException;

/**
 * The endpoint operations through the AWS SDK v2 against a server with no agent: endpoints stay
 * Creating, which is enough for validation, shapes, listing, tags and deletion.
 */
class EndpointsApiIT extends EmbeddedServerTestBase {
  static final BotocoreModel MODEL = BotocoreModel.load("sagemaker");
  static final ObjectMapper JSON = new ObjectMapper();
  static final String ARN_PREFIX = "arn:aws:sagemaker:us-east-1:000000000000:endpoint/";

  @Autowired EmbeddedGateway gateway;

  private String config(String prefix) {
    String model = unique(prefix + "-m");
    sagemaker.createModel(
        r ->
            r.modelName(model)
                .primaryContainer(
                    ContainerDefinition.builder()
                        .image("sagebrush/xgboost")
                        .modelDataUrl("s3://models/xgb/model.tar.gz")
                        .build()));
    String config = unique(prefix + "-c");
    sagemaker.createEndpointConfig(
        r ->
            r.endpointConfigName(config)
                .productionVariants(
                    ProductionVariant.builder()
                        .variantName("AllTraffic")
                        .modelName(model)
                        .initialInstanceCount(1)
                        .instanceType("ml.m5.large")
                        .build()));
    return config;
  }

  private static void validation(ThrowingCallable call, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            SageMakerException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
              assertThat(e.awsErrorDetails().errorMessage()).contains(message);
            });
  }

  private static <T> T eventually(Supplier<T> probe, java.util.function.Predicate<T> done) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (true) {
      T value = probe.get();
      if (done.test(value) || Instant.now().isAfter(deadline)) {
        return value;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void anEndpointIsCreatingDescribedListedTaggedAndDeleted() {
    String config = config("life");
    String name = unique("ep");
    String arn =
        sagemaker
            .createEndpoint(
                r ->
                    r.endpointName(name)
                        .endpointConfigName(config)
                        .tags(Tag.builder().key("team").value("search").build()))
            .endpointArn();
    assertThat(arn).isEqualTo(ARN_PREFIX + name.toLowerCase());

    DescribeEndpointResponse d = sagemaker.describeEndpoint(r -> r.endpointName(name));
    assertThat(d.endpointName()).isEqualTo(name);
    assertThat(d.endpointArn()).isEqualTo(arn);
    assertThat(d.endpointConfigName()).isEqualTo(config);
    assertThat(d.endpointStatus()).isEqualTo(EndpointStatus.CREATING);
    assertThat(d.creationTime()).isNotNull();
    assertThat(d.lastModifiedTime()).isNotNull();

    List<EndpointSummary> listed =
        sagemaker
            .listEndpoints(
                r ->
                    r.nameContains(name.substring(3))
                        .sortBy(EndpointSortKey.NAME)
                        .sortOrder(OrderKey.ASCENDING))
            .endpoints();
    assertThat(listed).extracting(EndpointSummary::endpointName).containsExactly(name);
    assertThat(
            sagemaker
                .listEndpoints(r -> r.statusEquals(EndpointStatus.IN_SERVICE).nameContains(name))
                .endpoints())
        .isEmpty();
    assertThat(sagemaker.listTags(r -> r.resourceArn(arn)).tags())
        .containsExactly(Tag.builder().key("team").value("search").build());

    validation(
        () -> sagemaker.createEndpoint(r -> r.endpointName(name).endpointConfigName(config)),
        "Cannot create already existing endpoint \"" + arn + "\".");
    validation(
        () -> sagemaker.updateEndpoint(r -> r.endpointName(name).endpointConfigName(config)),
        "Cannot update in-progress endpoint \"" + arn + "\".");

    sagemaker.deleteEndpoint(r -> r.endpointName(name));
    Object gone =
        eventually(
            () -> {
              try {
                return sagemaker.describeEndpoint(r -> r.endpointName(name)).endpointStatus();
              } catch (SageMakerException e) {
                return e;
              }
            },
            v -> v instanceof SageMakerException);
    assertThat(gone).isInstanceOf(SageMakerException.class);
    validation(
        () -> sagemaker.describeEndpoint(r -> r.endpointName(name)),
        "Could not find endpoint \"" + arn + "\".");
  }

  @Test
  void missingEndpointsAndConfigsAreValidationErrorsTheWaitersUnderstand() {
    String name = unique("nope");
    String arn = ARN_PREFIX + name.toLowerCase();
    validation(
        () -> sagemaker.describeEndpoint(r -> r.endpointName(name)),
        "Could not find endpoint \"" + arn + "\".");
    validation(
        () -> sagemaker.deleteEndpoint(r -> r.endpointName(name)),
        "Could not find endpoint \"" + arn + "\".");
    validation(
        () -> sagemaker.updateEndpoint(r -> r.endpointName(name).endpointConfigName("x")),
        "Could not find endpoint \"" + arn + "\".");
    validation(
        () -> sagemaker.createEndpoint(r -> r.endpointName(name).endpointConfigName("no-config")),
        "Could not find endpoint configuration");
  }

  @Test
  void requestsAreValidatedFieldByField() {
    validation(
        () -> sagemaker.createEndpoint(r -> r.endpointName("bad_name").endpointConfigName("c")),
        "endpointName");
    validation(
        () ->
            sagemaker.createEndpoint(
                r ->
                    r.endpointName(unique("dc"))
                        .endpointConfigName("c")
                        .deploymentConfig(
                            DeploymentConfig.builder()
                                .blueGreenUpdatePolicy(
                                    b ->
                                        b.trafficRoutingConfiguration(
                                            t ->
                                                t.type(TrafficRoutingConfigType.CANARY)
                                                    .waitIntervalInSeconds(5)))
                                .build())),
        "CanarySize must be specified");
    validation(
        () ->
            sagemaker.createEndpoint(
                r ->
                    r.endpointName(unique("dc"))
                        .endpointConfigName("c")
                        .deploymentConfig(
                            DeploymentConfig.builder()
                                .rollingUpdatePolicy(
                                    p ->
                                        p.maximumBatchSize(
                                                s ->
                                                    s.type(CapacitySizeType.CAPACITY_PERCENT)
                                                        .value(150))
                                            .waitIntervalInSeconds(0))
                                .build())),
        "deploymentConfig.rollingUpdatePolicy.maximumBatchSize.value");
    validation(
        () ->
            sagemaker.updateEndpointWeightsAndCapacities(
                r ->
                    r.endpointName("x")
                        .desiredWeightsAndCapacities(d -> d.variantName("a").desiredWeight(-1f))),
        "desiredWeightsAndCapacities.1.member.desiredWeight");
  }

  @Test
  void describeAndListResponsesConformToTheBotocoreModel() throws Exception {
    String config = config("shape");
    String name = unique("shape");
    HttpResponse<String> created =
        http.awsJson(
            "sagemaker",
            "SageMaker.CreateEndpoint",
            "{\"EndpointName\":\""
                + name
                + "\",\"EndpointConfigName\":\""
                + config
                + "\",\"DeploymentConfig\":{\"BlueGreenUpdatePolicy\":{\"TrafficRoutingConfiguration\":"
                + "{\"Type\":\"LINEAR\",\"WaitIntervalInSeconds\":1,\"LinearStepSize\":"
                + "{\"Type\":\"CAPACITY_PERCENT\",\"Value\":50}}}}}");
    HttpResponse<String> described =
        http.awsJson(
            "sagemaker", "SageMaker.DescribeEndpoint", "{\"EndpointName\":\"" + name + "\"}");
    HttpResponse<String> listed =
        http.awsJson("sagemaker", "SageMaker.ListEndpoints", "{\"MaxResults\":5}");

    assertThat(created.statusCode()).isEqualTo(200);
    assertThat(MODEL.violations("CreateEndpointOutput", JSON.readTree(created.body()))).isEmpty();
    assertThat(described.statusCode()).isEqualTo(200);
    assertThat(MODEL.violations("DescribeEndpointOutput", JSON.readTree(described.body())))
        .isEmpty();
    assertThat(JSON.readTree(described.body()).at("/LastDeploymentConfig/BlueGreenUpdatePolicy"))
        .isNotNull();
    assertThat(MODEL.violations("ListEndpointsOutput", JSON.readTree(listed.body()))).isEmpty();
    sagemaker.deleteEndpoint(r -> r.endpointName(name));
  }

  @Test
  void theInProcessGatewayAnswersOverHttpsWithTheGeneratedCertificate() throws Exception {
    Path cert = HOME.resolve("tls/gateway-cert.pem");
    assertThat(cert).exists();
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      trust.setCertificateEntry(
          "gateway", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    try (SageMakerRuntimeClient runtime =
        SageMakerRuntimeClient.builder()
            .endpointOverride(URI.create("https://localhost:" + gateway.port()))
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials(EmbeddedHome.SECRET_KEY))
            .httpClient(
                ApacheHttpClient.builder().tlsTrustManagersProvider(tmf::getTrustManagers).build())
            .build()) {
      String missing = unique("nothing");
      assertThatThrownBy(
              () ->
                  runtime.invokeEndpoint(
                      r ->
                          r.endpointName(missing)
                              .contentType("text/csv")
                              .body(SdkBytes.fromUtf8String("1,2"))))
          .isInstanceOfSatisfying(
              SageMakerRuntimeException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                assertThat(e.awsErrorDetails().errorMessage())
                    .isEqualTo("Endpoint " + missing + " of account 000000000000 not found.");
              });

      // A Creating endpoint reaches the gateway through the routing table and is not in service.
      String name = unique("creating");
      sagemaker.createEndpoint(r -> r.endpointName(name).endpointConfigName(config("gw")));
      Object answer =
          eventually(
              () -> {
                try {
                  runtime.invokeEndpoint(
                      r ->
                          r.endpointName(name)
                              .contentType("text/csv")
                              .body(SdkBytes.fromUtf8String("1,2")));
                  return "answered";
                } catch (SageMakerRuntimeException e) {
                  return e.awsErrorDetails().errorMessage();
                }
              },
              m -> String.valueOf(m).contains("not in service"));
      assertThat(String.valueOf(answer)).contains("not in service").contains("Creating");
      sagemaker.deleteEndpoint(r -> r.endpointName(name));

      // The gateway's meters live in the server's registry.
      HttpResponse<String> metrics =
          http.plain("GET", "/actuator/prometheus", java.util.Map.of(), null, true);
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("sagemaker_gateway_routing_table_version");
    }
  }
}
