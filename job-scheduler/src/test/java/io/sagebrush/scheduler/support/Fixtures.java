package io.sagebrush.scheduler.support;

import io.sagebrush.protocol.AgentRegistration;
import io.sagebrush.protocol.GpuDevice;
import io.sagebrush.protocol.TaskEvent;
import io.sagebrush.protocol.TaskPhase;
import io.sagebrush.scheduler.trainingjob.domain.Channel;
import io.sagebrush.scheduler.trainingjob.domain.MetricDefinition;
import io.sagebrush.scheduler.trainingjob.domain.Tag;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/** Prose-named builders for specs, agents and events. */
public final class Fixtures {
  private Fixtures() {}

  /** A one-host ml.m5.large job with one channel and a metric definition. */
  public static SpecBuilder aTrainingJob(String name) {
    return new SpecBuilder(name);
  }

  /** Builds a {@link TrainingJobSpec}. */
  public static final class SpecBuilder {
    private final String name;
    private String instanceType = "ml.m5.large";
    private int count = 1;
    private long maxRuntime = 86_400;
    private List<Tag> tags = List.of();
    private List<MetricDefinition> metrics =
        List.of(new MetricDefinition("train:loss", "loss=([0-9.eE+-]+)"));

    SpecBuilder(String name) {
      this.name = name;
    }

    public SpecBuilder on(String type, int instances) {
      this.instanceType = type;
      this.count = instances;
      return this;
    }

    public SpecBuilder withMaxRuntime(long seconds) {
      this.maxRuntime = seconds;
      return this;
    }

    public SpecBuilder withTags(Tag... t) {
      this.tags = List.of(t);
      return this;
    }

    public SpecBuilder withMetrics(MetricDefinition... m) {
      this.metrics = List.of(m);
      return this;
    }

    public TrainingJobSpec build() {
      return new TrainingJobSpec(
          name,
          "arn:aws:iam::000000000000:role/sagebrush",
          "sagebrush-test/busybox:1",
          "File",
          List.of(),
          List.of(),
          metrics,
          Map.of("epochs", "2"),
          Map.of("USER_VAR", "1"),
          List.of(
              new Channel(
                  "train",
                  "S3Prefix",
                  "s3://data/train/",
                  "FullyReplicated",
                  null,
                  null,
                  null,
                  null)),
          "s3://data/out/",
          true,
          instanceType,
          count,
          1,
          maxRuntime,
          tags,
          "{}");
    }
  }

  /** A docker agent with {@code cpus} cores, {@code memoryMb} MiB and {@code gpus} GPUs. */
  public static AgentRegistration anAgent(String name, int cpus, long memoryMb, int gpus) {
    return anAgent(name, cpus, memoryMb, gpus, AgentRegistration.RUNTIME_DOCKER);
  }

  public static AgentRegistration anAgent(
      String name, int cpus, long memoryMb, int gpus, String runtime) {
    List<GpuDevice> devices = new ArrayList<>();
    for (int i = 0; i < gpus; i++) {
      devices.add(new GpuDevice(i, "GPU-" + i, "Test GPU", 16_000));
    }
    return new AgentRegistration(null, name, cpus, memoryMb, devices, runtime, "test");
  }

  /** An event of {@code phase} from {@code agentId}. */
  public static TaskEvent event(String agentId, TaskPhase phase) {
    return new TaskEvent(agentId, phase, Instant.now(), phase.name(), null, null, false);
  }

  /** Empties every scheduler table. */
  public static void wipe(JdbcTemplate jdbc) {
    jdbc.execute(
        "TRUNCATE training_job_metric, training_task, training_job_transition, training_job,"
            + " sched_agent, log_event, log_stream, log_group, resource_tag, sched_model,"
            + " sched_endpoint_config, sched_serving_replica, sched_endpoint_fleet, sched_endpoint"
            + " RESTART IDENTITY CASCADE");
  }
}
