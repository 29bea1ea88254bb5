package io.sagebrush.agent.execution;

import io.sagebrush.agent.runtime.ContainerRuntime;
import io.sagebrush.agent.runtime.JobWorkspace;
import io.sagebrush.agent.runtime.LaunchedJob;
import io.sagebrush.agent.runtime.SageMakerEnvironment;
import io.sagebrush.agent.runtime.StageFailure;
import io.sagebrush.agent.runtime.TaskRun;
import io.sagebrush.artifacts.adapter.s3.ArtifactStore;
import io.sagebrush.protocol.ServingSpec;
import io.sagebrush.protocol.TaskAssignment;
import io.sagebrush.protocol.TaskEvent;
import io.sagebrush.protocol.TaskPhase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one serving task (an endpoint replica) until it is stopped or fails, and reports it.
 *
 * <ol>
 *   <li>PULLING_IMAGE: {@link ResolveImageStage}, as for training
 *   <li>DOWNLOADING: {@link DownloadModelStage} into the host's {@code /opt/ml/model}
 *   <li>RUNNING, then READY with the address: {@link ServeContainerStage}, which keeps watching
 *   <li>STOPPED after a stop order, or FAILED with a reason, exactly once
 * </ol>
 *
 * A serving task never ends on its own: only a stop order or a failure ends it. The container is
 * removed in every case: after a stop order before STOPPED is reported (it ended with the task's
 * stop grace), after a failure once FAILED is reported (with a short grace), so that the control
 * plane stops routing to a failed replica and places its replacement without waiting for it.
 * Container log lines written while a failed replica ends may follow FAILED. No READY follows the
 * terminal event.
 */
public final class ServingExecution implements Execution {
  static final long DEFAULT_DOWNLOAD_TIMEOUT_SECONDS = 3600;

  /**
   * How long the workspace's deletion waits for an abandoned model download that interrupts did not
   * end (an object in flight completes, or the S3 client's read timeout ends it).
   */
  static final Duration LINGERING_WAIT = Duration.ofMinutes(5);

  private static final Logger log = LoggerFactory.getLogger(ServingExecution.class);

  private final TaskContext context;
  private final ServingSettings settings;
  private final Clock clock = Clock.systemUTC();
  private final boolean keepWorkspace;
  private final String agentId;
  private boolean finished;

  /**
   * @param agentId the agent running the task
   * @param task a task of kind SERVING
   * @param jobDir the task's directory (created, and deleted at the end unless kept)
   * @param store the S3 store the model data comes from
   * @param runtime the container runtime
   * @param reporter receives phases, logs, READY and the terminal event
   * @param settings how replicas are published and health-checked
   * @param keepWorkspace keep the task directory after the end
   */
  public ServingExecution(
      String agentId,
      TaskAssignment task,
      Path jobDir,
      ArtifactStore store,
      ContainerRuntime runtime,
      TaskReporter reporter,
      ServingSettings settings,
      boolean keepWorkspace) {
    this.agentId = agentId;
    this.context =
        new TaskContext(
            new TaskRun(agentId, task, new JobWorkspace(jobDir)), store, runtime, reporter);
    this.settings = settings;
    this.keepWorkspace = keepWorkspace;
  }

  @Override
  public String taskId() {
    return context.task().taskId();
  }

  @Override
  public void stop() {
    context.requestStop(false);
  }

  @Override
  public void reannounce() {
    synchronized (this) {
      String address = context.readyAddress;
      if (address != null && !finished) {
        context.reporter.ready(address, "Still serving at " + address);
      }
    }
  }

  @Override
  public void run() {
    TaskEvent result;
    try {
      result = execute();
    } catch (StageFailure f) {
      result = context.stopRequested() ? stopped() : failed(f.getMessage());
    } catch (RuntimeException e) {
      log.error("Serving task {} failed unexpectedly", taskId(), e);
      result =
          context.stopRequested()
              ? stopped()
              : failed("InternalServerError: the agent failed to run the model: " + e);
    }
    try {
      if (result.phase() == TaskPhase.FAILED) {
        // the control plane takes the replica out of routing and places another one at once;
        // the container is ended afterwards, quickly
        announce(result);
        cleanUp(true);
      } else {
        // STOPPED means the container is gone
        cleanUp(false);
        announce(result);
      }
    } finally {
      if (!context.awaitLingering(LINGERING_WAIT)) {
        log.warn(
            "The model download of serving task {} still runs after {}; deleting its workspace"
                + " anyway",
            taskId(),
            LINGERING_WAIT);
      }
      if (!keepWorkspace) {
        context.workspace().delete();
      }
    }
  }

  private void announce(TaskEvent result) {
    synchronized (this) {
      // no READY may follow the terminal event
      finished = true;
      context.reporter.finish(result);
    }
  }

  /**
   * Removes the container. After a failure it is ended first with the short {@link
   * ServeContainerStage#FAILED_GRACE}; a stop order already ended it with the task's stop grace.
   */
  private void cleanUp(boolean failed) {
    LaunchedJob launched = context.launched;
    if (launched == null) {
      return;
    }
    try {
      if (failed) {
        ServeContainerStage.endFailed(launched);
      }
    } catch (RuntimeException e) {
      log.warn("Could not end the container of serving task {}: {}", taskId(), e.toString());
    } finally {
      try {
        launched.close();
      } catch (RuntimeException e) {
        log.warn("Could not clean up serving task {}: {}", taskId(), e.toString());
      }
    }
  }

  private TaskEvent execute() {
    TaskAssignment task = context.task();
    ServingSpec spec = task.serving();
    if (spec == null || task.hosts() == null || task.hosts().isEmpty()) {
      return failed("InternalServerError: the serving task carries no model or host to serve");
    }
    context.workspace().delete();
    context.workspace().create(SageMakerEnvironment.hostNames(task));
    if (context.stopRequested()) {
      return stopped();
    }
    context.reporter.phase(TaskPhase.PULLING_IMAGE, "Preparing image " + task.image());
    StageRunner.run(new ResolveImageStage(), context);
    if (context.stopRequested()) {
      return stopped();
    }
    long budget =
        spec.downloadTimeoutSeconds() > 0
            ? spec.downloadTimeoutSeconds()
            : DEFAULT_DOWNLOAD_TIMEOUT_SECONDS;
    context.reporter.phase(
        TaskPhase.DOWNLOADING,
        spec.modelDataUrl() == null
            ? "The model has no model data"
            : "Downloading model data from " + spec.modelDataUrl());
    StageRunner.run(
        new DownloadModelStage(System.nanoTime() + Duration.ofSeconds(budget).toNanos(), budget),
        context);
    if (context.stopRequested()) {
      return stopped();
    }
    // returns on a stop order only; a failure throws
    StageRunner.run(new ServeContainerStage(settings), context);
    return stopped();
  }

  private TaskEvent stopped() {
    Integer exit = context.outcome == null ? null : context.outcome.exitCode();
    return new TaskEvent(
        agentId, TaskPhase.STOPPED, clock.instant(), "Serving stopped", exit, null, false);
  }

  private TaskEvent failed(String reason) {
    Integer exit = context.outcome == null ? null : context.outcome.exitCode();
    return new TaskEvent(
        agentId, TaskPhase.FAILED, clock.instant(), "Serving failed", exit, reason, false);
  }
}
