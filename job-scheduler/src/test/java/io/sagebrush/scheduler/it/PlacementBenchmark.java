package io.sagebrush.scheduler.it;

import static io.sagebrush.scheduler.support.Fixtures.aTrainingJob;
import static io.sagebrush.scheduler.support.Fixtures.anAgent;

import io.sagebrush.scheduler.agent.service.AgentCoordinator;
import io.sagebrush.scheduler.placement.service.Placer;
import io.sagebrush.scheduler.support.Fixtures;
import io.sagebrush.scheduler.support.SchedulerTestApplication;
import io.sagebrush.scheduler.trainingjob.service.TrainingJobService;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Placement throughput: {@code jobs} queued ml.m5.large jobs over {@code agents} registered 16-CPU
 * / 96 GiB docker agents, placed by one leader pass against a real (embedded) PostgreSQL. Run as
 * {@code PlacementThroughputIT}, or standalone with its main (args: jobs agents).
 */
public final class PlacementBenchmark {
  private PlacementBenchmark() {}

  /** What one run measured. */
  public record Result(int jobs, int agents, int placed, double seconds) {
    public double perSecond() {
      return placed / seconds;
    }

    @Override
    public String toString() {
      return String.format(
          "placed %d of %d queued jobs over %d agents in %.3f s = %.0f placements/s",
          placed, jobs, agents, seconds, perSecond());
    }
  }

  /** Queues the jobs, registers the agents, then times one placement pass. */
  public static Result run(ApplicationContext ctx, int jobCount, int agentCount) {
    Fixtures.wipe(ctx.getBean(JdbcTemplate.class));
    TrainingJobService jobs = ctx.getBean(TrainingJobService.class);
    AgentCoordinator coordinator = ctx.getBean(AgentCoordinator.class);
    Placer placer = ctx.getBean(Placer.class);
    for (int i = 0; i < jobCount; i++) {
      jobs.create(aTrainingJob("bench-" + i).build());
    }
    for (int i = 0; i < agentCount; i++) {
      coordinator.register(anAgent("agent-" + i, 16, 98_304, 0));
    }
    long start = System.nanoTime();
    int placed = placer.placeQueued();
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(jobCount, agentCount, placed, seconds);
  }

  public static void main(String[] args) {
    int jobCount = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int agentCount = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    SpringApplication app = new SpringApplication(SchedulerTestApplication.class);
    app.setDefaultProperties(
        java.util.Map.of(
            "spring.flyway.locations", "classpath:db/migration/scheduler",
            "spring.jpa.hibernate.ddl-auto", "validate",
            "spring.jpa.open-in-view", "false",
            "sagebrush.scheduler.loops.enabled", "false"));
    try (ConfigurableApplicationContext ctx = app.run()) {
      run(ctx, jobCount, agentCount); // warm-up
      Result r = run(ctx, jobCount, agentCount);
      System.out.println("PLACEMENT BENCHMARK: " + r);
    }
  }
}
