package io.sagebrush.scheduler.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class SchedulerPropertiesTest {
  private static Binder binder(Map<String, String> props) {
    return new Binder(new MapConfigurationPropertySource(props));
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    Binder b = binder(Map.of());
    PlacementProperties p =
        b.bindOrCreate("sagebrush.scheduler.placement", PlacementProperties.class);
    assertThat(p.cpuOvercommit()).isEqualTo(4.0);
    assertThat(p.memoryOvercommit()).isEqualTo(2.0);
    assertThat(b.bindOrCreate("sagebrush.scheduler.training", TrainingProperties.class).stopGrace())
        .isEqualTo(Duration.ofSeconds(120));
    DeadlineProperties d =
        b.bindOrCreate("sagebrush.scheduler.deadlines", DeadlineProperties.class);
    assertThat(d.placedNotAcknowledged()).isEqualTo(Duration.ofMinutes(2));
    assertThat(d.preparing()).isEqualTo(Duration.ofHours(1));
    assertThat(d.uploading()).isEqualTo(Duration.ofHours(1));
    assertThat(d.stoppingMargin()).isEqualTo(Duration.ofMinutes(2));
    AgentProperties a = b.bindOrCreate("sagebrush.scheduler.agents", AgentProperties.class);
    assertThat(a.lostAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(a.heartbeatInterval()).isEqualTo(Duration.ofSeconds(20));
    assertThat(b.bindOrCreate("sagebrush.scheduler.loops", LoopProperties.class).enabled())
        .isTrue();
  }

  @Test
  void extraInstanceTypesAndOverridesBind() {
    Binder b =
        binder(
            Map.of(
                "sagebrush.scheduler.instance-types.extra[ml.local].vcpus", "1",
                "sagebrush.scheduler.instance-types.extra[ml.local].memory-mb", "512",
                "sagebrush.scheduler.placement.cpu-overcommit", "1.5",
                "sagebrush.scheduler.training.stop-grace", "5s"));
    InstanceTypeProperties t =
        b.bindOrCreate("sagebrush.scheduler.instance-types", InstanceTypeProperties.class);
    assertThat(t.extra().get("ml.local")).isEqualTo(new InstanceTypeProperties.Extra(1, 512, 0));
    assertThat(
            b.bindOrCreate("sagebrush.scheduler.placement", PlacementProperties.class)
                .cpuOvercommit())
        .isEqualTo(1.5);
    assertThat(b.bindOrCreate("sagebrush.scheduler.training", TrainingProperties.class).stopGrace())
        .isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void endpointDefaultsAreTheDocumentedOnesAndOverridesBind() {
    EndpointProperties e =
        binder(Map.of()).bindOrCreate("sagebrush.scheduler.endpoints", EndpointProperties.class);
    assertThat(e.reconcileInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(e.drainDelay()).isEqualTo(Duration.ofSeconds(5));
    assertThat(e.stopGrace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(e.defaultStartupTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(e.defaultDownloadTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(e.placementTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(e.routingRecheck()).isEqualTo(Duration.ofSeconds(1));
    EndpointProperties o =
        binder(Map.of("sagebrush.scheduler.endpoints.drain-delay", "2s"))
            .bindOrCreate("sagebrush.scheduler.endpoints", EndpointProperties.class);
    assertThat(o.drainDelay()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void overcommitBelowOneIsRefusedAtStartup() {
    Binder b = binder(Map.of("sagebrush.scheduler.placement.memory-overcommit", "0.5"));
    assertThatThrownBy(
            () -> b.bindOrCreate("sagebrush.scheduler.placement", PlacementProperties.class))
        .isInstanceOf(BindException.class);
  }
}
