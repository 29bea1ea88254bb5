package io.sagebrush.agent;

import io.sagebrush.agent.capacity.CapacityProbe;
import io.sagebrush.agent.capacity.HostCapacity;
import io.sagebrush.agent.controlplane.Backoff;
import io.sagebrush.agent.controlplane.ControlPlaneClient;
import io.sagebrush.agent.controlplane.ControlPlaneException;
import io.sagebrush.agent.controlplane.TaskOutbox;
import io.sagebrush.agent.execution.Execution;
import io.sagebrush.agent.execution.ServingExecution;
import io.sagebrush.agent.execution.ServingSettings;
import io.sagebrush.agent.execution.TaskExecution;
import io.sagebrush.agent.runtime.ContainerRuntime;
import io.sagebrush.agent.runtime.adapter.docker.DockerRuntime;
import io.sagebrush.agent.runtime.adapter.process.ProcessRuntime;
import io.sagebrush.artifacts.adapter.s3.ArtifactStore;
import io.sagebrush.protocol.AgentRegistration;
import io.sagebrush.protocol.PollRequest;
import io.sagebrush.protocol.PollResponse;
import io.sagebrush.protocol.RegistrationResponse;
import io.sagebrush.protocol.StorageSettings;
import io.sagebrush.protocol.TaskAssignment;
import io.sagebrush.protocol.TaskEvent;
import io.sagebrush.protocol.TaskKind;
import io.sagebrush.protocol.TaskPhase;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker agent: registers its capacity with the control plane, long-polls for tasks, runs them
 * with its container runtime and reports events and logs.
 *
 * <ol>
 *   <li>{@link #start()} registers in the background, retrying with backoff until the control plane
 *       answers; the agent id is kept in {@code <workDir>/agent-id} so a restart keeps it.
 *   <li>The poll loop sends the ids of tasks it still runs: until the end is delivered and the
 *       task's containers are removed, whichever comes last. A 404 means the control plane forgot
 *       the agent: it registers again with the same id. Network errors back off and retry forever;
 *       running tasks carry on meanwhile.
 *   <li>Each assigned task runs as a {@link TaskExecution} (training) or a {@link ServingExecution}
 *       (an endpoint replica, which runs until a stop order or its failure); its events and logs go
 *       through a {@link TaskOutbox} that retries until they are accepted.
 * </ol>
 */
public final class Agent implements AutoCloseable {
  static final String VERSION = "0.1.0";
  private static final Logger log = LoggerFactory.getLogger(Agent.class);
  private static final Duration DEFAULT_POLL_WAIT = Duration.ofSeconds(20);
  private static final Duration LOG_FLUSH = Duration.ofMillis(250);
  private static final Duration FINISHED_MEMORY = Duration.ofHours(1);

  private final AgentConfig config;
  private final ContainerRuntime runtime;
  private final ControlPlaneClient client;
  private final ServingSettings servingSettings;
  private final ExecutorService tasksPool = Executors.newCachedThreadPool(threads("task"));
  private final ExecutorService deliveryPool = Executors.newCachedThreadPool(threads("outbox"));
  private final ScheduledExecutorService timer =
      Executors.newScheduledThreadPool(1, threads("timer"));
  private final Map<String, RunningTask> tasks = new ConcurrentHashMap<>();
  private final Map<String, Instant> finished = new ConcurrentHashMap<>();

  private volatile Thread loop;
  private volatile boolean running;
  private volatile boolean registered;
  private volatile String agentId;
  private volatile Duration pollWait = DEFAULT_POLL_WAIT;
  private volatile StorageSettings storageSettings;
  private volatile ArtifactStore store;
  private boolean leftoversRemoved;

  private record RunningTask(Execution execution, TaskOutbox outbox) {}

  /**
   * Forgets a task once both its terminal event was delivered and its execution returned (its
   * containers removed), in either order: until then its id goes out with every poll.
   */
  private final class Ending {
    private final String taskId;
    private int pending;

    Ending(String taskId, int pending) {
      this.taskId = taskId;
      this.pending = pending;
    }

    synchronized void done() {
      if (--pending == 0) {
        finished.put(taskId, Instant.now());
        tasks.remove(taskId);
      }
    }
  }

  /** Creates the agent and resolves its runtime ({@code auto} pings the Docker engine). */
  public Agent(AgentConfig config) {
    this(config, resolveRuntime(config));
  }

  /** Creates an agent with the given runtime (for tests and embedders). */
  public Agent(AgentConfig config, ContainerRuntime runtime) {
    this.config = config;
    this.runtime = runtime;
    this.client = new ControlPlaneClient(config.controlPlaneUrl(), config.token());
    this.servingSettings = ServingSettings.of(config.advertiseHost(), config.bindAddress());
    this.agentId = readAgentId(config.agentIdFile());
  }

  private static ContainerRuntime resolveRuntime(AgentConfig config) {
    switch (config.runtime()) {
      case AgentConfig.RUNTIME_PROCESS:
        return new ProcessRuntime(config.pythonCommand());
      case AgentConfig.RUNTIME_DOCKER:
        return DockerRuntime.connect(config.dockerHost());
      default:
        DockerRuntime docker = DockerRuntime.connect(config.dockerHost());
        if (docker.ping()) {
          log.info("Docker engine answers: using the docker runtime");
          return docker;
        }
        docker.close();
        log.info("No Docker engine answers: using the process runtime");
        return new ProcessRuntime(config.pythonCommand());
    }
  }

  /** Starts registering and polling in the background. Returns at once; idempotent. */
  public synchronized void start() {
    if (loop != null) {
      return;
    }
    running = true;
    timer.scheduleAtFixedRate(
        this::flushLogs, LOG_FLUSH.toMillis(), LOG_FLUSH.toMillis(), TimeUnit.MILLISECONDS);
    Thread t = new Thread(this::runLoop, "sagebrush-agent-loop");
    t.setDaemon(true);
    loop = t;
    t.start();
  }

  /** True once the control plane accepted the registration (false again while re-registering). */
  public boolean isRegistered() {
    return registered;
  }

  /** The runtime in use: {@code docker} or {@code process}. */
  public String runtimeName() {
    return runtime.name();
  }

  /** The id the control plane gave, or null before the first registration. */
  public String agentId() {
    return agentId;
  }

  /** Ids of tasks running, still being cleaned up, or whose end is not delivered yet. */
  public List<String> activeTaskIds() {
    return new ArrayList<>(tasks.keySet());
  }

  /**
   * Stops polling, stops running tasks (containers are removed; what is still there after the
   * tasks' wait is removed by force) and releases resources. Events not yet delivered are dropped.
   */
  @Override
  public void close() {
    synchronized (this) {
      running = false;
      Thread t = loop;
      if (t != null) {
        t.interrupt();
      }
    }
    tasks.values().stream().filter(t -> t.execution() != null).forEach(t -> t.execution().stop());
    tasksPool.shutdown();
    try {
      if (!tasksPool.awaitTermination(5, TimeUnit.SECONDS)) {
        tasksPool.shutdownNow();
        tasksPool.awaitTermination(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    tasks.values().forEach(t -> t.outbox().close());
    deliveryPool.shutdownNow();
    timer.shutdownNow();
    String id = agentId;
    if (id != null) {
      // a task that did not end in time (a container that ignores SIGTERM within a long stop
      // grace) leaves its container: nothing of this agent's may outlive it
      runtime.removeLeftovers(id);
    }
    runtime.close();
    ArtifactStore s = store;
    if (s != null) {
      try {
        s.close();
      } catch (Exception e) {
        log.debug("Closing the artifact store: {}", e.toString());
      }
    }
  }

  private void runLoop() {
    Backoff backoff = new Backoff(Duration.ofMillis(200), config.retryMaxBackoff());
    HostCapacity capacity =
        new CapacityProbe(config.nvidiaSmiCommand()).probe(config.cpus(), config.memoryMb());
    log.info(
        "Agent offers {} CPUs, {} MiB, {} GPUs with the {} runtime",
        capacity.cpus(),
        capacity.memoryMb(),
        capacity.gpus().size(),
        runtime.name());
    boolean warned = false;
    while (running) {
      try {
        if (!registered) {
          register(capacity);
          backoff.reset();
          warned = false;
        }
        long started = System.nanoTime();
        PollResponse response = client.poll(agentId, new PollRequest(activeTaskIds()), pollWait);
        backoff.reset();
        warned = false;
        boolean empty = handle(response);
        if (empty && System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(100)) {
          Thread.sleep(200);
        }
      } catch (ControlPlaneException e) {
        if (e.isNotFound() && registered) {
          log.info("The control plane does not know agent {}; registering again", agentId);
          registered = false;
          continue;
        }
        warned = warn(warned, e.getMessage());
        if (!pause(backoff)) {
          return;
        }
      } catch (IOException e) {
        if (!running) {
          return;
        }
        warned = warn(warned, "control plane " + config.controlPlaneUrl() + " unreachable: " + e);
        if (!pause(backoff)) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.error("Agent loop error", e);
        if (!pause(backoff)) {
          return;
        }
      }
    }
  }

  private static boolean warn(boolean warned, String message) {
    if (!warned) {
      log.warn("{}; retrying", message);
    } else {
      log.debug("{}; retrying", message);
    }
    return true;
  }

  private boolean pause(Backoff backoff) {
    try {
      backoff.pause();
      return running;
    } catch (InterruptedException e) {
      return false;
    }
  }

  private void register(HostCapacity capacity) throws IOException {
    AgentRegistration registration =
        new AgentRegistration(
            agentId,
            config.name() != null ? config.name() : hostName(),
            capacity.cpus(),
            capacity.memoryMb(),
            capacity.gpus(),
            runtime.name(),
            VERSION);
    RegistrationResponse response = client.register(registration);
    String id = response.agentId();
    if (id == null || id.isBlank()) {
      throw new ControlPlaneException(500, "registration answered without an agent id");
    }
    if (!id.equals(agentId)) {
      writeAgentId(config.agentIdFile(), id);
    }
    agentId = id;
    if (response.pollTimeoutMillis() > 0) {
      pollWait = Duration.ofMillis(response.pollTimeoutMillis());
    }
    useStorage(config.storageOverride() != null ? config.storageOverride() : response.storage());
    if (!leftoversRemoved && tasks.isEmpty()) {
      runtime.removeLeftovers(id);
      leftoversRemoved = true;
    }
    registered = true;
    // a control plane that forgot this agent learns again where its replicas serve
    tasks.values().stream()
        .filter(t -> t.execution() != null)
        .forEach(t -> t.execution().reannounce());
    log.info("Registered with {} as agent {}", config.controlPlaneUrl(), id);
  }

  private synchronized void useStorage(StorageSettings settings) {
    if (settings == null || settings.equals(storageSettings)) {
      return;
    }
    ArtifactStore previous = store;
    store = ArtifactStore.connect(settings);
    storageSettings = settings;
    if (previous != null && tasks.isEmpty()) {
      try {
        previous.close();
      } catch (Exception e) {
        log.debug("Closing the previous artifact store: {}", e.toString());
      }
    }
  }

  /** Applies a poll answer; true when it carried nothing. */
  private boolean handle(PollResponse response) {
    List<TaskAssignment> assign = response.assign() == null ? List.of() : response.assign();
    List<String> stop = response.stop() == null ? List.of() : response.stop();
    for (TaskAssignment task : assign) {
      accept(task);
    }
    for (String taskId : stop) {
      RunningTask task = tasks.get(taskId);
      if (task != null && task.execution() != null) {
        log.info("Stop order for task {}", taskId);
        task.execution().stop();
      }
    }
    pruneFinished();
    return assign.isEmpty() && stop.isEmpty();
  }

  private void accept(TaskAssignment task) {
    String taskId = task.taskId();
    if (!running) {
      // closing: the control plane hands the task out again to whoever polls next
      return;
    }
    if (tasks.containsKey(taskId) || finished.containsKey(taskId)) {
      return;
    }
    Ending ending = new Ending(taskId, 2);
    TaskOutbox outbox =
        new TaskOutbox(
            taskId, agentId, client, deliveryPool, config.retryMaxBackoff(), ending::done);
    ArtifactStore s = store;
    boolean serving = task.kind() == TaskKind.SERVING;
    log.info(
        "Accepted {} task {} (job {}, image {})",
        serving ? "serving" : "training",
        taskId,
        task.jobName(),
        task.image());
    outbox.accepted();
    if (s == null) {
      tasks.put(taskId, new RunningTask(null, outbox));
      ending.done();
      outbox.finish(
          new TaskEvent(
              agentId,
              TaskPhase.FAILED,
              Instant.now(),
              serving ? "Serving failed" : "Training job failed",
              null,
              "InternalServerError: the agent has no S3 storage settings",
              false));
      return;
    }
    Path jobDir = config.workDir().resolve("jobs").resolve(safe(taskId));
    Execution execution =
        serving
            ? new ServingExecution(
                agentId,
                task,
                jobDir,
                s,
                runtime,
                outbox,
                servingSettings,
                config.keepJobDirectories())
            : new TaskExecution(
                agentId, task, jobDir, s, runtime, outbox, timer, config.keepJobDirectories());
    tasks.put(taskId, new RunningTask(execution, outbox));
    tasksPool.execute(
        () -> {
          try {
            execution.run();
          } finally {
            // the lines a failed replica wrote after its end was reported
            outbox.flush();
            ending.done();
          }
        });
  }

  private void flushLogs() {
    for (RunningTask t : tasks.values()) {
      try {
        t.outbox().flush();
      } catch (RuntimeException e) {
        log.debug("Log flush failed: {}", e.toString());
      }
    }
  }

  private void pruneFinished() {
    Instant cutoff = Instant.now().minus(FINISHED_MEMORY);
    finished.values().removeIf(at -> at.isBefore(cutoff));
  }

  private static String safe(String id) {
    return id.replaceAll("[^A-Za-z0-9_.-]", "_");
  }

  private static String readAgentId(Path file) {
    try {
      if (Files.isRegularFile(file)) {
        String id = Files.readString(file, StandardCharsets.UTF_8).trim();
        return id.isEmpty() ? null : id;
      }
    } catch (IOException e) {
      log.warn("Could not read the agent id from {}: {}", file, e.toString());
    }
    return null;
  }

  private static void writeAgentId(Path file, String id) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
      Files.move(
          tmp,
          file,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      log.warn("Could not persist the agent id in {}: {}", file, e.toString());
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "agent";
    }
  }

  private static ThreadFactory threads(String kind) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "sagebrush-agent-" + kind + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
