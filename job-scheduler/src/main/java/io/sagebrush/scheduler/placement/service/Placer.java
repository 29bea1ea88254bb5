package io.sagebrush.scheduler.placement.service;

import io.sagebrush.common.arn.Arns;
import io.sagebrush.protocol.ChannelSpec;
import io.sagebrush.protocol.HostSpec;
import io.sagebrush.protocol.OutputSpec;
import io.sagebrush.protocol.ResourceSpec;
import io.sagebrush.protocol.TaskAssignment;
import io.sagebrush.protocol.TaskKind;
import io.sagebrush.scheduler.agent.adapter.persistence.AgentStore;
import io.sagebrush.scheduler.agent.domain.RegisteredAgent;
import io.sagebrush.scheduler.agent.service.AgentSignals;
import io.sagebrush.scheduler.leader.Signal;
import io.sagebrush.scheduler.logs.service.LogStore;
import io.sagebrush.scheduler.placement.domain.AgentCapacity;
import io.sagebrush.scheduler.placement.domain.InstanceCatalogue;
import io.sagebrush.scheduler.placement.domain.InstanceType;
import io.sagebrush.scheduler.placement.domain.Placement;
import io.sagebrush.scheduler.placement.domain.PlacementDecision;
import io.sagebrush.scheduler.trainingjob.adapter.persistence.TrainingJobStore;
import io.sagebrush.scheduler.trainingjob.domain.Channel;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJob;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobSpec;
import io.sagebrush.scheduler.trainingjob.domain.TrainingTask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Places queued training jobs. Run by the leader only (several placers would overbook capacity,
 * though they never place one job twice: claims use FOR UPDATE SKIP LOCKED and the job write is
 * compare-and-set).
 *
 * <ol>
 *   <li>Read the live agents and what their live tasks reserve.
 *   <li>Claim a batch of queued jobs in arrival order (keyset after the last batch).
 *   <li>For each: choose an agent ({@link Placement}); if one fits, write the task with its
 *       assignment, create the hosts' log streams and move the job to PLACED; else record what it
 *       waits for.
 *   <li>Commit, then wake the long polls of the agents that got work.
 * </ol>
 */
public class Placer {
  private static final Logger LOG = LoggerFactory.getLogger(Placer.class);

  private final TransactionTemplate tx;
  private final TrainingJobStore jobs;
  private final AgentStore agents;
  private final LogStore logs;
  private final InstanceCatalogue catalogue;
  private final Placement placement;
  private final Arns arns;
  private final Clock clock;
  private final AgentSignals signals;
  private final Duration stopGrace;
  private final int batchSize;
  private final Signal trigger = new Signal();

  public Placer(
      TransactionTemplate tx,
      TrainingJobStore jobs,
      AgentStore agents,
      LogStore logs,
      InstanceCatalogue catalogue,
      Placement placement,
      Arns arns,
      Clock clock,
      AgentSignals signals,
      Duration stopGrace,
      int batchSize) {
    this.tx = tx;
    this.jobs = jobs;
    this.agents = agents;
    this.logs = logs;
    this.catalogue = catalogue;
    this.placement = placement;
    this.arns = arns;
    this.clock = clock;
    this.signals = signals;
    this.stopGrace = stopGrace;
    this.batchSize = batchSize;
  }

  /** Asks the placer loop to run soon (a job was queued, an agent registered, capacity freed). */
  public void nudge() {
    trigger.fire();
  }

  /** The signal {@link #nudge()} fires; the loop waits on it. */
  public Signal trigger() {
    return trigger;
  }

  /**
   * One pass over the whole queue.
   *
   * @return how many jobs were placed
   */
  public int placeQueued() {
    int placed = 0;
    Cursor cursor = new Cursor(null, -1);
    while (true) {
      Batch batch = tx.execute(status -> placeBatch(cursor));
      placed += batch.placed;
      batch.wake.forEach(signals::wake);
      if (batch.claimed < batchSize) {
        return placed;
      }
      cursor.creation = batch.lastCreation;
      cursor.id = batch.lastId;
    }
  }

  private static final class Cursor {
    Instant creation;
    long id;

    Cursor(Instant creation, long id) {
      this.creation = creation;
      this.id = id;
    }
  }

  private record Batch(
      int claimed, int placed, Set<String> wake, Instant lastCreation, long lastId) {}

  private Batch placeBatch(Cursor cursor) {
    // Serving replicas are placed on the same agents by the fleet reconciler.
    jobs.lockCapacity();
    List<RegisteredAgent> live = agents.live();
    Map<String, TrainingJobStore.Usage> usage = jobs.usageByAgent();
    List<AgentCapacity> capacities = new ArrayList<>();
    for (RegisteredAgent a : live) {
      TrainingJobStore.Usage u = usage.get(a.id());
      capacities.add(
          new AgentCapacity(
              a.id(),
              a.name(),
              a.runtime(),
              a.cpus(),
              a.memoryMb(),
              a.gpuIndices(),
              u == null ? 0 : u.cpus(),
              u == null ? 0 : u.memoryMb(),
              u == null ? Set.of() : Set.copyOf(u.gpus())));
    }
    List<Long> ids = jobs.claimQueued(cursor.creation, cursor.id, batchSize);
    List<TrainingJob> claimed = jobs.findAll(ids);
    Set<String> wake = new HashSet<>();
    int placed = 0;
    Instant now = clock.instant();
    Instant lastCreation = cursor.creation;
    long lastId = cursor.id;
    List<TrainingJob> changed = new ArrayList<>();
    List<TrainingTask> tasks = new ArrayList<>();
    List<String> streams = new ArrayList<>();
    for (TrainingJob job : claimed) {
      lastCreation = job.creationTime();
      lastId = job.id();
      TrainingJobSpec spec = job.spec();
      InstanceType type = catalogue.find(spec.instanceType()).orElse(null);
      if (type == null) {
        job.fail(
            "UNKNOWN_INSTANCE_TYPE",
            "ClientError: instance type " + spec.instanceType() + " is no longer configured",
            now);
        changed.add(job);
        continue;
      }
      PlacementDecision d = placement.choose(type, Math.max(1, spec.instanceCount()), capacities);
      if (!d.placed()) {
        if (job.waitFor(d.waitingFor(), now)) {
          changed.add(job);
        }
        continue;
      }
      TrainingTask task = taskFor(job, type, d, now);
      tasks.add(task);
      task.assignment().hosts().forEach(h -> streams.add(h.logStream()));
      job.placeOn(d.agent().name(), d.agent().agentId(), now);
      changed.add(job);
      capacities.replaceAll(
          a ->
              a.agentId().equals(d.agent().agentId())
                  ? a.reserve(d.totalCpus(), d.totalMemoryMb(), task.gpuIndices())
                  : a);
      wake.add(d.agent().agentId());
      placed++;
    }
    // The claimed rows are locked by this transaction, so these compare-and-set writes cannot
    // lose; they are batched for throughput.
    jobs.saveAll(changed);
    jobs.insertTasks(tasks);
    logs.createStreams(LogStore.TRAINING_JOBS_GROUP, streams);
    if (placed > 0) {
      LOG.debug("Placed {} of {} claimed training jobs", placed, claimed.size());
    }
    return new Batch(ids.size(), placed, wake, lastCreation, lastId);
  }

  private TrainingTask taskFor(
      TrainingJob job, InstanceType type, PlacementDecision d, Instant now) {
    TrainingJobSpec spec = job.spec();
    String taskId = UUID.randomUUID().toString();
    long epoch = now.getEpochSecond();
    List<HostSpec> hosts = new ArrayList<>();
    List<Integer> allGpus = new ArrayList<>();
    for (int h = 1; h <= d.gpusPerHost().size(); h++) {
      List<Integer> gpus = d.gpusPerHost().get(h - 1);
      allGpus.addAll(gpus);
      hosts.add(new HostSpec("algo-" + h, job.name() + "/algo-" + h + "-" + epoch, gpus));
    }
    Map<String, String> env = new LinkedHashMap<>(spec.environment());
    env.put("TRAINING_JOB_NAME", job.name());
    env.put("TRAINING_JOB_ARN", job.arn());
    env.put("AWS_REGION", arns.region());
    env.put("AWS_DEFAULT_REGION", arns.region());
    List<ChannelSpec> channels = new ArrayList<>();
    for (Channel c : spec.channels()) {
      channels.add(
          new ChannelSpec(
              c.name(),
              c.s3DataType(),
              c.s3Uri(),
              c.distribution(),
              c.contentType(),
              c.compressionType(),
              c.recordWrapperType(),
              c.inputMode() == null ? spec.inputMode() : c.inputMode()));
    }
    TaskAssignment assignment =
        new TaskAssignment(
            taskId,
            TaskKind.TRAINING,
            job.name(),
            job.arn(),
            spec.image(),
            spec.entrypoint(),
            spec.arguments(),
            env,
            spec.hyperParameters(),
            channels,
            hosts,
            new OutputSpec(job.modelArtifactUri(), job.outputDataUri(), spec.compressed()),
            new ResourceSpec(type.vcpus(), type.memoryMb()),
            spec.instanceType(),
            spec.inputMode(),
            spec.maxRuntimeSeconds(),
            stopGrace.getSeconds());
    return new TrainingTask(
        taskId,
        job.id(),
        d.agent().agentId(),
        d.totalCpus(),
        d.totalMemoryMb(),
        List.copyOf(allGpus),
        assignment,
        now,
        false,
        false,
        false,
        0);
  }
}
