package io.sagebrush.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagebrush.common.error.ErrorCode;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.scheduler.common.Page;
import io.sagebrush.scheduler.common.SortOrder;
import io.sagebrush.scheduler.model.domain.Model;
import io.sagebrush.scheduler.model.domain.ModelQuery;
import io.sagebrush.scheduler.model.domain.ModelSpec;
import io.sagebrush.scheduler.model.service.ModelService;
import io.sagebrush.scheduler.support.Fixtures;
import io.sagebrush.scheduler.support.MutableClock;
import io.sagebrush.scheduler.support.SchedulerIntegrationTest;
import io.sagebrush.scheduler.support.SchedulerTestApplication;
import io.sagebrush.scheduler.tag.service.TagService;
import io.sagebrush.scheduler.trainingjob.domain.Tag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

@SchedulerIntegrationTest
class ModelServiceIT {
  static final String ARN_PREFIX = "arn:aws:sagemaker:us-east-1:000000000000:model/";
  static final String CONTAINER = "{\"Image\":\"img:1\",\"ModelDataUrl\":\"s3://b/m.tar.gz\"}";

  @Autowired ModelService models;
  @Autowired TagService tags;
  @Autowired MutableClock clock;
  @Autowired JdbcTemplate jdbc;

  @BeforeEach
  void clean() {
    Fixtures.wipe(jdbc);
    clock.set(SchedulerTestApplication.T0);
  }

  private static ModelSpec spec(String name) {
    return new ModelSpec(name, null, CONTAINER, null, false, List.of(new Tag("team", "ml")));
  }

  private static ModelQuery query(String sortBy, SortOrder order, int max, String token) {
    return new ModelQuery(null, null, null, sortBy, order, max, token);
  }

  @Test
  void createDescribeAndDelete() {
    Model created = models.create(spec("My-Model"));
    assertThat(created.arn()).endsWith(":model/my-model");

    Model described = models.describe("my-model");
    assertThat(described.name()).isEqualTo("My-Model");
    assertThat(described.primaryContainerJson()).isEqualTo(CONTAINER);
    assertThat(described.creationTime()).isEqualTo(SchedulerTestApplication.T0);
    assertThat(models.exists("MY-MODEL")).isTrue();
    assertThat(tags.list(created.arn(), null, 50).items()).containsExactly(new Tag("team", "ml"));

    models.delete("My-Model");
    assertThat(models.exists("My-Model")).isFalse();
    assertThat(jdbc.queryForObject("SELECT count(*) FROM resource_tag", Integer.class)).isZero();
  }

  @Test
  void duplicatesAndMissingModelsAreValidationErrors() {
    models.create(spec("dup"));
    assertThatThrownBy(() -> models.create(spec("DUP")))
        .isInstanceOfSatisfying(
            SagebrushException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
              assertThat(e.getMessage())
                  .isEqualTo("Cannot create already existing model \"" + ARN_PREFIX + "dup\".");
            });
    assertThatThrownBy(() -> models.describe("Nope"))
        .isInstanceOfSatisfying(
            SagebrushException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
              assertThat(e.getMessage())
                  .isEqualTo("Could not find model \"" + ARN_PREFIX + "nope\".");
            });
    assertThatThrownBy(() -> models.delete("nope"))
        .isInstanceOf(SagebrushException.class)
        .hasMessage("Could not find model \"" + ARN_PREFIX + "nope\".");
  }

  @Test
  void listingSortsPagesAndFilters() {
    for (String n : List.of("m-b", "m-c", "m-a", "other")) {
      models.create(spec(n));
      clock.advance(Duration.ofSeconds(1));
    }
    // default: CreationTime Descending
    assertThat(names(models.list(query(null, null, 0, null)).items()))
        .containsExactly("other", "m-a", "m-c", "m-b");
    assertThat(names(models.list(query("Name", SortOrder.Ascending, 0, null)).items()))
        .containsExactly("m-a", "m-b", "m-c", "other");

    List<String> paged = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      Page<Model> page = models.list(query("Name", SortOrder.Descending, 3, token));
      paged.addAll(names(page.items()));
      token = page.nextToken();
      pages++;
    } while (token != null);
    assertThat(pages).isEqualTo(2);
    assertThat(paged).containsExactly("other", "m-c", "m-b", "m-a");

    assertThat(
            names(
                models
                    .list(
                        new ModelQuery(
                            "M-",
                            SchedulerTestApplication.T0,
                            SchedulerTestApplication.T0.plusSeconds(3),
                            "Name",
                            SortOrder.Ascending,
                            10,
                            null))
                    .items()))
        .containsExactly("m-a", "m-c");
    assertThatThrownBy(() -> models.list(query(null, null, 10, "garbage")))
        .isInstanceOf(SagebrushException.class);
  }

  private static List<String> names(List<Model> models) {
    return models.stream().map(Model::name).toList();
  }
}
