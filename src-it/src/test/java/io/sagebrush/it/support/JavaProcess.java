package io.sagebrush.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@code java -jar} child process whose output is appended to a log file. Shared by {@link
 * SagebrushServerProcess} and {@link AgentProcess}.
 */
final class JavaProcess {
  private final String name;
  private final Path jar;
  private final Path logFile;
  private final List<String> jvmOptions;
  private Process process;

  JavaProcess(String name, Path jar, Path logFile, List<String> jvmOptions) {
    this.name = name;
    this.jar = jar;
    this.logFile = logFile;
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  static Path requiredFile(String systemProperty, String fallback) {
    Path path = Path.of(System.getProperty(systemProperty, fallback)).toAbsolutePath().normalize();
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException(
          path + " is missing: build it first (./mvnw -DskipTests package from the repo root)");
    }
    return path;
  }

  static Path logDirectory() {
    Path dir = Path.of(System.getProperty("sagebrush.it.logs", "target/it-logs"));
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path workDirectory(String prefix) {
    Path base = Path.of(System.getProperty("sagebrush.it.work", "target/it-work"));
    try {
      Files.createDirectories(base);
      return Files.createTempDirectory(base.toAbsolutePath(), prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  synchronized void start(Map<String, String> env) {
    if (isAlive()) {
      throw new IllegalStateException(name + " is already running");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    try {
      Files.writeString(
          logFile,
          "==== starting " + name + ": " + String.join(" ", command) + System.lineSeparator(),
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      process = builder.start();
      Process started = process;
      // a test JVM that dies must not leave servers (and their PostgreSQL) behind
      Runtime.getRuntime().addShutdownHook(new Thread(started::destroy, "stop " + name));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Exit code if the process ended, else -1. */
  synchronized int exitCodeOrMinusOne() {
    return process != null && !process.isAlive() ? process.exitValue() : -1;
  }

  /**
   * Sends SIGTERM and waits for the exit; SIGKILL after {@code grace}.
   *
   * @return the exit code, or -1 when it had to be killed or was not running
   */
  synchronized int stop(Duration grace) {
    if (process == null) {
      return -1;
    }
    Process p = process;
    process = null;
    if (!p.isAlive()) {
      return p.exitValue();
    }
    p.destroy();
    try {
      if (p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        return p.exitValue();
      }
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return -1;
    }
  }

  /** SIGKILL without a grace period; waits for the exit. */
  synchronized void kill() {
    if (process == null) {
      return;
    }
    Process p = process;
    process = null;
    try {
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  Path logFile() {
    return logFile;
  }

  /** The last {@code lines} lines of the log, for failure messages. */
  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
