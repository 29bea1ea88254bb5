package io.sagebrush.agent.runtime.adapter.process;

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
import io.sagebrush.artifacts.archive.TarGz;
import io.sagebrush.protocol.HostSpec;
import io.sagebrush.protocol.TaskAssignment;
import io.sagebrush.protocol.TaskKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a single-host task as a local process.
 *
 * <p>Script mode (hyperparameter {@code sagemaker_program}): the optional {@code
 * sagemaker_submit_directory} (an S3 URI of a {@code sourcedir.tar.gz}, a local {@code .tar.gz} or
 * a local directory) becomes {@code <job dir>/code}, and {@code python3 <program> --<hp> <value>
 * ...} runs there with the non-{@code sagemaker_} hyperparameters (JSON-quoted strings decoded).
 * Built-in algorithms come from {@link BuiltInAlgorithm}s. Stop sends SIGTERM to the process tree;
 * kill destroys it forcibly. GPUs are handed over through {@code CUDA_VISIBLE_DEVICES}. Serving
 * runs built-in algorithms only ({@link #serve}).
 */
public final class ProcessRuntime implements ContainerRuntime {
  static final String PROGRAM = "sagemaker_program";
  static final String SUBMIT_DIRECTORY = "sagemaker_submit_directory";

  private static final Logger log = LoggerFactory.getLogger(ProcessRuntime.class);

  private final String python;
  private final List<BuiltInAlgorithm> builtIns;

  /**
   * @param python the interpreter for script mode, e.g. {@code python3}
   * @param builtIns built-in algorithms besides those {@link ServiceLoader} finds
   */
  public ProcessRuntime(String python, List<BuiltInAlgorithm> builtIns) {
    this.python = python;
    List<BuiltInAlgorithm> all = new ArrayList<>(builtIns);
    ServiceLoader.load(BuiltInAlgorithm.class).forEach(all::add);
    this.builtIns = List.copyOf(all);
  }

  public ProcessRuntime(String python) {
    this(python, List.of());
  }

  @Override
  public String name() {
    return "process";
  }

  @Override
  public void resolveImage(TaskRun run, ObjectDownloader downloader) {
    TaskAssignment task = run.task();
    if (task.kind() == TaskKind.SERVING) {
      if (builtIn(task.image()) == null) {
        throw StageFailure.fatal(
            "ClientError: The process runtime serves only built-in algorithms; image "
                + task.image()
                + " needs the docker runtime");
      }
      return;
    }
    if (task.hosts().size() > 1) {
      throw StageFailure.fatal(
          "ClientError: the process runtime runs one host per job; InstanceCount "
              + task.hosts().size()
              + " needs an agent with the docker runtime");
    }
    String program = scriptProgram(task);
    if (program != null) {
      prepareCode(run, program, downloader);
      return;
    }
    if (builtIn(task.image()) == null) {
      throw StageFailure.fatal(
          "ClientError: The process runtime runs script-mode jobs (hyperparameter"
              + " sagemaker_program) and built-in algorithms; image "
              + task.image()
              + " needs the docker runtime");
    }
  }

  private void prepareCode(TaskRun run, String program, ObjectDownloader downloader) {
    JobWorkspace ws = run.workspace();
    Path code = ws.codeDir();
    String source = hyperParameter(run.task(), SUBMIT_DIRECTORY);
    try {
      Files.createDirectories(code);
      if (source != null && !source.isBlank()) {
        if (source.startsWith("s3://")) {
          Path archive = ws.stagingDir().resolve("sourcedir.tar.gz");
          Files.createDirectories(archive.getParent());
          try {
            downloader.download(source, archive);
          } catch (RuntimeException e) {
            throw StageFailure.fatal(
                "ClientError: could not download " + source + ": " + e.getMessage(), e);
          }
          TarGz.unpack(archive, code);
        } else {
          Path local = Path.of(source.startsWith("file://") ? source.substring(7) : source);
          if (Files.isDirectory(local)) {
            copyTree(local, code);
          } else if (Files.isRegularFile(local)) {
            TarGz.unpack(local, code);
          } else {
            throw StageFailure.fatal(
                "ClientError: sagemaker_submit_directory " + source + " does not exist");
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof StageFailure f) {
        throw f;
      }
      throw StageFailure.fatal(
          "ClientError: could not unpack the source directory " + source + ": " + e.getMessage(),
          e);
    }
    Path script = code.resolve(program).normalize();
    if (!script.startsWith(code) && !Path.of(program).isAbsolute()) {
      throw StageFailure.fatal(
          "ClientError: sagemaker_program " + program + " escapes the code dir");
    }
    if (!Files.isRegularFile(script)) {
      throw StageFailure.fatal(
          "ClientError: sagemaker_program "
              + program
              + " not found in the source directory"
              + (source == null ? " (no sagemaker_submit_directory given)" : " " + source));
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  @Override
  public LaunchedJob launch(TaskRun run, LogSink logs) {
    TaskAssignment task = run.task();
    HostSpec host = task.hosts().get(0);
    JobWorkspace ws = run.workspace();
    Path optMl = ws.optMl(host.hostName());
    int cpus = (int) Math.max(1, Math.ceil(task.resources() == null ? 1 : task.resources().cpus()));
    cpus = Math.min(cpus, Runtime.getRuntime().availableProcessors());
    Map<String, String> env = SageMakerEnvironment.forHost(task, host, optMl.toString(), cpus);
    List<String> command;
    Path cwd;
    String program = scriptProgram(task);
    if (program != null) {
      List<String> args = scriptArguments(task);
      command = new ArrayList<>();
      command.add(python);
      command.add(program);
      command.addAll(args);
      cwd = ws.codeDir();
      env.put("SM_MODULE_DIR", ws.codeDir().toString());
      env.put("SM_USER_ENTRY_POINT", program);
      env.put("SM_MODULE_NAME", program.replaceAll("\\.py$", ""));
      env.put("SM_USER_ARGS", SageMakerEnvironment.json(args));
      env.put("PYTHONUNBUFFERED", "1");
    } else {
      BuiltInAlgorithm algorithm = builtIn(task.image());
      if (algorithm == null) {
        throw StageFailure.fatal("ClientError: no built-in algorithm runs image " + task.image());
      }
      command = algorithm.command(task, host, optMl);
      cwd = optMl;
    }
    ProcessHost started = start(command, cwd, env, host, logs);
    log.info("Started {} (pid {}) for {}", command, started.process.pid(), task.jobName());
    return new ProcessJob(started);
  }

  /**
   * Serves a built-in algorithm's model: {@code java -jar sagebrush-algorithms.jar serve} with the
   * host's directory as {@code /opt/ml}, listening on {@code bindAddress} at a free port.
   */
  @Override
  public LaunchedServer serve(TaskRun run, String bindAddress, LogSink logs) {
    TaskAssignment task = run.task();
    BuiltInAlgorithm algorithm = builtIn(task.image());
    if (algorithm == null) {
      throw StageFailure.fatal(
          "ClientError: The process runtime serves only built-in algorithms; image "
              + task.image()
              + " needs the docker runtime");
    }
    HostSpec host = task.hosts().get(0);
    Path optMl = run.workspace().optMl(host.hostName());
    int port = freePort(bindAddress);
    Map<String, String> env = new LinkedHashMap<>();
    if (task.environment() != null) {
      env.putAll(task.environment());
    }
    env.put("SAGEMAKER_BIND_TO_PORT", String.valueOf(port));
    List<String> command = algorithm.serveCommand(task, optMl, bindAddress, port);
    ProcessHost started = start(command, optMl, env, host, logs);
    log.info("Serving with {} (pid {}) for {}", command, started.process.pid(), task.jobName());
    return new ProcessServer(started, new InetSocketAddress(bindAddress, port));
  }

  /**
   * A port nobody listens on right now. Another process may take it before the server binds; the
   * server then exits and the task fails with its message.
   */
  private static int freePort(String bindAddress) {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(bindAddress))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw StageFailure.fatal(
          "InternalServerError: the agent found no free port on " + bindAddress + ": " + e, e);
    }
  }

  private ProcessHost start(
      List<String> command, Path cwd, Map<String, String> env, HostSpec host, LogSink logs) {
    List<Integer> gpus = host.gpuIndices() == null ? List.of() : host.gpuIndices();
    env.put(
        "CUDA_VISIBLE_DEVICES",
        gpus.stream().map(String::valueOf).collect(Collectors.joining(",")));
    ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
    // the agent's own settings (tokens, S3 keys) are not the job's business
    builder.environment().keySet().removeIf(name -> name.startsWith("SAGEBRUSH_"));
    builder.environment().putAll(env);
    try {
      return new ProcessHost(host.hostName(), builder.start(), logs);
    } catch (IOException e) {
      throw StageFailure.fatal(
          "ClientError: could not start " + String.join(" ", command) + ": " + e.getMessage(), e);
    }
  }

  /** The script-mode program, or null when the task is not script mode. */
  static String scriptProgram(TaskAssignment task) {
    String program = hyperParameter(task, PROGRAM);
    return program == null || program.isBlank() ? null : program;
  }

  private static String hyperParameter(TaskAssignment task, String name) {
    if (task.hyperParameters() == null || task.hyperParameters().get(name) == null) {
      return null;
    }
    Object decoded = SageMakerEnvironment.decode(task.hyperParameters().get(name));
    return decoded instanceof String s ? s : task.hyperParameters().get(name);
  }

  /**
   * {@code --key value} for every hyperparameter not starting with {@code sagemaker_}, in key
   * order, with values as sagemaker-training-toolkit passes them (JSON-decoded; booleans as Python
   * prints them; maps as {@code k=v,...}).
   */
  static List<String> scriptArguments(TaskAssignment task) {
    List<String> args = new ArrayList<>();
    for (Map.Entry<String, String> hp : SageMakerEnvironment.hyperParameters(task).entrySet()) {
      if (hp.getKey().startsWith("sagemaker_")) {
        continue;
      }
      args.add("--" + hp.getKey());
      args.add(argumentValue(hp.getValue()));
    }
    return args;
  }

  private static String argumentValue(String raw) {
    Object decoded = SageMakerEnvironment.decode(raw);
    if (decoded instanceof String s) {
      return s;
    }
    if (decoded instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (decoded instanceof Map<?, ?> map) {
      return map.entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue())
          .sorted()
          .collect(Collectors.joining(","));
    }
    return raw;
  }

  private BuiltInAlgorithm builtIn(String image) {
    for (BuiltInAlgorithm algorithm : builtIns) {
      if (image != null && algorithm.handles(image)) {
        return algorithm;
      }
    }
    return null;
  }

  private static final class ProcessServer extends ProcessJob implements LaunchedServer {
    private final InetSocketAddress published;

    ProcessServer(ProcessHost host, InetSocketAddress published) {
      super(host);
      this.published = published;
    }

    @Override
    public InetSocketAddress published() {
      return published;
    }
  }

  private static class ProcessJob implements LaunchedJob {
    private final ProcessHost host;

    ProcessJob(ProcessHost host) {
      this.host = host;
    }

    @Override
    public List<LaunchedHost> hosts() {
      return List.of(host);
    }

    @Override
    public void awaitLogs(Duration timeout) {
      try {
        if (!host.logsDone.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          log.warn("Output of {} did not end within {}", host.hostName, timeout);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      host.kill();
    }
  }

  private static final class ProcessHost implements LaunchedHost {
    private final String hostName;
    private final Process process;
    private final CountDownLatch logsDone = new CountDownLatch(2);
    private final Set<ProcessHandle> tree = ConcurrentHashMap.newKeySet();

    ProcessHost(String hostName, Process process, LogSink sink) {
      this.hostName = hostName;
      this.process = process;
      pump(process.getInputStream(), sink, "stdout");
      pump(process.getErrorStream(), sink, "stderr");
    }

    private void pump(InputStream in, LogSink sink, String stream) {
      Thread t =
          new Thread(
              () -> {
                try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = reader.readLine()) != null) {
                    sink.line(hostName, line);
                  }
                } catch (IOException e) {
                  log.debug("{} of {} ended: {}", stream, hostName, e.toString());
                } finally {
                  logsDone.countDown();
                }
              },
              "sagebrush-process-" + stream + "-" + process.pid());
      t.setDaemon(true);
      t.start();
    }

    @Override
    public String hostName() {
      return hostName;
    }

    @Override
    public OptionalInt exitCode() {
      return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    @Override
    public void terminate() {
      if (!process.isAlive()) {
        return;
      }
      // remember the tree now: children re-parented after the parent exits are no descendants
      process.descendants().forEach(tree::add);
      tree.forEach(ProcessHandle::destroy);
      // Process.destroy() would also close our ends of stdout/stderr and lose the last lines
      process.toHandle().destroy();
    }

    @Override
    public void kill() {
      process.descendants().forEach(tree::add);
      tree.forEach(ProcessHandle::destroyForcibly);
      process.toHandle().destroyForcibly();
    }
  }
}
