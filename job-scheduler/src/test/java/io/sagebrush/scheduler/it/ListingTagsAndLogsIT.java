package io.sagebrush.scheduler.it;

import static io.sagebrush.scheduler.support.Fixtures.aTrainingJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagebrush.common.error.ErrorCode;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.protocol.LogLine;
import io.sagebrush.scheduler.common.Page;
import io.sagebrush.scheduler.common.SortOrder;
import io.sagebrush.scheduler.logs.domain.LogQuery;
import io.sagebrush.scheduler.logs.domain.LogStreamInfo;
import io.sagebrush.scheduler.logs.domain.StoredLogEvent;
import io.sagebrush.scheduler.logs.service.LogStore;
import io.sagebrush.scheduler.support.Fixtures;
import io.sagebrush.scheduler.support.MutableClock;
import io.sagebrush.scheduler.support.SchedulerIntegrationTest;
import io.sagebrush.scheduler.support.SchedulerTestApplication;
import io.sagebrush.scheduler.tag.service.TagService;
import io.sagebrush.scheduler.trainingjob.domain.Tag;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobQuery;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobStatus;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobView;
import io.sagebrush.scheduler.trainingjob.service.TrainingJobService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

@SchedulerIntegrationTest
class ListingTagsAndLogsIT {
  @Autowired TrainingJobService jobs;
  @Autowired TagService tags;
  @Autowired LogStore logs;
  @Autowired MutableClock clock;
  @Autowired JdbcTemplate jdbc;

  @BeforeEach
  void cleanDatabaseAndResetTime() {
    Fixtures.wipe(jdbc);
    clock.set(SchedulerTestApplication.T0);
  }

  private static TrainingJobQuery query(String sortBy, SortOrder order, int max, String token) {
    return new TrainingJobQuery(null, null, null, null, null, null, sortBy, order, max, token);
  }

  private List<String> createJobs(int n) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = String.format("job-%02d", (i * 7) % n);
      jobs.create(aTrainingJob(name).build());
      names.add(name);
      clock.advance(Duration.ofSeconds(1));
    }
    return names;
  }

  @Test
  void listPagesInCreationOrderByDefaultWithStableTokensUntilTheEnd() {
    List<String> created = createJobs(25);
    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      Page<TrainingJobView> page = jobs.list(query(null, null, 0, token));
      assertThat(page.items().size()).isLessThanOrEqualTo(10);
      page.items().forEach(v -> seen.add(v.spec().name()));
      token = page.nextToken();
      pages++;
    } while (token != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactlyElementsOf(created);
  }

  @Test
  void listSortsByNameDescendingAndFiltersByNameStatusAndTime() {
    createJobs(12);
    jobs.stop("job-03");
    Page<TrainingJobView> byName = jobs.list(query("Name", SortOrder.Descending, 3, null));
    assertThat(byName.items())
        .extracting(v -> v.spec().name())
        .containsExactly("job-11", "job-10", "job-09");
    Page<TrainingJobView> contains =
        jobs.list(
            new TrainingJobQuery(
                "JOB-1", null, null, null, null, null, "Name", SortOrder.Ascending, 100, null));
    assertThat(contains.items())
        .extracting(v -> v.spec().name())
        .containsExactly("job-10", "job-11");
    assertThat(contains.nextToken()).isNull();
    Page<TrainingJobView> stopped =
        jobs.list(
            new TrainingJobQuery(
                null, TrainingJobStatus.Stopped, null, null, null, null, null, null, 10, null));
    assertThat(stopped.items()).extracting(v -> v.spec().name()).containsExactly("job-03");
    Page<TrainingJobView> late =
        jobs.list(
            new TrainingJobQuery(
                null,
                null,
                SchedulerTestApplication.T0.plusSeconds(9),
                null,
                null,
                null,
                null,
                null,
                10,
                null));
    assertThat(late.items()).hasSize(2);
    Page<TrainingJobView> byStatus = jobs.list(query("Status", SortOrder.Descending, 1, null));
    assertThat(byStatus.items().get(0).status()).isEqualTo(TrainingJobStatus.Stopped);
  }

  @Test
  void aBadOrForeignTokenIsAValidationError() {
    createJobs(3);
    String token = jobs.list(query(null, null, 1, null)).nextToken();
    assertThatThrownBy(() -> jobs.list(query("Name", null, 1, token)))
        .isInstanceOfSatisfying(
            SagebrushException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION));
    assertThatThrownBy(() -> jobs.list(query(null, null, 1, "not-a-token!")))
        .isInstanceOf(SagebrushException.class);
  }

  @Test
  void tagsGivenAtCreationAreListedAndCanBeAddedAndDeleted() {
    String arn =
        jobs.create(
                aTrainingJob("Tagged")
                    .withTags(new Tag("team", "ml"), new Tag("env", "dev"))
                    .build())
            .arn();
    assertThat(tags.list(arn, null, 50).items())
        .containsExactly(new Tag("env", "dev"), new Tag("team", "ml"));
    tags.add(arn, List.of(new Tag("env", "prod"), new Tag("owner", "me")));
    assertThat(tags.list(arn, null, 50).items())
        .containsExactly(new Tag("env", "prod"), new Tag("owner", "me"), new Tag("team", "ml"));
    tags.delete(arn, List.of("owner", "absent"));
    assertThat(tags.list(arn.replace("tagged", "Tagged"), null, 50).items()).hasSize(2);
    Page<Tag> first = tags.list(arn, null, 1);
    assertThat(first.nextToken()).isNotNull();
    assertThat(tags.list(arn, first.nextToken(), 1).items()).containsExactly(new Tag("team", "ml"));
  }

  @Test
  void tagsOnAnUnknownResourceOrBeyondFiftyAreValidationErrors() {
    String arn = jobs.create(aTrainingJob("t50").build()).arn();
    assertThatThrownBy(() -> tags.list(arn + "x", null, 50))
        .isInstanceOfSatisfying(
            SagebrushException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION));
    assertThatThrownBy(
            () -> tags.add("arn:aws:sagemaker:us-east-1:000000000000:endpoint/e", List.of()))
        .isInstanceOf(SagebrushException.class);
    List<Tag> fifty = IntStream.range(0, 50).mapToObj(i -> new Tag("k" + i, "v")).toList();
    tags.add(arn, fifty);
    assertThatThrownBy(() -> tags.add(arn, List.of(new Tag("one-more", "v"))))
        .isInstanceOfSatisfying(
            SagebrushException.class, e -> assertThat(e.getMessage()).contains("at most 50"));
    tags.add(arn, List.of(new Tag("k1", "overwritten")));
  }

  @Test
  void logStoreKeepsOrderStatisticsAndFiltersCaseSensitively() {
    String g = LogStore.TRAINING_JOBS_GROUP;
    logs.createStream(g, "j/algo-1-1");
    logs.append(
        g, "j/algo-1-1", List.of(new LogLine(1000, "ERROR disk full"), new LogLine(900, "ok")));
    logs.append(g, "j/algo-2-1", List.of(new LogLine(2000, "error Disk full again")));
    assertThat(logs.groupExists(g)).isTrue();
    assertThat(logs.groupExists("/other")).isFalse();
    List<LogStreamInfo> streams = logs.streams(g, "j/", false, false, null, 10).items();
    assertThat(streams).extracting(LogStreamInfo::name).containsExactly("j/algo-1-1", "j/algo-2-1");
    assertThat(streams.get(0).firstEventTimestamp()).isEqualTo(900L);
    assertThat(streams.get(0).lastEventTimestamp()).isEqualTo(1000L);
    assertThat(streams.get(0).storedBytes()).isEqualTo("ERROR disk full".length() + 2);
    assertThat(logs.streams(g, null, true, true, null, 1).items().get(0).name())
        .isEqualTo("j/algo-2-1");
    Page<LogStreamInfo> first = logs.streams(g, null, false, false, null, 1);
    assertThat(logs.streams(g, null, false, false, first.nextToken(), 1).items().get(0).name())
        .isEqualTo("j/algo-2-1");
    assertThatThrownBy(() -> logs.streams(g, null, false, false, "bogus", 1))
        .isInstanceOfSatisfying(
            SagebrushException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER));

    List<StoredLogEvent> all =
        logs.events(new LogQuery(g, null, null, null, null, null, null, true, null, 10));
    assertThat(all)
        .extracting(StoredLogEvent::message)
        .containsExactly("ERROR disk full", "ok", "error Disk full again");
    assertThat(all.get(0).id()).isLessThan(all.get(1).id());
    assertThat(
            logs.events(new LogQuery(g, null, null, null, null, null, null, true, "disk full", 10)))
        .extracting(StoredLogEvent::message)
        .containsExactly("ERROR disk full");
    assertThat(
            logs.events(
                new LogQuery(g, null, null, null, null, null, null, true, "\"Disk full\"", 10)))
        .extracting(StoredLogEvent::message)
        .containsExactly("error Disk full again");
    assertThat(
            logs.events(
                new LogQuery(
                    g, List.of("j/algo-1-1"), null, 950L, null, null, null, false, null, 10)))
        .extracting(StoredLogEvent::message)
        .containsExactly("ERROR disk full");
    assertThat(
            logs.events(
                new LogQuery(g, null, null, null, null, all.get(0).id(), null, true, null, 1)))
        .extracting(StoredLogEvent::message)
        .containsExactly("ok");
  }
}
