package io.sagebrush.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.scheduler.support.SchedulerIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

@SchedulerIntegrationTest
class PlacementThroughputIT {
  @Autowired ApplicationContext ctx;

  @Test
  void placesAThousandQueuedJobsOverFiftyAgentsAtTwoHundredPerSecondOrMore() {
    PlacementBenchmark.run(ctx, 200, 50); // warm-up
    PlacementBenchmark.Result r = PlacementBenchmark.run(ctx, 1000, 50);
    System.out.println("PLACEMENT BENCHMARK: " + r);
    assertThat(r.placed()).isEqualTo(1000);
    assertThat(r.perSecond()).isGreaterThanOrEqualTo(200.0);
  }
}
