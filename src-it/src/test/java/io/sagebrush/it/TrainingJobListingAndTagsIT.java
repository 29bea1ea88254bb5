package io.sagebrush.it;

import static io.sagebrush.it.support.TrainingJobs.aTrainerJob;
import static io.sagebrush.it.support.TrainingJobs.awaitEnded;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.it.support.AwsClients;
import io.sagebrush.it.support.SagebrushServerProcess;
import io.sagebrush.it.support.SharedServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.ListTrainingJobsResponse;
import software.amazon.awssdk.services.sagemaker.model.SortBy;
import software.amazon.awssdk.services.sagemaker.model.SortOrder;
import software.amazon.awssdk.services.sagemaker.model.Tag;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobSummary;

/**
 * ListTrainingJobs filters, sorting and paging with the SDK paginator; AddTags/ListTags/DeleteTags.
 */
@ExtendWith(SharedServer.class)
class TrainingJobListingAndTagsIT {
  private static AwsClients clients;
  private static SageMakerClient sm;
  private static String prefix;
  private static final List<String> NAMES = new ArrayList<>();

  @BeforeAll
  static void createFiveJobs(SagebrushServerProcess server) {
    clients = server.clients();
    sm = clients.sageMaker();
    prefix = "list" + UUID.randomUUID().toString().substring(0, 6);
    for (String suffix : List.of("c", "a", "e", "b", "d")) {
      String name = prefix + "-" + suffix;
      sm.createTrainingJob(
          aTrainerJob(name, Map.of("mode", "noop"))
              .tags(Tag.builder().key("suite").value("listing").build())
              .build());
      NAMES.add(name);
    }
    NAMES.forEach(name -> awaitEnded(sm, name, Duration.ofSeconds(180)));
  }

  @AfterAll
  static void disconnect() {
    clients.close();
  }

  @Test
  void paginatorWalksAllPagesSortedByName() {
    List<ListTrainingJobsResponse> pages =
        sm
            .listTrainingJobsPaginator(
                r ->
                    r.nameContains(prefix)
                        .maxResults(2)
                        .sortBy(SortBy.NAME)
                        .sortOrder(SortOrder.ASCENDING))
            .stream()
            .toList();

    assertThat(pages).hasSize(3);
    assertThat(pages.get(0).nextToken()).isNotBlank();
    assertThat(pages.get(2).nextToken()).isNull();
    assertThat(
            pages.stream()
                .flatMap(p -> p.trainingJobSummaries().stream())
                .map(TrainingJobSummary::trainingJobName))
        .containsExactly(prefix + "-a", prefix + "-b", prefix + "-c", prefix + "-d", prefix + "-e");
  }

  @Test
  void descendingNameSortReversesTheOrder() {
    List<String> names =
        sm
            .listTrainingJobsPaginator(
                r -> r.nameContains(prefix).sortBy(SortBy.NAME).sortOrder(SortOrder.DESCENDING))
            .trainingJobSummaries()
            .stream()
            .map(TrainingJobSummary::trainingJobName)
            .toList();
    assertThat(names)
        .containsExactly(prefix + "-e", prefix + "-d", prefix + "-c", prefix + "-b", prefix + "-a");
  }

  @Test
  void defaultSortIsCreationTimeAscending() {
    List<String> names =
        sm.listTrainingJobsPaginator(r -> r.nameContains(prefix)).trainingJobSummaries().stream()
            .map(TrainingJobSummary::trainingJobName)
            .toList();
    assertThat(names).containsExactlyElementsOf(NAMES);
  }

  @Test
  void summariesCarryStatusArnAndTimes() {
    List<TrainingJobSummary> summaries =
        sm.listTrainingJobs(r -> r.nameContains(prefix).maxResults(10)).trainingJobSummaries();
    assertThat(summaries)
        .hasSize(5)
        .allSatisfy(
            s -> {
              assertThat(s.trainingJobStatus()).isEqualTo(TrainingJobStatus.COMPLETED);
              assertThat(s.trainingJobArn()).endsWith(":training-job/" + s.trainingJobName());
              assertThat(s.creationTime()).isNotNull();
              assertThat(s.lastModifiedTime()).isNotNull();
              assertThat(s.trainingEndTime()).isNotNull();
            });
  }

  @Test
  void statusAndTimeFiltersNarrowTheList() {
    assertThat(
            sm
                .listTrainingJobsPaginator(
                    r -> r.nameContains(prefix).statusEquals(TrainingJobStatus.COMPLETED))
                .trainingJobSummaries()
                .stream()
                .count())
        .isEqualTo(5);
    assertThat(
            sm
                .listTrainingJobsPaginator(
                    r -> r.nameContains(prefix).statusEquals(TrainingJobStatus.FAILED))
                .trainingJobSummaries()
                .stream()
                .count())
        .isZero();
    Instant future = Instant.now().plus(Duration.ofHours(1));
    assertThat(
            sm
                .listTrainingJobsPaginator(r -> r.nameContains(prefix).creationTimeAfter(future))
                .trainingJobSummaries()
                .stream()
                .count())
        .isZero();
    Instant past = Instant.now().minus(Duration.ofHours(1));
    assertThat(
            sm
                .listTrainingJobsPaginator(r -> r.nameContains(prefix).creationTimeAfter(past))
                .trainingJobSummaries()
                .stream()
                .count())
        .isEqualTo(5);
  }

  @Test
  void tagsGivenAtCreationCanBeListedAddedAndDeleted() {
    String arn = sm.describeTrainingJob(r -> r.trainingJobName(prefix + "-a")).trainingJobArn();

    assertThat(sm.listTags(r -> r.resourceArn(arn).maxResults(50)).tags())
        .containsExactly(Tag.builder().key("suite").value("listing").build());

    assertThat(
            sm.addTags(r -> r.resourceArn(arn).tags(Tag.builder().key("stage").value("it").build()))
                .tags())
        .containsExactly(Tag.builder().key("stage").value("it").build());
    sm.addTags(r -> r.resourceArn(arn).tags(Tag.builder().key("suite").value("renamed").build()));
    assertThat(sm.listTags(r -> r.resourceArn(arn)).tags())
        .containsExactlyInAnyOrder(
            Tag.builder().key("suite").value("renamed").build(),
            Tag.builder().key("stage").value("it").build());

    sm.deleteTags(r -> r.resourceArn(arn).tagKeys("suite"));
    assertThat(sm.listTags(r -> r.resourceArn(arn)).tags())
        .containsExactly(Tag.builder().key("stage").value("it").build());
  }
}
