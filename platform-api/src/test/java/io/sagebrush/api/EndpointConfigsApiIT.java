package io.sagebrush.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.model.ContainerDefinition;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointConfigResponse;
import software.amazon.awssdk.services.sagemaker.model.EndpointConfigSortKey;
import software.amazon.awssdk.services.sagemaker.model.EndpointConfigSummary;
import software.amazon.awssdk.services.sagemaker.model.ListEndpointConfigsResponse;
import software.amazon.awssdk.services.sagemaker.model.OrderKey;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariant;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariantInstanceType;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.Tag;

/** The endpoint-config operations and their errors through the AWS SDK v2. */
class EndpointConfigsApiIT extends EmbeddedServerTestBase {
  static final String PREFIX = "arn:aws:sagemaker:us-east-1:000000000000:";

  private String model() {
    String name = unique("ecmodel");
    sagemaker.createModel(
        r ->
            r.modelName(name)
                .primaryContainer(ContainerDefinition.builder().image("img:1").build()));
    return name;
  }

  private static ProductionVariant variant(String name, String model) {
    return ProductionVariant.builder()
        .variantName(name)
        .modelName(model)
        .initialInstanceCount(1)
        .instanceType(ProductionVariantInstanceType.ML_M5_LARGE)
        .build();
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

  @Test
  void aConfigIsCreatedDescribedListedAndDeleted() {
    String model = model();
    String name = unique("Cfg");
    String arn =
        sagemaker
            .createEndpointConfig(
                r ->
                    r.endpointConfigName(name)
                        .productionVariants(
                            variant("AllTraffic", model).toBuilder()
                                .containerStartupHealthCheckTimeoutInSeconds(600)
                                .build())
                        .tags(Tag.builder().key("team").value("ml").build()))
            .endpointConfigArn();
    assertThat(arn).isEqualTo(PREFIX + "endpoint-config/" + name.toLowerCase());

    DescribeEndpointConfigResponse d =
        sagemaker.describeEndpointConfig(r -> r.endpointConfigName(name));
    assertThat(d.endpointConfigName()).isEqualTo(name);
    assertThat(d.endpointConfigArn()).isEqualTo(arn);
    assertThat(d.creationTime()).isNotNull();
    assertThat(d.productionVariants())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.variantName()).isEqualTo("AllTraffic");
              assertThat(v.modelName()).isEqualTo(model);
              assertThat(v.initialInstanceCount()).isEqualTo(1);
              assertThat(v.instanceType()).isEqualTo(ProductionVariantInstanceType.ML_M5_LARGE);
              assertThat(v.initialVariantWeight()).isEqualTo(1.0f);
              assertThat(v.containerStartupHealthCheckTimeoutInSeconds()).isEqualTo(600);
            });
    assertThat(sagemaker.listTags(r -> r.resourceArn(arn)).tags())
        .extracting(Tag::key)
        .containsExactly("team");

    assertThat(
            sagemaker.listEndpointConfigs(r -> r.nameContains(name)).endpointConfigs().stream()
                .map(EndpointConfigSummary::endpointConfigArn))
        .containsExactly(arn);

    sagemaker.deleteEndpointConfig(r -> r.endpointConfigName(name));
    validation(
        () -> sagemaker.describeEndpointConfig(r -> r.endpointConfigName(name)),
        "Could not find endpoint configuration \"" + arn + "\".");
  }

  @Test
  void errorsAreValidationExceptions() {
    String model = model();
    String name = unique("dupcfg");
    sagemaker.createEndpointConfig(
        r -> r.endpointConfigName(name).productionVariants(variant("v", model)));
    validation(
        () ->
            sagemaker.createEndpointConfig(
                r -> r.endpointConfigName(name).productionVariants(variant("v", model))),
        "Cannot create already existing endpoint configuration \""
            + PREFIX
            + "endpoint-config/"
            + name.toLowerCase()
            + "\".");
    validation(
        () ->
            sagemaker.createEndpointConfig(
                r ->
                    r.endpointConfigName(unique("c"))
                        .productionVariants(variant("v", "no-such-model"))),
        "Could not find model \"" + PREFIX + "model/no-such-model\".");
    validation(
        () ->
            sagemaker.createEndpointConfig(
                r ->
                    r.endpointConfigName(unique("c"))
                        .productionVariants(variant("v", model), variant("v", model))),
        "must be unique");
    validation(
        () ->
            sagemaker.createEndpointConfig(
                r ->
                    r.endpointConfigName(unique("c"))
                        .productionVariants(
                            variant("v", model).toBuilder()
                                .initialInstanceCount(0)
                                .modelDataDownloadTimeoutInSeconds(10)
                                .build())),
        "2 validation errors detected");
    validation(
        () ->
            sagemaker.createEndpointConfig(
                r ->
                    r.endpointConfigName(unique("c"))
                        .productionVariants(
                            variant("v", model).toBuilder()
                                .instanceType("ml.bogus.large")
                                .build())),
        "instanceType");
    validation(
        () -> sagemaker.deleteEndpointConfig(r -> r.endpointConfigName("no-such-config")),
        "Could not find endpoint configuration \"" + PREFIX + "endpoint-config/no-such-config\".");
  }

  @Test
  void listingSortsAndPages() {
    String model = model();
    String prefix = unique("lcfg");
    for (String s : new String[] {"b", "c", "a"}) {
      sagemaker.createEndpointConfig(
          r -> r.endpointConfigName(prefix + "-" + s).productionVariants(variant("v", model)));
    }
    assertThat(
            sagemaker.listEndpointConfigs(r -> r.nameContains(prefix)).endpointConfigs().stream()
                .map(EndpointConfigSummary::endpointConfigName))
        .containsExactly(prefix + "-a", prefix + "-c", prefix + "-b");
    ListEndpointConfigsResponse first =
        sagemaker.listEndpointConfigs(
            r ->
                r.nameContains(prefix)
                    .sortBy(EndpointConfigSortKey.NAME)
                    .sortOrder(OrderKey.ASCENDING)
                    .maxResults(2));
    assertThat(first.endpointConfigs()).hasSize(2);
    ListEndpointConfigsResponse second =
        sagemaker.listEndpointConfigs(
            r ->
                r.nameContains(prefix)
                    .sortBy(EndpointConfigSortKey.NAME)
                    .sortOrder(OrderKey.ASCENDING)
                    .maxResults(2)
                    .nextToken(first.nextToken()));
    assertThat(second.endpointConfigs())
        .singleElement()
        .satisfies(c -> assertThat(c.endpointConfigName()).isEqualTo(prefix + "-c"));
    assertThat(second.nextToken()).isNull();
  }
}
