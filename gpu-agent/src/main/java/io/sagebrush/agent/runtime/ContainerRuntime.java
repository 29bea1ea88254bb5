package io.sagebrush.agent.runtime;

/**
 * Runs a task's hosts. Implementations: Docker (one container per host on a per-job network) and
 * local processes (script mode and built-in algorithms, one host).
 *
 * <p>Training: the caller (1) resolves the image, (2) downloads inputs and writes the config files
 * into the {@link JobWorkspace}, (3) launches, (4) watches {@link LaunchedHost#exitCode()},
 * signalling hosts to stop, and (5) closes the launched job. Serving: the same, with the model
 * unpacked into the host's {@link JobWorkspace#modelDir model dir} in step 2 and {@link #serve}
 * instead of {@link #launch} in step 3.
 */
public interface ContainerRuntime extends AutoCloseable {
  /** {@code docker} or {@code process}, as registered with the control plane. */
  String name();

  /**
   * Makes sure the task's image (or, for the process runtime, its program) can run.
   *
   * @throws StageFailure with a reason such as {@code ClientError: image x not found}
   */
  void resolveImage(TaskRun run, ObjectDownloader downloader);

  /**
   * Starts every host of the task. Output lines go to {@code logs} until each host ended.
   *
   * @throws StageFailure when a host cannot be started; hosts already started are removed
   */
  LaunchedJob launch(TaskRun run, LogSink logs);

  /**
   * Starts a serving task's one host as {@code <image> serve}: the host's model directory is {@code
   * /opt/ml/model}, the environment is the task's plus {@code SAGEMAKER_BIND_TO_PORT}, and the
   * server's port is published on {@code bindAddress} at a port the runtime picks. Output lines go
   * to {@code logs} until the host ended.
   *
   * @param bindAddress the local address to publish on, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
   * @throws StageFailure when the server cannot be started (e.g. the process runtime and an image
   *     that is no built-in algorithm); nothing is left running then
   */
  LaunchedServer serve(TaskRun run, String bindAddress, LogSink logs);

  /**
   * Removes what earlier runs of this agent left behind (e.g. containers of a crashed agent). Best
   * effort; never throws.
   */
  default void removeLeftovers(String agentId) {}

  @Override
  default void close() {}
}
