package io.sagebrush.agent.execution;

import io.sagebrush.agent.runtime.ContainerRuntime;
import io.sagebrush.agent.runtime.JobWorkspace;
import io.sagebrush.agent.runtime.LaunchedJob;
import io.sagebrush.agent.runtime.TaskRun;
import io.sagebrush.artifacts.adapter.s3.ArtifactStore;
import io.sagebrush.protocol.TaskAssignment;

/** What the stages of one task share. */
final class TaskContext {
  final TaskRun run;
  final ArtifactStore store;
  final ContainerRuntime runtime;
  final TaskReporter reporter;
  private volatile Boolean stopForMaxRuntime;
  volatile LaunchedJob launched;

  /** Serving: the address READY reported, null before. */
  volatile String readyAddress;

  RunOutcome outcome;

  /**
   * A thread of the task that was told to stop but had not ended when its stage gave up waiting (a
   * download blocked in a read or a file write, which interrupts do not end): the workspace must
   * not be deleted under it ({@link #awaitLingering}).
   */
  volatile Thread lingering;

  TaskContext(TaskRun run, ArtifactStore store, ContainerRuntime runtime, TaskReporter reporter) {
    this.run = run;
    this.store = store;
    this.runtime = runtime;
    this.reporter = reporter;
  }

  TaskAssignment task() {
    return run.task();
  }

  JobWorkspace workspace() {
    return run.workspace();
  }

  /** Records a stop; the first request decides whether it was the runtime limit. */
  synchronized void requestStop(boolean maxRuntime) {
    if (stopForMaxRuntime == null) {
      stopForMaxRuntime = maxRuntime;
    }
  }

  boolean stopRequested() {
    return stopForMaxRuntime != null;
  }

  /**
   * Waits up to {@code timeout} for the {@link #lingering} thread, if any, to end.
   *
   * @return true when none is left
   */
  boolean awaitLingering(java.time.Duration timeout) {
    Thread t = lingering;
    if (t == null) {
      return true;
    }
    try {
      t.join(Math.max(1, timeout.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (t.isAlive()) {
      return false;
    }
    lingering = null;
    return true;
  }

  boolean stoppedForMaxRuntime() {
    return Boolean.TRUE.equals(stopForMaxRuntime);
  }

  /**
   * How the hosts ended.
   *
   * @param stopped a stop order or the runtime limit ended them
   * @param failedHost the first host that exited non-zero, or null
   * @param exitCode that host's exit code, else algo-1's
   */
  record RunOutcome(boolean stopped, String failedHost, Integer exitCode) {}
}
