package io.sagebrush.agent.runtime.adapter.process;

import io.sagebrush.agent.runtime.StageFailure;
import io.sagebrush.protocol.HostSpec;
import io.sagebrush.protocol.TaskAssignment;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs SageMaker's built-in algorithms ({@link BuiltInImages}) from {@code
 * sagebrush-algorithms.jar} with the agent's own Java: {@code java -jar <jar> train --algorithm
 * <name> --base-dir <opt/ml>}, and serves their models with {@code java -jar <jar> serve
 * --algorithm <name> --base-dir <opt/ml> --host <address> --port <port>}. The jar is {@code
 * $SAGEBRUSH_ALGORITHMS_JAR}, else {@code sagebrush-algorithms.jar} beside the agent's jar, else
 * {@code algorithms/target/sagebrush-algorithms.jar} under the working directory or its parent (a
 * source checkout). Registered through {@code META-INF/services}.
 */
public final class AlgorithmsJar implements BuiltInAlgorithm {
  /** The environment variable naming the jar. */
  public static final String JAR_ENV = "SAGEBRUSH_ALGORITHMS_JAR";

  static final String JAR_NAME = "sagebrush-algorithms.jar";

  private final Map<String, String> env;

  /** Reads the process environment. */
  public AlgorithmsJar() {
    this(System.getenv());
  }

  AlgorithmsJar(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public boolean handles(String image) {
    return BuiltInImages.algorithmOf(image).isPresent();
  }

  @Override
  public List<String> command(TaskAssignment task, HostSpec host, Path optMl) {
    return jarCommand("train", task, optMl);
  }

  @Override
  public List<String> serveCommand(TaskAssignment task, Path optMl, String bindAddress, int port) {
    List<String> command = jarCommand("serve", task, optMl);
    command.addAll(List.of("--host", bindAddress, "--port", String.valueOf(port)));
    return command;
  }

  private List<String> jarCommand(String mode, TaskAssignment task, Path optMl) {
    String algorithm =
        BuiltInImages.algorithmOf(task.image())
            .orElseThrow(
                () ->
                    StageFailure.fatal(
                        "ClientError: no built-in algorithm runs image " + task.image()));
    Path jar = locate();
    List<String> command = new ArrayList<>();
    command.add(javaCommand());
    command.add("-jar");
    command.add(jar.toString());
    command.add(mode);
    command.add("--algorithm");
    command.add(algorithm);
    command.add("--base-dir");
    command.add(optMl.toAbsolutePath().toString());
    return command;
  }

  /**
   * The jar, from the places the class comment lists.
   *
   * @throws StageFailure naming every place looked at when none has it
   */
  Path locate() {
    List<Path> candidates = new ArrayList<>();
    String configured = env.get(JAR_ENV);
    if (configured != null && !configured.isBlank()) {
      Path p = Path.of(configured);
      if (Files.isRegularFile(p)) {
        return p.toAbsolutePath();
      }
      throw StageFailure.fatal(
          "AlgorithmError: " + JAR_ENV + " points to " + configured + ", which is not a file");
    }
    Path beside = besideAgentJar();
    if (beside != null) {
      candidates.add(beside);
    }
    Path cwd = Path.of("").toAbsolutePath();
    candidates.add(cwd.resolve("algorithms/target").resolve(JAR_NAME));
    if (cwd.getParent() != null) {
      candidates.add(cwd.getParent().resolve("algorithms/target").resolve(JAR_NAME));
    }
    for (Path c : candidates) {
      if (Files.isRegularFile(c)) {
        return c;
      }
    }
    throw StageFailure.fatal(
        "AlgorithmError: built-in algorithms need "
            + JAR_NAME
            + " (build it with ./mvnw -pl algorithms package or set "
            + JAR_ENV
            + "); looked at "
            + candidates);
  }

  private static Path besideAgentJar() {
    try {
      var source = AlgorithmsJar.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        return null;
      }
      Path location = Path.of(source.getLocation().toURI());
      Path dir = Files.isDirectory(location) ? location : location.getParent();
      return dir == null ? null : dir.resolve(JAR_NAME);
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  private static String javaCommand() {
    Path javaHome = Path.of(System.getProperty("java.home"));
    Path java = javaHome.resolve("bin").resolve("java");
    return Files.isExecutable(java) ? java.toString() : "java";
  }
}
