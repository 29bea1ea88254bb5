package io.sagebrush.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The real AWS CLI v2 ({@code /usr/bin/aws}, installed by {@code .ci/run}) run as a new user would:
 * the server's credentials in the environment, no config or credentials files, no pager.
 */
public final class AwsCli {
  private final Path executable;

  private AwsCli(Path executable) {
    this.executable = executable;
  }

  /** The installed CLI, if any (tests skip without one, never fake it). */
  public static Optional<AwsCli> find() {
    return List.of(Path.of("/usr/bin/aws"), Path.of("/usr/local/bin/aws")).stream()
        .filter(Files::isExecutable)
        .findFirst()
        .map(AwsCli::new);
  }

  /** What one command did. */
  public record Result(int exitCode, String stdout, String stderr) {}

  /** Runs {@code aws args...} in {@code workDir} (2 minutes at most). */
  public Result run(Path workDir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(List.of(args));
    return runAsNewUser(command, workDir, Duration.ofMinutes(2));
  }

  /**
   * Runs a client program (the CLI, or Python with boto3) in {@code workDir} as a new user would:
   * the server's credentials and region in the environment, no AWS config or credentials files.
   */
  public static Result runAsNewUser(List<String> command, Path workDir, Duration timeout)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_"));
    env.put("AWS_ACCESS_KEY_ID", SagebrushServerProcess.ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", SagebrushServerProcess.SECRET_KEY);
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    env.put("AWS_CONFIG_FILE", workDir.resolve("no-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", workDir.resolve("no-credentials").toString());
    env.put("AWS_PAGER", "");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    Path out = Files.createTempFile(workDir, "client", ".out");
    Path err = Files.createTempFile(workDir, "client", ".err");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = builder.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          String.join(" ", command)
              + " timed out; stdout: "
              + Files.readString(out)
              + "; stderr: "
              + Files.readString(err));
    }
    return new Result(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** Runs {@code aws args...} and asserts it exits 0; returns its stdout. */
  public String ok(Path workDir, String... args) throws IOException, InterruptedException {
    Result result = run(workDir, args);
    assertThat(result.exitCode())
        .as(
            "aws %s\nstdout: %s\nstderr: %s",
            String.join(" ", args), result.stdout(), result.stderr())
        .isZero();
    return result.stdout();
  }
}
