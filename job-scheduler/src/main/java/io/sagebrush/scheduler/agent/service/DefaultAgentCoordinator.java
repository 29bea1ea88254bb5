package io.sagebrush.scheduler.agent.service;

import io.sagebrush.common.error.ErrorCode;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.protocol.AgentRegistration;
import io.sagebrush.protocol.GpuDevice;
import io.sagebrush.protocol.LogBatch;
import io.sagebrush.protocol.PollRequest;
import io.sagebrush.protocol.PollResponse;
import io.sagebrush.protocol.RegistrationResponse;
import io.sagebrush.protocol.StorageSettings;
import io.sagebrush.protocol.TaskAssignment;
import io.sagebrush.protocol.TaskEvent;
import io.sagebrush.scheduler.agent.adapter.persistence.AgentStore;
import io.sagebrush.scheduler.agent.domain.RegisteredAgent;
import io.sagebrush.scheduler.endpoint.adapter.persistence.EndpointStore;
import io.sagebrush.scheduler.endpoint.domain.ServingTask;
import io.sagebrush.scheduler.endpoint.service.FleetReconciler;
import io.sagebrush.scheduler.leader.Signal;
import io.sagebrush.scheduler.logs.service.LogStore;
import io.sagebrush.scheduler.placement.service.Placer;
import io.sagebrush.scheduler.trainingjob.adapter.persistence.CasRetry;
import io.sagebrush.scheduler.trainingjob.adapter.persistence.TrainingJobStore;
import io.sagebrush.scheduler.trainingjob.domain.Action;
import io.sagebrush.scheduler.trainingjob.domain.IllegalTransitionException;
import io.sagebrush.scheduler.trainingjob.domain.MetricScraper;
import io.sagebrush.scheduler.trainingjob.domain.MetricValue;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJob;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobDecider;
import io.sagebrush.scheduler.trainingjob.domain.TrainingTask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The control plane's side of the agent protocol. Agents only report; every status change goes
 * through the {@link TrainingJobDecider} and the job's intentions, written compare-and-set. Serving
 * tasks (endpoint replicas) travel the same way: their assignments and stop orders go out in polls,
 * their events go to the {@link FleetReconciler}, their logs to the endpoint's log group.
 */
public class DefaultAgentCoordinator implements AgentCoordinator {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultAgentCoordinator.class);
  private static final int MISSING_POLLS_TO_FAIL = 2;

  /** How long an order that the agent has not acted on waits before it is sent again. */
  static final Duration RESEND_AFTER = Duration.ofSeconds(10);

  /** How often a held poll refreshes the agent's heartbeat (well inside the lost-after window). */
  static final Duration HELD_POLL_HEARTBEAT = Duration.ofSeconds(5);

  private final Map<String, Instant> lastSent = new ConcurrentHashMap<>();
  private final TransactionTemplate tx;
  private final AgentStore agents;
  private final TrainingJobStore jobs;
  private final LogStore logs;
  private final AgentSignals signals;
  private final Placer placer;
  private final TrainingJobDecider decider;
  private final Clock clock;
  private final StorageSettings storage;
  private final Duration heartbeatInterval;
  private final Duration pollTimeout;
  private final Duration pollRecheck;
  private final Map<Long, MetricScraper> scrapers = new ConcurrentHashMap<>();
  private final EndpointStore endpoints;
  private final FleetReconciler fleets;

  public DefaultAgentCoordinator(
      TransactionTemplate tx,
      AgentStore agents,
      TrainingJobStore jobs,
      LogStore logs,
      AgentSignals signals,
      Placer placer,
      TrainingJobDecider decider,
      Clock clock,
      StorageSettings storage,
      Duration heartbeatInterval,
      Duration pollTimeout,
      Duration pollRecheck,
      EndpointStore endpoints,
      FleetReconciler fleets) {
    this.tx = tx;
    this.endpoints = endpoints;
    this.fleets = fleets;
    this.agents = agents;
    this.jobs = jobs;
    this.logs = logs;
    this.signals = signals;
    this.placer = placer;
    this.decider = decider;
    this.clock = clock;
    this.storage = storage;
    this.heartbeatInterval = heartbeatInterval;
    this.pollTimeout = pollTimeout;
    this.pollRecheck = pollRecheck;
  }

  /**
   * Registers an agent. A known id keeps its tasks; its tasks are then checked against what it
   * lists as running, and fail when missing from two consecutive polls.
   */
  @Override
  public RegistrationResponse register(AgentRegistration r) {
    String id =
        r.agentId() == null || r.agentId().isBlank() ? UUID.randomUUID().toString() : r.agentId();
    List<GpuDevice> gpus = r.gpus() == null ? List.of() : r.gpus();
    String runtime =
        r.runtime() == null ? AgentRegistration.RUNTIME_PROCESS : r.runtime().toLowerCase();
    String name = r.name() == null || r.name().isBlank() ? id : r.name();
    boolean known =
        Boolean.TRUE.equals(
            tx.execute(
                s ->
                    agents.upsert(
                        id,
                        name,
                        Math.max(0, r.cpus()),
                        Math.max(0, r.memoryMb()),
                        gpus.stream().map(GpuDevice::index).toList(),
                        TrainingJobStore.write(gpus),
                        runtime,
                        r.version(),
                        clock.instant())));
    LOG.info(
        "Agent {} ({}) {}: {} CPUs, {} MiB, {} GPUs, runtime {}",
        name,
        id,
        known ? "re-registered" : "registered",
        r.cpus(),
        r.memoryMb(),
        gpus.size(),
        runtime);
    placer.nudge();
    fleets.nudge();
    return new RegistrationResponse(
        id, heartbeatInterval.toMillis(), pollTimeout.toMillis(), storage);
  }

  /**
   * Records the heartbeat, checks a restarted agent's tasks, and returns unacknowledged assignments
   * and stop orders, waiting up to {@code maxWait} for some.
   */
  @Override
  public PollResponse poll(String agentId, PollRequest request, Duration maxWait) {
    List<String> running =
        request == null || request.runningTaskIds() == null ? List.of() : request.runningTaskIds();
    Signal signal = signals.of(agentId);
    long seen = signal.generation();
    PollResponse first = CasRetry.run(() -> tx.execute(s -> heartbeatAndCollect(agentId, running)));
    if (!isEmpty(first) || maxWait == null || maxWait.isZero() || maxWait.isNegative()) {
      return first;
    }
    long deadline = System.nanoTime() + maxWait.toNanos();
    Instant lastBeat = clock.instant();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return PollResponse.empty();
        }
        Duration slice = Duration.ofNanos(Math.min(left, pollRecheck.toNanos()));
        signal.await(seen, slice);
        seen = signal.generation();
        // Keep the heartbeat fresh while the poll is held, however long the edge lets it wait,
        // but write it only every few seconds rather than on every recheck.
        Instant now = clock.instant();
        boolean beat = !now.isBefore(lastBeat.plus(HELD_POLL_HEARTBEAT));
        if (beat) {
          lastBeat = now;
        }
        PollResponse next =
            tx.execute(
                s -> {
                  if (beat) {
                    agents.heartbeat(agentId, now);
                  }
                  return collect(agentId, running);
                });
        if (!isEmpty(next)) {
          return next;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return PollResponse.empty();
    }
  }

  private static boolean isEmpty(PollResponse r) {
    return r.assign().isEmpty() && r.stop().isEmpty();
  }

  private PollResponse heartbeatAndCollect(String agentId, List<String> running) {
    RegisteredAgent agent =
        agents
            .find(agentId)
            .filter(a -> !a.lost())
            .orElseThrow(
                () ->
                    new SagebrushException(
                        ErrorCode.RESOURCE_NOT_FOUND,
                        "Agent " + agentId + " is not registered; register again"));
    Instant now = clock.instant();
    agents.heartbeat(agentId, now);
    if (agent.restarted()) {
      checkRestartedAgent(agent, running, now);
    }
    return collect(agentId, running);
  }

  /**
   * After a re-registration: a task placed before it, acknowledged, and not listed as running for
   * two consecutive polls fails.
   */
  private void checkRestartedAgent(RegisteredAgent agent, List<String> running, Instant now) {
    Set<String> listed = new HashSet<>(running);
    boolean pending = false;
    for (TrainingTask t : jobs.liveTasksOn(agent.id())) {
      if (!t.acknowledged() || !t.createdAt().isBefore(agent.registeredAt())) {
        continue;
      }
      if (listed.contains(t.id())) {
        jobs.setMissingPolls(t.id(), 0);
        continue;
      }
      int missing = t.missingPolls() + 1;
      if (missing < MISSING_POLLS_TO_FAIL) {
        jobs.setMissingPolls(t.id(), missing);
        pending = true;
        continue;
      }
      TrainingJob job = jobs.find(t.jobId()).orElseThrow();
      if (!job.state().terminal()) {
        job.fail(
            "AGENT_RESTARTED",
            "Agent "
                + agent.name()
                + " ("
                + agent.id()
                + ") restarted: the agent restarted and no longer runs the task "
                + t.id(),
            now);
        jobs.save(job);
      }
      jobs.endTask(t.id());
      placer.nudge();
      fleets.nudge();
    }
    // failLost locks each endpoint's row: in endpoint id order (see FleetReconciler.inLockOrder).
    for (ServingTask t : FleetReconciler.inLockOrder(endpoints.liveTasksOn(agent.id()))) {
      if (!t.acknowledged() || !t.createdAt().isBefore(agent.registeredAt())) {
        continue;
      }
      if (listed.contains(t.id())) {
        endpoints.setMissingPolls(t.id(), 0);
        continue;
      }
      int missing = t.missingPolls() + 1;
      if (missing < MISSING_POLLS_TO_FAIL) {
        endpoints.setMissingPolls(t.id(), missing);
        pending = true;
        continue;
      }
      fleets.failLost(
          t,
          "Agent "
              + agent.name()
              + " ("
              + agent.id()
              + ") restarted and no longer runs the replica "
              + t.id());
      placer.nudge();
    }
    if (!pending) {
      agents.clearRestarted(agent.id());
    }
  }

  private PollResponse collect(String agentId, List<String> running) {
    Instant now = clock.instant();
    List<TaskAssignment> assign = new ArrayList<>();
    Set<String> stop = new LinkedHashSet<>();
    for (TrainingTask t : jobs.liveTasksOn(agentId)) {
      if (t.stopRequested()) {
        if (due("stop:" + t.id(), now)) {
          stop.add(t.id());
        }
      } else if (!t.acknowledged() && due("assign:" + t.id(), now)) {
        assign.add(t.assignment());
      }
    }
    for (ServingTask t : endpoints.liveTasksOn(agentId)) {
      if (t.stopRequested()) {
        if (due("stop:" + t.id(), now)) {
          stop.add(t.id());
        }
      } else if (!t.acknowledged() && due("assign:" + t.id(), now)) {
        assign.add(t.assignment());
      }
    }
    if (!running.isEmpty()) {
      Set<String> wanted = new HashSet<>(jobs.liveTaskIds(running));
      wanted.addAll(endpoints.wantedTaskIds(running));
      for (String id : running) {
        if (!wanted.contains(id) && due("stop:" + id, now)) {
          stop.add(id);
        }
      }
    }
    return new PollResponse(List.copyOf(assign), List.copyOf(stop));
  }

  /**
   * True when an order (an assignment or a stop) should go out now: the first time, and again only
   * after {@link #RESEND_AFTER} without the agent acting on it. Without this, an agent whose
   * container takes its grace period to stop would get the same order back on every poll, in a
   * tight loop, for the whole grace period.
   */
  private boolean due(String order, Instant now) {
    if (lastSent.size() > 10_000) {
      lastSent.values().removeIf(t -> t.isBefore(now.minus(RESEND_AFTER.multipliedBy(10))));
    }
    Instant previous = lastSent.get(order);
    if (previous != null && now.isBefore(previous.plus(RESEND_AFTER))) {
      return false;
    }
    lastSent.put(order, now);
    return true;
  }

  @Override
  public void report(String taskId, TaskEvent event) {
    Outcome outcome = CasRetry.run(() -> tx.execute(s -> applyEvent(taskId, event)));
    if (outcome.freed()) {
      // queued jobs and fleets waiting for capacity both take freed capacity
      placer.nudge();
      fleets.nudge();
    } else if (outcome.serving()) {
      fleets.nudge();
    }
  }

  /** What an event did: freed capacity, and whether it was a serving task's. */
  private record Outcome(boolean freed, boolean serving) {}

  private Outcome applyEvent(String taskId, TaskEvent event) {
    Optional<TrainingTask> training = jobs.findTask(taskId);
    if (training.isEmpty()) {
      ServingTask serving = endpoints.findTask(taskId).orElseThrow(() -> taskNotFound(taskId));
      if (event.agentId() != null && !event.agentId().equals(serving.agentId())) {
        LOG.warn(
            "Ignoring an event for task {} from agent {}, not its agent", taskId, event.agentId());
        return new Outcome(false, false);
      }
      return new Outcome(fleets.applyEvent(serving, event), true);
    }
    return new Outcome(applyTrainingEvent(training.get(), event), false);
  }

  private static SagebrushException taskNotFound(String taskId) {
    return new SagebrushException(ErrorCode.RESOURCE_NOT_FOUND, "Task " + taskId + " not found");
  }

  /** Returns true when the task ended (capacity freed). */
  private boolean applyTrainingEvent(TrainingTask task, TaskEvent event) {
    String taskId = task.id();
    if (event.agentId() != null && !event.agentId().equals(task.agentId())) {
      LOG.warn(
          "Ignoring an event for task {} from agent {}, not its agent", taskId, event.agentId());
      return false;
    }
    if (!task.acknowledged()) {
      jobs.acknowledge(taskId);
    }
    if (task.ended()) {
      return false;
    }
    TrainingJob job = jobs.find(task.jobId()).orElseThrow();
    List<Action> actions =
        decider.onTaskEvent(
            job.state(),
            job.stopCause(),
            event.phase(),
            event.failureReason(),
            event.maxRuntimeExceeded());
    if (actions.isEmpty()) {
      return false;
    }
    Instant now = clock.instant();
    try {
      for (Action a : actions) {
        a.applyTo(job, now);
      }
    } catch (IllegalTransitionException e) {
      LOG.warn("Ignoring {} for task {}: {}", event.phase(), taskId, e.getMessage());
      return false;
    }
    jobs.save(job);
    if (job.state().terminal()) {
      jobs.endTask(taskId);
      scrapers.remove(job.id());
      return true;
    }
    return false;
  }

  /** Stores the lines and keeps the last value of each metric definition. */
  @Override
  public void appendLogs(String taskId, LogBatch batch) {
    if (batch == null || batch.lines() == null || batch.lines().isEmpty()) {
      return;
    }
    tx.executeWithoutResult(
        s -> {
          TrainingTask task = jobs.findTask(taskId).orElse(null);
          if (task == null) {
            ServingTask serving =
                endpoints.findTask(taskId).orElseThrow(() -> taskNotFound(taskId));
            String stream =
                batch.logStream() == null || batch.logStream().isBlank()
                    ? serving.assignment().hosts().get(0).logStream()
                    : batch.logStream();
            logs.append(FleetReconciler.logGroup(serving.endpointName()), stream, batch.lines());
            return;
          }
          String stream =
              batch.logStream() == null || batch.logStream().isBlank()
                  ? task.assignment().hosts().get(0).logStream()
                  : batch.logStream();
          logs.append(LogStore.TRAINING_JOBS_GROUP, stream, batch.lines());
          MetricScraper scraper =
              scrapers.computeIfAbsent(
                  task.jobId(),
                  id -> new MetricScraper(jobs.find(id).orElseThrow().spec().metricDefinitions()));
          if (scrapers.size() > 10_000) {
            scrapers.clear();
          }
          for (MetricValue v : scraper.scrape(batch.lines()).values()) {
            jobs.upsertMetric(task.jobId(), v.metricName(), v.value(), v.timestamp());
          }
        });
  }
}
