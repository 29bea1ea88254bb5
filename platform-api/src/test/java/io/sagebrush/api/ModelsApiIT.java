package io.sagebrush.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.model.ContainerDefinition;
import software.amazon.awssdk.services.sagemaker.model.ContainerMode;
import software.amazon.awssdk.services.sagemaker.model.DescribeModelResponse;
import software.amazon.awssdk.services.sagemaker.model.ListModelsResponse;
import software.amazon.awssdk.services.sagemaker.model.ModelSortKey;
import software.amazon.awssdk.services.sagemaker.model.ModelSummary;
import software.amazon.awssdk.services.sagemaker.model.OrderKey;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.Tag;

/** CreateModel, DescribeModel, ListModels, DeleteModel and model tags through the AWS SDK v2. */
class ModelsApiIT extends EmbeddedServerTestBase {
  static final String ARN_PREFIX = "arn:aws:sagemaker:us-east-1:000000000000:model/";
  static final String ROLE = "arn:aws:iam::000000000000:role/SageMakerRole";

  private static ContainerDefinition container() {
    return ContainerDefinition.builder()
        .image("registry.local/xgb:1")
        .modelDataUrl("s3://models/xgb/model.tar.gz")
        .environment(Map.of("SAGEMAKER_PROGRAM", "serve.py"))
        .mode(ContainerMode.SINGLE_MODEL)
        .build();
  }

  private String create(String name) {
    return sagemaker
        .createModel(r -> r.modelName(name).primaryContainer(container()).executionRoleArn(ROLE))
        .modelArn();
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
  void aModelIsCreatedDescribedAndDeleted() {
    String name = unique("Model");
    String arn = create(name);
    assertThat(arn).isEqualTo(ARN_PREFIX + name.toLowerCase());

    DescribeModelResponse d = sagemaker.describeModel(r -> r.modelName(name));
    assertThat(d.modelName()).isEqualTo(name);
    assertThat(d.modelArn()).isEqualTo(arn);
    assertThat(d.executionRoleArn()).isEqualTo(ROLE);
    assertThat(d.primaryContainer()).isEqualTo(container());
    assertThat(d.creationTime()).isNotNull();
    assertThat(d.enableNetworkIsolation()).isFalse();

    sagemaker.deleteModel(r -> r.modelName(name));
    validation(
        () -> sagemaker.describeModel(r -> r.modelName(name)),
        "Could not find model \"" + arn + "\".");
  }

  @Test
  void containersAreEchoedAndTheRoleIsOptional() {
    String name = unique("multi");
    sagemaker.createModel(
        r -> r.modelName(name).containers(container(), container().toBuilder().image("b").build()));
    DescribeModelResponse d = sagemaker.describeModel(r -> r.modelName(name));
    assertThat(d.containers()).hasSize(2);
    assertThat(d.containers().get(1).image()).isEqualTo("b");
    assertThat(d.primaryContainer()).isNull();
    assertThat(d.executionRoleArn()).isNull();
  }

  @Test
  void errorsAreValidationExceptionsWithSageMakersMessages() {
    String name = unique("dup");
    String arn = create(name);
    validation(() -> create(name), "Cannot create already existing model \"" + arn + "\".");
    validation(
        () -> sagemaker.describeModel(r -> r.modelName("missing-model")),
        "Could not find model \"" + ARN_PREFIX + "missing-model\".");
    validation(
        () -> sagemaker.deleteModel(r -> r.modelName("missing-model")),
        "Could not find model \"" + ARN_PREFIX + "missing-model\".");
    validation(() -> create("bad_name"), "'modelName'");
    validation(
        () ->
            sagemaker.createModel(
                r ->
                    r.modelName(unique("m"))
                        .primaryContainer(container().toBuilder().modelDataUrl("ftp://x").build())),
        "primaryContainer.modelDataUrl");
    validation(
        () -> sagemaker.createModel(r -> r.modelName(unique("m")).executionRoleArn("not-a-role")),
        "'executionRoleArn'");
    validation(
        () -> sagemaker.createModel(r -> r.modelName(unique("m"))),
        "Either PrimaryContainer or Containers");
  }

  @Test
  void listingFiltersSortsAndPages() {
    String prefix = unique("lst");
    List<String> names = new ArrayList<>();
    for (String suffix : List.of("b", "c", "a")) {
      names.add(prefix + "-" + suffix);
      create(prefix + "-" + suffix);
    }
    assertThat(
            sagemaker.listModels(r -> r.nameContains(prefix)).models().stream()
                .map(ModelSummary::modelName))
        .containsExactly(prefix + "-a", prefix + "-c", prefix + "-b");
    assertThat(
            sagemaker
                .listModels(
                    r ->
                        r.nameContains(prefix)
                            .sortBy(ModelSortKey.NAME)
                            .sortOrder(OrderKey.ASCENDING))
                .models()
                .stream()
                .map(ModelSummary::modelName))
        .containsExactly(prefix + "-a", prefix + "-b", prefix + "-c");

    ListModelsResponse first =
        sagemaker.listModels(r -> r.nameContains(prefix).sortBy(ModelSortKey.NAME).maxResults(2));
    assertThat(first.models()).hasSize(2);
    assertThat(first.nextToken()).isNotNull();
    ListModelsResponse second =
        sagemaker.listModels(
            r ->
                r.nameContains(prefix)
                    .sortBy(ModelSortKey.NAME)
                    .maxResults(2)
                    .nextToken(first.nextToken()));
    assertThat(second.models())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.modelName()).isEqualTo(prefix + "-a");
              assertThat(m.creationTime()).isNotNull();
              assertThat(m.modelArn()).isEqualTo(ARN_PREFIX + (prefix + "-a").toLowerCase());
            });
    assertThat(second.nextToken()).isNull();
    validation(
        () -> sagemaker.listModels(r -> r.nameContains(prefix).nextToken("garbage")), "NextToken");
  }

  @Test
  void modelsCarryTags() {
    String name = unique("tagged");
    String arn =
        sagemaker
            .createModel(
                r ->
                    r.modelName(name)
                        .primaryContainer(container())
                        .tags(Tag.builder().key("team").value("ml").build()))
            .modelArn();
    sagemaker.addTags(r -> r.resourceArn(arn).tags(Tag.builder().key("env").value("dev").build()));
    assertThat(sagemaker.listTags(r -> r.resourceArn(arn)).tags())
        .extracting(Tag::key)
        .containsExactlyInAnyOrder("team", "env");
    sagemaker.deleteTags(r -> r.resourceArn(arn).tagKeys("team"));
    assertThat(sagemaker.listTags(r -> r.resourceArn(arn)).tags())
        .extracting(Tag::key)
        .containsExactly("env");
    sagemaker.deleteModel(r -> r.modelName(name));
    validation(() -> sagemaker.listTags(r -> r.resourceArn(arn)), "does not exist");
  }
}
