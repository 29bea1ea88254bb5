package io.sagebrush.agent.execution;

import io.sagebrush.agent.runtime.ContainerRuntime;
import io.sagebrush.agent.runtime.JobWorkspace;
import io.sagebrush.agent.runtime.LaunchedJob;
import io.sagebrush.agent.runtime.StageFailure;
import io.sagebrush.agent.runtime.TaskRun;
import io.sagebrush.artifacts.adapter.s3.ArtifactStore;
import io.sagebrush.protocol.TaskAssignment;
import io.sagebrush.protocol.TaskEvent;
import io.sagebrush.protocol.TaskPhase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one task to its end and reports it.
 *
 * <ol>
 *   <li>PULLING_IMAGE: {@link ResolveImageStage}
 *   <li>DOWNLOADING: {@link DownloadInputsStage}, then {@link WriteConfigStage}
 *   <li>RUNNING: {@link RunContainerStage}
 *   <li>UPLOADING: {@link UploadOutputsStage} (after success, and after a stop for what exists)
 *   <li>SUCCEEDED, FAILED (with a failure reason) or STOPPED, exactly once
 * </ol>
 *
 * A stop order ({@link #requestStop}) or the task's maximum runtime stops it at any point. Stage
 * failures marked retryable are tried again, with backoff, up to {@link Stage#attempts()} times.
 */
public final class TaskExecution implements Execution {
  private static final int FAILURE_REASON_LIMIT = 1024;
  private static final Logger log = LoggerFactory.getLogger(TaskExecution.class);

  private final TaskContext context;
  private final ScheduledExecutorService timer;
  private final Clock clock;
  private final boolean keepWorkspace;
  private final String agentId;

  /**
   * @param agentId the agent running the task
   * @param task the task
   * @param jobDir the task's directory (created, and deleted at the end unless kept)
   * @param store the S3 store for inputs and outputs
   * @param runtime the container runtime
   * @param reporter receives phases, logs and the terminal event
   * @param timer schedules the maximum-runtime stop
   * @param keepWorkspace keep the job directory after the end
   */
  public TaskExecution(
      String agentId,
      TaskAssignment task,
      Path jobDir,
      ArtifactStore store,
      ContainerRuntime runtime,
      TaskReporter reporter,
      ScheduledExecutorService timer,
      boolean keepWorkspace) {
    this.agentId = agentId;
    this.context =
        new TaskContext(
            new TaskRun(agentId, task, new JobWorkspace(jobDir)), store, runtime, reporter);
    this.timer = timer;
    this.clock = Clock.systemUTC();
    this.keepWorkspace = keepWorkspace;
  }

  @Override
  public String taskId() {
    return context.task().taskId();
  }

  @Override
  public void stop() {
    requestStop(false);
  }

  /**
   * Stops the task (SIGTERM, grace, SIGKILL once containers run). Idempotent; the first request
   * decides whether the stop counts as the runtime limit.
   *
   * @param maxRuntime true when the maximum runtime was reached
   */
  public void requestStop(boolean maxRuntime) {
    context.requestStop(maxRuntime);
  }

  @Override
  public void run() {
    TaskAssignment task = context.task();
    ScheduledFuture<?> limit = null;
    if (task.maxRuntimeSeconds() > 0) {
      limit =
          timer.schedule(
              () -> {
                log.info(
                    "Task {} reached its maximum runtime of {} s",
                    taskId(),
                    task.maxRuntimeSeconds());
                requestStop(true);
              },
              task.maxRuntimeSeconds(),
              TimeUnit.SECONDS);
    }
    TaskEvent result;
    try {
      result = execute();
    } catch (StageFailure f) {
      result = context.stopRequested() ? stopped("") : failed(f.getMessage(), null);
    } catch (RuntimeException e) {
      log.error("Task {} failed unexpectedly", taskId(), e);
      result =
          context.stopRequested()
              ? stopped("")
              : failed("InternalServerError: the agent failed to run the task: " + e, null);
    } finally {
      if (limit != null) {
        limit.cancel(false);
      }
      LaunchedJob launched = context.launched;
      if (launched != null) {
        try {
          launched.close();
        } catch (RuntimeException e) {
          log.warn("Could not clean up task {}: {}", taskId(), e.toString());
        }
      }
    }
    try {
      context.reporter.finish(result);
    } finally {
      if (!keepWorkspace) {
        context.workspace().delete();
      }
    }
  }

  private TaskEvent execute() {
    TaskAssignment task = context.task();
    // a directory left by an earlier run of the same task must not leak into this one
    context.workspace().delete();
    context.workspace().create(hostNames(task));
    if (context.stopRequested()) {
      return stopped("");
    }
    context.reporter.phase(TaskPhase.PULLING_IMAGE, "Preparing image " + task.image());
    runStage(new ResolveImageStage());
    if (context.stopRequested()) {
      return stopped("");
    }
    context.reporter.phase(TaskPhase.DOWNLOADING, "Downloading input data");
    runStage(new DownloadInputsStage());
    runStage(new WriteConfigStage());
    if (context.stopRequested()) {
      return stopped("");
    }
    // RunContainerStage reports RUNNING once the containers exist
    runStage(new RunContainerStage());
    TaskContext.RunOutcome outcome = context.outcome;
    if (outcome.failedHost() != null) {
      return failed(failureReason(outcome.failedHost(), outcome.exitCode()), outcome.exitCode());
    }
    context.reporter.phase(TaskPhase.UPLOADING, "Uploading generated training model");
    if (outcome.stopped()) {
      String note = "";
      try {
        runStage(new UploadOutputsStage());
      } catch (StageFailure f) {
        note = " (" + f.getMessage() + ")";
      }
      return stopped(note);
    }
    runStage(new UploadOutputsStage());
    return new TaskEvent(
        agentId,
        TaskPhase.SUCCEEDED,
        clock.instant(),
        "Training job completed",
        outcome.exitCode(),
        null,
        false);
  }

  private void runStage(Stage stage) {
    StageRunner.run(stage, context);
  }

  private String failureReason(String host, Integer exitCode) {
    Path failure = context.workspace().failureFile(host);
    try {
      if (Files.isRegularFile(failure)) {
        String text = Files.readString(failure, StandardCharsets.UTF_8);
        if (!text.isBlank()) {
          return text.length() > FAILURE_REASON_LIMIT
              ? text.substring(0, FAILURE_REASON_LIMIT)
              : text;
        }
      }
    } catch (IOException e) {
      log.warn("Could not read {}: {}", failure, e.toString());
    }
    return "AlgorithmError: container for " + host + " exited with code " + exitCode;
  }

  private TaskEvent stopped(String note) {
    boolean maxRuntime = context.stoppedForMaxRuntime();
    String message =
        (maxRuntime ? "Training job stopped: MaxRuntimeInSeconds exceeded" : "Training job stopped")
            + note;
    Integer exit = context.outcome == null ? null : context.outcome.exitCode();
    return new TaskEvent(
        agentId, TaskPhase.STOPPED, clock.instant(), message, exit, null, maxRuntime);
  }

  private TaskEvent failed(String reason, Integer exitCode) {
    return new TaskEvent(
        agentId, TaskPhase.FAILED, clock.instant(), "Training job failed", exitCode, reason, false);
  }

  private static List<String> hostNames(TaskAssignment task) {
    return task.hosts().stream().map(h -> h.hostName()).toList();
  }
}
