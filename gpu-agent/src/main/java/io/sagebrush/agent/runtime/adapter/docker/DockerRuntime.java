package io.sagebrush.agent.runtime.adapter.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.sagebrush.agent.runtime.ContainerRuntime;
import io.sagebrush.agent.runtime.JobWorkspace;
import io.sagebrush.agent.runtime.LaunchedHost;
import io.sagebrush.agent.runtime.LaunchedJob;
import io.sagebrush.agent.runtime.LaunchedServer;
import io.sagebrush.agent.runtime.LogSink;
import io.sagebrush.agent.runtime.ObjectDownloader;
import io.sagebrush.agent.runtime.SageMakerEnvironment;
import io.sagebrush.agent.runtime.StageFailure;
import io.sagebrush.agent.runtime.TaskRun;
import io.sagebrush.agent.runtime.adapter.process.BuiltInImages;
import io.sagebrush.protocol.HostSpec;
import io.sagebrush.protocol.TaskAssignment;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each host of a task as a Docker container.
 *
 * <p>Per task: (1) a user-defined bridge network {@code sagebrush-<job>-<task>}; (2) per host a
 * container with hostname and network alias {@code algo-N}, the host's job directories bind-mounted
 * on {@code /opt/ml/input}, {@code /opt/ml/model}, {@code /opt/ml/output} and {@code
 * /opt/ml/checkpoints}, the SM_* environment, CPU and memory limits clamped to the engine's host,
 * GPU device requests, and labels {@code sagebrush.*}; (3) followed logs; (4) on close, containers
 * and network are removed.
 *
 * <p>A serving task gets one container on the default bridge network, started with {@code serve},
 * its port published on the agent's bind address ({@link #serve}).
 *
 * <p>Bind mounts use the agent's paths: an agent that itself runs in a container must see its work
 * directory at the same path as the Docker host does.
 */
public final class DockerRuntime implements ContainerRuntime {
  /** The Engine API version the agent speaks (Debian's dockerd 20.10 offers 1.41). */
  public static final String API_VERSION = "1.41";

  public static final String LABEL_TASK = "sagebrush.task-id";
  public static final String LABEL_JOB = "sagebrush.job";
  public static final String LABEL_HOST = "sagebrush.host";
  public static final String LABEL_AGENT = "sagebrush.agent-id";
  public static final String LABEL_KIND = "sagebrush.kind";

  private static final Logger log = LoggerFactory.getLogger(DockerRuntime.class);
  private static final long MIB = 1024L * 1024L;

  private final DockerClient docker;
  private final Duration pullTimeout;
  private volatile Info info;

  /** A runtime over {@code docker} (tests wrap the client to inject engine failures). */
  DockerRuntime(DockerClient docker, Duration pullTimeout) {
    this.docker = docker;
    this.pullTimeout = pullTimeout;
  }

  /**
   * Connects to the engine at {@code dockerHost} (null = {@code DOCKER_HOST}, else {@code
   * unix:///var/run/docker.sock}) with API version {@value #API_VERSION}. Does not contact it.
   */
  public static DockerRuntime connect(String dockerHost) {
    DefaultDockerClientConfig.Builder builder =
        DefaultDockerClientConfig.createDefaultConfigBuilder().withApiVersion(API_VERSION);
    String host = dockerHost;
    if (host == null || host.isBlank()) {
      host = System.getenv("DOCKER_HOST");
    }
    builder.withDockerHost(host == null || host.isBlank() ? "unix:///var/run/docker.sock" : host);
    DockerClientConfig config = builder.build();
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .maxConnections(200)
            .connectionTimeout(Duration.ofSeconds(10))
            .build();
    return new DockerRuntime(DockerClientImpl.getInstance(config, http), Duration.ofMinutes(10));
  }

  /** True when the engine answers a ping. */
  public boolean ping() {
    try {
      docker.pingCmd().exec();
      return true;
    } catch (RuntimeException e) {
      log.debug("Docker engine does not answer: {}", e.toString());
      return false;
    }
  }

  @Override
  public String name() {
    return "docker";
  }

  /**
   * The image a task runs: SageMaker's built-in algorithm images (and the {@code sagebrush/<name>}
   * aliases) run as the local {@code sagebrush/<name>:1} that {@code algorithms/build-image.sh}
   * builds; any other image as named.
   */
  static String localImage(String image) {
    return BuiltInImages.algorithmOf(image).map(a -> "sagebrush/" + a + ":1").orElse(image);
  }

  @Override
  public void resolveImage(TaskRun run, ObjectDownloader downloader) {
    if (run.task().image() == null || run.task().image().isBlank()) {
      throw StageFailure.fatal("ClientError: the task names no image");
    }
    String image = localImage(run.task().image());
    try {
      docker.inspectImageCmd(image).exec();
      return;
    } catch (NotFoundException e) {
      log.info("Image {} is not on this host; trying to pull it", image);
    } catch (RuntimeException e) {
      throw StageFailure.retryable(
          "InternalServerError: the Docker engine could not inspect image " + image + ": " + e, e);
    }
    try {
      boolean done =
          docker
              .pullImageCmd(image)
              .exec(new PullImageResultCallback())
              .awaitCompletion(pullTimeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        throw StageFailure.fatal(
            "ClientError: image "
                + image
                + " not found: pulling it took longer than "
                + pullTimeout);
      }
      docker.inspectImageCmd(image).exec();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw StageFailure.fatal("ClientError: image " + image + " not found: pull interrupted", e);
    } catch (StageFailure e) {
      throw e;
    } catch (RuntimeException e) {
      String hint =
          image.equals(run.task().image())
              ? ""
              : " (the built-in algorithm image for "
                  + run.task().image()
                  + "; build it on the agent host with algorithms/build-image.sh)";
      throw StageFailure.fatal(
          "ClientError: image "
              + image
              + " not found on the agent host and it could not be pulled"
              + hint
              + ": "
              + firstLine(e.getMessage()),
          e);
    }
  }

  @Override
  public LaunchedJob launch(TaskRun run, LogSink logs) {
    TaskAssignment task = run.task();
    String network = networkName(task);
    DockerJob job = new DockerJob(network);
    boolean handedOver = false;
    try {
      docker
          .createNetworkCmd()
          .withName(network)
          .withDriver("bridge")
          .withCheckDuplicate(true)
          .withLabels(labels(run, null))
          .exec();
      job.networkCreated = true;
      for (HostSpec host : task.hosts()) {
        job.hosts.add(createHost(run, host, network, logs));
      }
      for (DockerHost host : job.hosts) {
        docker.startContainerCmd(host.containerId).exec();
        host.followLogs();
      }
      handedOver = true;
      return job;
    } catch (DockerException | IllegalArgumentException e) {
      throw StageFailure.fatal(
          "ClientError: could not start the containers of image "
              + task.image()
              + ": "
              + firstLine(e.getMessage()),
          e);
    } catch (RuntimeException e) {
      throw StageFailure.fatal(
          "InternalServerError: the Docker engine failed while starting the containers of image "
              + task.image()
              + ": "
              + firstLine(String.valueOf(e)),
          e);
    } finally {
      if (!handedOver) {
        int created = job.hosts.size();
        if (job.networkCreated && created < task.hosts().size()) {
          // the container being created when it failed may exist without its id coming back
          removeContainer(network + "-" + task.hosts().get(created).hostName());
        }
        job.close();
      }
    }
  }

  private DockerHost createHost(TaskRun run, HostSpec host, String network, LogSink logs) {
    TaskAssignment task = run.task();
    JobWorkspace ws = run.workspace();
    String name = host.hostName();
    Info engine = engineInfo();
    int cpus = (int) Math.max(1, Math.ceil(task.resources() == null ? 1 : task.resources().cpus()));
    if (engine.getNCPU() != null && engine.getNCPU() > 0) {
      cpus = Math.min(cpus, engine.getNCPU());
    }
    Map<String, String> env = SageMakerEnvironment.forHost(task, host, "/opt/ml", cpus);
    List<String> envList = new ArrayList<>();
    env.forEach((k, v) -> envList.add(k + "=" + v));

    HostConfig hostConfig =
        HostConfig.newHostConfig()
            .withNetworkMode(network)
            .withBinds(
                new Bind(ws.inputDir(name).toString(), new Volume("/opt/ml/input")),
                new Bind(ws.modelDir(name).toString(), new Volume("/opt/ml/model")),
                new Bind(ws.outputDir(name).toString(), new Volume("/opt/ml/output")),
                new Bind(ws.checkpointDir(name).toString(), new Volume("/opt/ml/checkpoints")));
    limit(hostConfig, task, host);
    CreateContainerCmd create =
        docker
            .createContainerCmd(localImage(task.image()))
            .withName(network + "-" + name)
            .withHostName(name)
            .withAliases(name)
            .withEnv(envList)
            .withLabels(labels(run, name))
            .withHostConfig(hostConfig);
    List<String> entrypoint = task.entrypoint() == null ? List.of() : task.entrypoint();
    List<String> arguments = task.arguments() == null ? List.of() : task.arguments();
    if (!entrypoint.isEmpty()) {
      create.withEntrypoint(entrypoint).withCmd(arguments);
    } else if (!arguments.isEmpty()) {
      create.withCmd(arguments);
    } else {
      create.withCmd("train");
    }
    String id = create.exec().getId();
    return new DockerHost(name, id, logs);
  }

  /** CPU and memory limits (clamped to the engine's host) and the host's GPUs. */
  private void limit(HostConfig hostConfig, TaskAssignment task, HostSpec host) {
    Info engine = engineInfo();
    if (task.resources() != null && task.resources().cpus() > 0) {
      double limit = task.resources().cpus();
      if (engine.getNCPU() != null && engine.getNCPU() > 0) {
        limit = Math.min(limit, engine.getNCPU());
      }
      hostConfig.withNanoCPUs((long) (limit * 1_000_000_000L));
    }
    if (task.resources() != null && task.resources().memoryMb() > 0) {
      long bytes = task.resources().memoryMb() * MIB;
      if (engine.getMemTotal() != null && engine.getMemTotal() > 0) {
        bytes = Math.min(bytes, engine.getMemTotal());
      }
      if (bytes >= 8 * MIB) {
        hostConfig.withMemory(bytes);
      }
    }
    if (host.gpuIndices() != null && !host.gpuIndices().isEmpty()) {
      List<String> ids = host.gpuIndices().stream().map(String::valueOf).toList();
      hostConfig.withDeviceRequests(
          List.of(
              new DeviceRequest()
                  .withDriver("nvidia")
                  .withDeviceIds(ids)
                  .withCapabilities(List.of(List.of("gpu")))));
    }
  }

  /**
   * Starts the serving container: {@code serve} as the command (after the image's entrypoint, or
   * the task's entrypoint when it has one), the model directory on {@code /opt/ml/model}, the
   * container port published on {@code bindAddress} at an ephemeral host port, labels as for
   * training plus {@value #LABEL_KIND}{@code =serving}, on the engine's default bridge network.
   */
  @Override
  public LaunchedServer serve(TaskRun run, String bindAddress, LogSink logs) {
    TaskAssignment task = run.task();
    HostSpec host = task.hosts().get(0);
    int port = task.serving().containerPort() > 0 ? task.serving().containerPort() : 8080;
    ExposedPort exposed = ExposedPort.tcp(port);
    Ports ports = new Ports();
    ports.bind(exposed, Ports.Binding.bindIp(bindAddress));
    HostConfig hostConfig =
        HostConfig.newHostConfig()
            .withPortBindings(ports)
            .withBinds(
                new Bind(
                    run.workspace().modelDir(host.hostName()).toString(),
                    new Volume("/opt/ml/model")));
    List<String> env = new ArrayList<>();
    if (task.environment() != null) {
      task.environment().forEach((k, v) -> env.add(k + "=" + v));
    }
    env.add("SAGEMAKER_BIND_TO_PORT=" + port);
    Map<String, String> labels = labels(run, host.hostName());
    labels.put(LABEL_KIND, "serving");
    String name = networkName(task) + "-" + host.hostName();
    DockerServer server = new DockerServer();
    boolean handedOver = false;
    try {
      limit(hostConfig, task, host);
      CreateContainerCmd create =
          docker
              .createContainerCmd(localImage(task.image()))
              .withName(name)
              .withEnv(env)
              .withExposedPorts(exposed)
              .withLabels(labels)
              .withHostConfig(hostConfig);
      List<String> entrypoint = task.entrypoint() == null ? List.of() : task.entrypoint();
      if (!entrypoint.isEmpty()) {
        create
            .withEntrypoint(entrypoint)
            .withCmd(task.arguments() == null ? List.of() : task.arguments());
      } else {
        create.withCmd("serve");
      }
      DockerHost container = new DockerHost(host.hostName(), create.exec().getId(), logs);
      server.hosts.add(container);
      docker.startContainerCmd(container.containerId).exec();
      container.followLogs();
      server.published = new InetSocketAddress(bindAddress, publishedPort(container, exposed));
      handedOver = true;
      return server;
    } catch (DockerException | IllegalArgumentException | IllegalStateException e) {
      throw StageFailure.fatal(
          "ClientError: could not start the serving container of image "
              + task.image()
              + ": "
              + firstLine(e.getMessage()),
          e);
    } catch (RuntimeException e) {
      // a transport failure, or an answer the engine should not have given
      throw StageFailure.fatal(
          "InternalServerError: the Docker engine failed while starting the serving container of"
              + " image "
              + task.image()
              + ": "
              + firstLine(String.valueOf(e)),
          e);
    } finally {
      if (!handedOver) {
        // nobody else holds the container: remove it, by name when its id never came back
        if (server.hosts.isEmpty()) {
          removeContainer(name);
        }
        server.close();
      }
    }
  }

  /**
   * The host port the engine picked for {@code exposed}; 0 when the container already ended (the
   * engine then lists no ports, and the caller learns the exit code from the host).
   */
  private int publishedPort(DockerHost container, ExposedPort exposed) {
    InspectContainerResponse inspect = docker.inspectContainerCmd(container.containerId).exec();
    Ports.Binding[] bindings = null;
    if (inspect != null
        && inspect.getNetworkSettings() != null
        && inspect.getNetworkSettings().getPorts() != null
        && inspect.getNetworkSettings().getPorts().getBindings() != null) {
      bindings = inspect.getNetworkSettings().getPorts().getBindings().get(exposed);
    }
    if (bindings != null && bindings.length > 0 && bindings[0].getHostPortSpec() != null) {
      try {
        return Integer.parseInt(bindings[0].getHostPortSpec());
      } catch (NumberFormatException e) {
        throw new IllegalStateException(
            "the engine published " + exposed + " on '" + bindings[0].getHostPortSpec() + "'", e);
      }
    }
    InspectContainerResponse.ContainerState state = inspect == null ? null : inspect.getState();
    if (state != null && Boolean.FALSE.equals(state.getRunning())) {
      return 0;
    }
    throw new IllegalStateException("the engine published no host port for " + exposed);
  }

  private Info engineInfo() {
    Info i = info;
    if (i == null) {
      i = docker.infoCmd().exec();
      info = i;
    }
    return i;
  }

  private static Map<String, String> labels(TaskRun run, String host) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_TASK, run.task().taskId());
    labels.put(LABEL_JOB, String.valueOf(run.task().jobName()));
    if (run.agentId() != null) {
      labels.put(LABEL_AGENT, run.agentId());
    }
    if (host != null) {
      labels.put(LABEL_HOST, host);
    }
    return labels;
  }

  static String networkName(TaskAssignment task) {
    String job = String.valueOf(task.jobName()).replaceAll("[^a-zA-Z0-9_.-]", "-");
    if (job.length() > 40) {
      job = job.substring(0, 40);
    }
    String id = task.taskId().replaceAll("[^a-zA-Z0-9]", "");
    if (id.length() > 8) {
      id = id.substring(id.length() - 8);
    }
    return "sagebrush-" + job + "-" + id;
  }

  @Override
  public void removeLeftovers(String agentId) {
    try {
      List<Container> containers =
          docker
              .listContainersCmd()
              .withShowAll(true)
              .withLabelFilter(Map.of(LABEL_AGENT, agentId))
              .exec();
      for (Container c : containers) {
        log.info("Removing container {} left by an earlier run of agent {}", c.getId(), agentId);
        removeContainer(c.getId());
      }
      List<Network> networks =
          docker.listNetworksCmd().withFilter("label", List.of(LABEL_AGENT + "=" + agentId)).exec();
      for (Network n : networks) {
        removeNetwork(n.getName());
      }
    } catch (RuntimeException e) {
      log.warn("Could not remove leftovers of agent {}: {}", agentId, e.toString());
    }
  }

  private void removeContainer(String id) {
    try {
      docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException ignored) {
      // already gone
    } catch (RuntimeException e) {
      log.warn("Could not remove container {}: {}", id, e.toString());
    }
  }

  private void removeNetwork(String name) {
    try {
      docker.removeNetworkCmd(name).exec();
    } catch (NotFoundException ignored) {
      // already gone
    } catch (RuntimeException e) {
      log.warn("Could not remove network {}: {}", name, e.toString());
    }
  }

  @Override
  public void close() {
    try {
      docker.close();
    } catch (IOException e) {
      log.debug("Closing the Docker client: {}", e.toString());
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    String m = message.strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /** A serving container; it has no network of its own. */
  private final class DockerServer extends DockerJob implements LaunchedServer {
    private volatile InetSocketAddress published;

    DockerServer() {
      super(null);
    }

    @Override
    public InetSocketAddress published() {
      return published;
    }
  }

  private class DockerJob implements LaunchedJob {
    private final String network;
    final List<DockerHost> hosts = new ArrayList<>();
    private boolean networkCreated;
    private boolean closed;

    DockerJob(String network) {
      this.network = network;
    }

    @Override
    public List<LaunchedHost> hosts() {
      return List.copyOf(hosts);
    }

    @Override
    public void awaitLogs(Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      for (DockerHost host : hosts) {
        try {
          long left = deadline - System.nanoTime();
          if (left <= 0 || !host.logsDone.await(left, TimeUnit.NANOSECONDS)) {
            log.warn("Logs of {} did not finish in {}", host.hostName, timeout);
            return;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      for (DockerHost host : hosts) {
        host.closeLogs();
        removeContainer(host.containerId);
      }
      if (networkCreated) {
        removeNetwork(network);
      }
    }
  }

  private final class DockerHost implements LaunchedHost {
    private final String hostName;
    private final String containerId;
    private final LogSink sink;
    private final CountDownLatch logsDone = new CountDownLatch(1);
    private volatile Integer exitCode;
    private volatile ResultCallback.Adapter<Frame> logCallback;

    DockerHost(String hostName, String containerId, LogSink sink) {
      this.hostName = hostName;
      this.containerId = containerId;
      this.sink = sink;
    }

    void followLogs() {
      LineSplitter out = new LineSplitter(line -> sink.line(hostName, line));
      LineSplitter err = new LineSplitter(line -> sink.line(hostName, line));
      logCallback =
          docker
              .logContainerCmd(containerId)
              .withStdOut(true)
              .withStdErr(true)
              .withFollowStream(true)
              .exec(
                  new ResultCallback.Adapter<>() {
                    @Override
                    public void onNext(Frame frame) {
                      if (frame.getStreamType() == StreamType.STDERR) {
                        err.accept(frame.getPayload());
                      } else {
                        out.accept(frame.getPayload());
                      }
                    }

                    @Override
                    public void onError(Throwable throwable) {
                      log.debug("Log stream of {} ended: {}", hostName, throwable.toString());
                      finish();
                    }

                    @Override
                    public void onComplete() {
                      finish();
                    }

                    private void finish() {
                      if (logsDone.getCount() > 0) {
                        out.finish();
                        err.finish();
                        logsDone.countDown();
                      }
                    }
                  });
    }

    void closeLogs() {
      ResultCallback.Adapter<Frame> cb = logCallback;
      if (cb != null) {
        try {
          cb.close();
        } catch (IOException ignored) {
          // closing a finished stream
        }
      }
    }

    @Override
    public String hostName() {
      return hostName;
    }

    @Override
    public OptionalInt exitCode() {
      Integer known = exitCode;
      if (known != null) {
        return OptionalInt.of(known);
      }
      try {
        InspectContainerResponse.ContainerState state =
            docker.inspectContainerCmd(containerId).exec().getState();
        if (Boolean.TRUE.equals(state.getRunning())
            || "created".equals(state.getStatus())
            || "restarting".equals(state.getStatus())) {
          return OptionalInt.empty();
        }
        Long code = state.getExitCodeLong();
        exitCode = code == null ? -1 : code.intValue();
        return OptionalInt.of(exitCode);
      } catch (NotFoundException e) {
        exitCode = 137;
        return OptionalInt.of(exitCode);
      } catch (RuntimeException e) {
        log.debug("Could not inspect container {}: {}", containerId, e.toString());
        return OptionalInt.empty();
      }
    }

    @Override
    public void terminate() {
      signal("SIGTERM");
    }

    @Override
    public void kill() {
      signal("SIGKILL");
    }

    private void signal(String signal) {
      if (exitCode != null) {
        return;
      }
      try {
        docker.killContainerCmd(containerId).withSignal(signal).exec();
      } catch (RuntimeException e) {
        // not running any more (409) or gone (404)
        log.debug("Could not send {} to {}: {}", signal, hostName, e.toString());
      }
    }
  }
}
