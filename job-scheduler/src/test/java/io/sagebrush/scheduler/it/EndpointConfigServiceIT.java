package io.sagebrush.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagebrush.common.error.ErrorCode;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.scheduler.common.Page;
import io.sagebrush.scheduler.common.SortOrder;
import io.sagebrush.scheduler.model.domain.EndpointConfig;
import io.sagebrush.scheduler.model.domain.EndpointConfigSpec;
import io.sagebrush.scheduler.model.domain.ModelQuery;
import io.sagebrush.scheduler.model.domain.ModelSpec;
import io.sagebrush.scheduler.model.domain.ProductionVariantSpec;
import io.sagebrush.scheduler.model.service.EndpointConfigService;
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
class EndpointConfigServiceIT {
  static final String PREFIX = "arn:aws:sagemaker:us-east-1:000000000000:";
  static final String ECHO = "{\"ProductionVariants\":[]}";

  @Autowired EndpointConfigService configs;
  @Autowired ModelService models;
  @Autowired TagService tags;
  @Autowired MutableClock clock;
  @Autowired JdbcTemplate jdbc;

  @BeforeEach
  void clean() {
    Fixtures.wipe(jdbc);
    clock.set(SchedulerTestApplication.T0);
    models.create(new ModelSpec("m1", null, "{\"Image\":\"i\"}", null, false, List.of()));
  }

  private static EndpointConfigSpec spec(String name, String model, String instanceType) {
    return new EndpointConfigSpec(
        name,
        List.of(new ProductionVariantSpec("v1", model, 1, instanceType)),
        ECHO,
        List.of(new Tag("k", "v")));
  }

  @Test
  void createDescribeDeleteAndDuplicates() {
    EndpointConfig c = configs.create(spec("Cfg", "M1", "ml.m5.large"));
    assertThat(c.arn()).isEqualTo(PREFIX + "endpoint-config/cfg");
    assertThat(configs.describe("cfg").echoJson()).isEqualTo(ECHO);
    assertThat(configs.describe("cfg").creationTime()).isEqualTo(SchedulerTestApplication.T0);
    assertThat(tags.list(c.arn(), null, 50).items()).containsExactly(new Tag("k", "v"));
    assertThatThrownBy(() -> configs.create(spec("CFG", "m1", "ml.m5.large")))
        .isInstanceOf(SagebrushException.class)
        .hasMessage(
            "Cannot create already existing endpoint configuration \""
                + PREFIX
                + "endpoint-config/cfg\".");
    // deleting the model does not affect the config
    models.delete("m1");
    configs.delete("Cfg");
    assertThatThrownBy(() -> configs.describe("cfg"))
        .isInstanceOfSatisfying(
            SagebrushException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION))
        .hasMessage("Could not find endpoint configuration \"" + PREFIX + "endpoint-config/cfg\".");
    assertThatThrownBy(() -> configs.delete("cfg")).isInstanceOf(SagebrushException.class);
  }

  @Test
  void missingModelsAndUnknownInstanceTypesAreRefused() {
    assertThatThrownBy(() -> configs.create(spec("c", "nope", "ml.m5.large")))
        .isInstanceOfSatisfying(
            SagebrushException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION))
        .hasMessage("Could not find model \"" + PREFIX + "model/nope\".");
    assertThatThrownBy(() -> configs.create(spec("c", "m1", "ml.bogus.large")))
        .isInstanceOf(SagebrushException.class)
        .hasMessageContaining("productionVariants.1.member.instanceType");
    assertThat(jdbc.queryForObject("SELECT count(*) FROM sched_endpoint_config", Integer.class))
        .isZero();
  }

  @Test
  void listingSortsAndPages() {
    for (String n : List.of("c-b", "c-c", "c-a")) {
      configs.create(spec(n, "m1", "ml.m5.large"));
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(names(configs.list(query(null, null, 0, null)).items()))
        .containsExactly("c-a", "c-c", "c-b");
    List<String> paged = new ArrayList<>();
    String token = null;
    do {
      Page<EndpointConfig> page = configs.list(query("Name", SortOrder.Ascending, 2, token));
      paged.addAll(names(page.items()));
      token = page.nextToken();
    } while (token != null);
    assertThat(paged).containsExactly("c-a", "c-b", "c-c");
  }

  private static ModelQuery query(String sortBy, SortOrder order, int max, String token) {
    return new ModelQuery(null, null, null, sortBy, order, max, token);
  }

  private static List<String> names(List<EndpointConfig> list) {
    return list.stream().map(EndpointConfig::name).toList();
  }
}
