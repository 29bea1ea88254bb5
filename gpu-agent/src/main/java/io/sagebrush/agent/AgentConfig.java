package io.sagebrush.agent;

import io.sagebrush.protocol.StorageSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How an agent joins its control plane and runs tasks.
 *
 * @param controlPlaneUrl base URL of the control plane, e.g. {@code http://127.0.0.1:8080}
 * @param token the agent token sent as {@code Authorization: Bearer <token>}
 * @param workDir where job directories and the persisted agent id live
 * @param runtime {@code auto}, {@code docker} or {@code process}
 * @param name a human-readable name; null = the host name
 * @param cpus CPU cores to offer; null = detect
 * @param memoryMb memory to offer in MiB; null = detect
 * @param storageOverride the S3 store to use instead of the one the control plane sends; null = use
 *     the control plane's
 * @param dockerHost the Docker engine address; null = {@code DOCKER_HOST} or {@code
 *     unix:///var/run/docker.sock}
 * @param nvidiaSmiCommand the nvidia-smi executable used for GPU discovery
 * @param pythonCommand the interpreter the process runtime runs script-mode jobs with
 * @param keepJobDirectories keep job directories after a task ends (for debugging)
 * @param retryMaxBackoff longest wait between retries while the control plane is unreachable
 * @param advertiseHost the host name or IP that gateways use to reach this agent's serving
 *     containers; it becomes the host of every READY address ({@code
 *     http://<advertiseHost>:<port>})
 * @param bindAddress the local address serving ports are published on; null = {@code 127.0.0.1}
 *     when {@code advertiseHost} is a loopback address, else {@code 0.0.0.0}
 */
public record AgentConfig(
    URI controlPlaneUrl,
    String token,
    Path workDir,
    String runtime,
    String name,
    Integer cpus,
    Long memoryMb,
    StorageSettings storageOverride,
    String dockerHost,
    String nvidiaSmiCommand,
    String pythonCommand,
    boolean keepJobDirectories,
    Duration retryMaxBackoff,
    String advertiseHost,
    String bindAddress) {

  public static final String RUNTIME_AUTO = "auto";
  public static final String RUNTIME_DOCKER = "docker";
  public static final String RUNTIME_PROCESS = "process";

  /** The default advertise host and bind address: only this machine reaches serving containers. */
  public static final String LOOPBACK = "127.0.0.1";

  public AgentConfig {
    Objects.requireNonNull(controlPlaneUrl, "controlPlaneUrl");
    Objects.requireNonNull(workDir, "workDir");
    token = token == null ? "" : token;
    runtime =
        runtime == null || runtime.isBlank() ? RUNTIME_AUTO : runtime.toLowerCase(Locale.ROOT);
    if (!runtime.equals(RUNTIME_AUTO)
        && !runtime.equals(RUNTIME_DOCKER)
        && !runtime.equals(RUNTIME_PROCESS)) {
      throw new IllegalArgumentException(
          "runtime must be auto, docker or process, not '" + runtime + "'");
    }
    if (cpus != null && cpus <= 0) {
      throw new IllegalArgumentException("cpus must be positive, not " + cpus);
    }
    if (memoryMb != null && memoryMb <= 0) {
      throw new IllegalArgumentException("memoryMb must be positive, not " + memoryMb);
    }
    nvidiaSmiCommand =
        nvidiaSmiCommand == null || nvidiaSmiCommand.isBlank() ? "nvidia-smi" : nvidiaSmiCommand;
    pythonCommand = pythonCommand == null || pythonCommand.isBlank() ? "python3" : pythonCommand;
    retryMaxBackoff = retryMaxBackoff == null ? Duration.ofSeconds(5) : retryMaxBackoff;
    advertiseHost =
        advertiseHost == null || advertiseHost.isBlank() ? LOOPBACK : advertiseHost.trim();
    bindAddress =
        bindAddress == null || bindAddress.isBlank()
            ? (isLoopback(advertiseHost) ? LOOPBACK : "0.0.0.0")
            : bindAddress.trim();
  }

  /** The configuration without the serving settings (they take their defaults). */
  public AgentConfig(
      URI controlPlaneUrl,
      String token,
      Path workDir,
      String runtime,
      String name,
      Integer cpus,
      Long memoryMb,
      StorageSettings storageOverride,
      String dockerHost,
      String nvidiaSmiCommand,
      String pythonCommand,
      boolean keepJobDirectories,
      Duration retryMaxBackoff) {
    this(
        controlPlaneUrl,
        token,
        workDir,
        runtime,
        name,
        cpus,
        memoryMb,
        storageOverride,
        dockerHost,
        nvidiaSmiCommand,
        pythonCommand,
        keepJobDirectories,
        retryMaxBackoff,
        null,
        null);
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost")
        || host.startsWith("127.")
        || host.equals("::1")
        || host.equals("[::1]");
  }

  /**
   * The usual configuration: detected capacity, storage from the control plane.
   *
   * @param runtime {@code auto}, {@code docker} or {@code process}; null = auto
   */
  public AgentConfig(URI controlPlaneUrl, String token, Path workDir, String runtime) {
    this(
        controlPlaneUrl,
        token,
        workDir,
        runtime,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        false,
        null);
  }

  /** A copy with the given name. */
  public AgentConfig withName(String newName) {
    return copy(f -> f.name = newName);
  }

  /** A copy offering the given capacity (null = detect). */
  public AgentConfig withCapacity(Integer newCpus, Long newMemoryMb) {
    return copy(
        f -> {
          f.cpus = newCpus;
          f.memoryMb = newMemoryMb;
        });
  }

  /** A copy using the given S3 store instead of the control plane's. */
  public AgentConfig withStorageOverride(StorageSettings storage) {
    return copy(f -> f.storageOverride = storage);
  }

  /** A copy with a different nvidia-smi executable. */
  public AgentConfig withNvidiaSmiCommand(String command) {
    return copy(f -> f.nvidiaSmiCommand = command);
  }

  /** A copy with a different Python interpreter for script mode. */
  public AgentConfig withPythonCommand(String command) {
    return copy(f -> f.pythonCommand = command);
  }

  /** A copy with a different longest retry backoff. */
  public AgentConfig withRetryMaxBackoff(Duration backoff) {
    return copy(f -> f.retryMaxBackoff = backoff);
  }

  /** A copy advertising {@code host} for serving containers, publishing them on {@code bind}. */
  public AgentConfig withServingAddress(String host, String bind) {
    return copy(
        f -> {
          f.advertiseHost = host;
          f.bindAddress = bind;
        });
  }

  /** A copy with {@code change} applied to its fields (then checked and defaulted as usual). */
  private AgentConfig copy(Consumer<Fields> change) {
    Fields f = new Fields(this);
    change.accept(f);
    return f.toConfig();
  }

  /** The components of a configuration being copied: what the with* methods change. */
  private static final class Fields {
    URI controlPlaneUrl;
    String token;
    Path workDir;
    String runtime;
    String name;
    Integer cpus;
    Long memoryMb;
    StorageSettings storageOverride;
    String dockerHost;
    String nvidiaSmiCommand;
    String pythonCommand;
    boolean keepJobDirectories;
    Duration retryMaxBackoff;
    String advertiseHost;
    String bindAddress;

    Fields(AgentConfig c) {
      controlPlaneUrl = c.controlPlaneUrl;
      token = c.token;
      workDir = c.workDir;
      runtime = c.runtime;
      name = c.name;
      cpus = c.cpus;
      memoryMb = c.memoryMb;
      storageOverride = c.storageOverride;
      dockerHost = c.dockerHost;
      nvidiaSmiCommand = c.nvidiaSmiCommand;
      pythonCommand = c.pythonCommand;
      keepJobDirectories = c.keepJobDirectories;
      retryMaxBackoff = c.retryMaxBackoff;
      advertiseHost = c.advertiseHost;
      bindAddress = c.bindAddress;
    }

    AgentConfig toConfig() {
      return new AgentConfig(
          controlPlaneUrl,
          token,
          workDir,
          runtime,
          name,
          cpus,
          memoryMb,
          storageOverride,
          dockerHost,
          nvidiaSmiCommand,
          pythonCommand,
          keepJobDirectories,
          retryMaxBackoff,
          advertiseHost,
          bindAddress);
    }
  }

  /** The file the agent id is persisted in, so that a restarted agent keeps its identity. */
  public Path agentIdFile() {
    return workDir.resolve("agent-id");
  }

  /**
   * Reads the configuration from environment variables:
   *
   * <pre>
   * SAGEBRUSH_CONTROL_PLANE_URL   (default http://127.0.0.1:8080)
   * SAGEBRUSH_AGENT_TOKEN         (required by the control plane)
   * SAGEBRUSH_AGENT_WORK_DIR      (default $SAGEBRUSH_HOME/agent, else ~/.sagebrush/agent)
   * SAGEBRUSH_RUNTIME             auto|docker|process (default auto)
   * SAGEBRUSH_AGENT_NAME          (default host name)
   * SAGEBRUSH_AGENT_CPUS, SAGEBRUSH_AGENT_MEMORY_MB   (default detected)
   * SAGEBRUSH_S3_ENDPOINT, SAGEBRUSH_ACCESS_KEY, SAGEBRUSH_SECRET_KEY, SAGEBRUSH_REGION
   *                               (optional storage override; used when the endpoint is set)
   * DOCKER_HOST                   (default unix:///var/run/docker.sock)
   * SAGEBRUSH_NVIDIA_SMI          (default nvidia-smi)
   * SAGEBRUSH_PYTHON              (default python3)
   * SAGEBRUSH_AGENT_KEEP_JOB_DIRS (default false)
   * SAGEBRUSH_AGENT_ADVERTISE_HOST  host gateways reach serving containers at (default 127.0.0.1;
   *                               a remote agent must set its reachable name or IP)
   * SAGEBRUSH_AGENT_BIND_ADDRESS  address serving ports are published on (default 127.0.0.1 for a
   *                               loopback advertise host, else 0.0.0.0)
   * </pre>
   *
   * @throws IllegalArgumentException naming the variable when a value is malformed
   */
  public static AgentConfig fromEnvironment(Map<String, String> env) {
    String url = value(env, "SAGEBRUSH_CONTROL_PLANE_URL", "http://127.0.0.1:8080");
    String home =
        value(env, "SAGEBRUSH_HOME", Path.of(System.getProperty("user.home"), ".sagebrush") + "");
    Path workDir = Path.of(value(env, "SAGEBRUSH_AGENT_WORK_DIR", Path.of(home, "agent") + ""));
    StorageSettings storage = null;
    String endpoint = value(env, "SAGEBRUSH_S3_ENDPOINT", null);
    if (endpoint != null) {
      storage =
          new StorageSettings(
              endpoint,
              value(env, "SAGEBRUSH_REGION", "us-east-1"),
              value(env, "SAGEBRUSH_ACCESS_KEY", null),
              value(env, "SAGEBRUSH_SECRET_KEY", null));
    }
    URI controlPlane;
    try {
      controlPlane = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("SAGEBRUSH_CONTROL_PLANE_URL is not a URL: " + url, e);
    }
    return new AgentConfig(
        controlPlane,
        value(env, "SAGEBRUSH_AGENT_TOKEN", ""),
        workDir,
        value(env, "SAGEBRUSH_RUNTIME", RUNTIME_AUTO),
        value(env, "SAGEBRUSH_AGENT_NAME", null),
        intValue(env, "SAGEBRUSH_AGENT_CPUS"),
        longValue(env, "SAGEBRUSH_AGENT_MEMORY_MB"),
        storage,
        value(env, "DOCKER_HOST", null),
        value(env, "SAGEBRUSH_NVIDIA_SMI", null),
        value(env, "SAGEBRUSH_PYTHON", null),
        Boolean.parseBoolean(value(env, "SAGEBRUSH_AGENT_KEEP_JOB_DIRS", "false")),
        null,
        value(env, "SAGEBRUSH_AGENT_ADVERTISE_HOST", null),
        value(env, "SAGEBRUSH_AGENT_BIND_ADDRESS", null));
  }

  private static String value(Map<String, String> env, String name, String fallback) {
    String v = env.get(name);
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  private static Integer intValue(Map<String, String> env, String name) {
    String v = value(env, name, null);
    try {
      return v == null ? null : Integer.valueOf(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, not '" + v + "'", e);
    }
  }

  private static Long longValue(Map<String, String> env, String name) {
    String v = value(env, name, null);
    try {
      return v == null ? null : Long.valueOf(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, not '" + v + "'", e);
    }
  }
}
