package io.sagebrush.scheduler.trainingjob.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.protocol.LogLine;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricScraperTest {
  @Test
  void lastMatchOfEachDefinitionWinsWithItsLinesTimestamp() {
    MetricScraper scraper =
        new MetricScraper(
            List.of(
                new MetricDefinition("loss", "loss: ([0-9.]+)"),
                new MetricDefinition("acc", "acc=(\\S+)"),
                new MetricDefinition("broken", "([unclosed"),
                new MetricDefinition("nan", "value=(\\w+)")));
    Map<String, MetricValue> found =
        scraper.scrape(
            List.of(
                new LogLine(1000, "step 1 loss: 0.9 acc=0.5"),
                new LogLine(2000, "step 2 loss: 0.4"),
                new LogLine(3000, "value=abc"),
                new LogLine(4000, "acc=1e-2")));
    assertThat(found).containsOnlyKeys("loss", "acc");
    assertThat(found.get("loss"))
        .isEqualTo(new MetricValue("loss", 0.4, Instant.ofEpochMilli(2000)));
    assertThat(found.get("acc").value()).isEqualTo(0.01);
    assertThat(found.get("acc").timestamp()).isEqualTo(Instant.ofEpochMilli(4000));
  }

  @Test
  void noDefinitionsFindNothing() {
    assertThat(new MetricScraper(List.of()).scrape(List.of(new LogLine(1, "loss: 1")))).isEmpty();
  }
}
