package io.sagebrush.agent.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A task's directory on the agent. Each host gets {@code <root>/<host>/}, laid out like {@code
 * /opt/ml} inside its container: {@code input/config}, {@code input/data/<channel>}, {@code model},
 * {@code output/data}, {@code output/failure}, {@code checkpoints}. Script-mode code lives in
 * {@code <root>/code}.
 */
public final class JobWorkspace {
  private final Path root;

  public JobWorkspace(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  /** The host's directory, which stands for {@code /opt/ml}. */
  public Path optMl(String host) {
    return root.resolve(host);
  }

  public Path inputDir(String host) {
    return optMl(host).resolve("input");
  }

  public Path configDir(String host) {
    return inputDir(host).resolve("config");
  }

  public Path channelDir(String host, String channel) {
    return inputDir(host).resolve("data").resolve(channel);
  }

  public Path modelDir(String host) {
    return optMl(host).resolve("model");
  }

  public Path outputDir(String host) {
    return optMl(host).resolve("output");
  }

  public Path outputDataDir(String host) {
    return outputDir(host).resolve("data");
  }

  public Path failureFile(String host) {
    return outputDir(host).resolve("failure");
  }

  public Path checkpointDir(String host) {
    return optMl(host).resolve("checkpoints");
  }

  /** Where script-mode source is unpacked. */
  public Path codeDir() {
    return root.resolve("code");
  }

  /** Scratch space for archives being built or downloaded. */
  public Path stagingDir() {
    return root.resolve(".staging");
  }

  /** Creates the directory tree for the given hosts. */
  public void create(List<String> hosts) {
    try {
      Files.createDirectories(stagingDir());
      for (String host : hosts) {
        Files.createDirectories(configDir(host));
        Files.createDirectories(inputDir(host).resolve("data"));
        Files.createDirectories(modelDir(host));
        Files.createDirectories(outputDataDir(host));
        Files.createDirectories(outputDir(host).resolve("intermediate"));
        Files.createDirectories(checkpointDir(host));
        // images may run as a non-root user; they must be able to write their outputs
        for (Path writable :
            List.of(
                modelDir(host),
                outputDir(host),
                outputDataDir(host),
                outputDir(host).resolve("intermediate"),
                checkpointDir(host))) {
          openUp(writable);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not create the job directory " + root, e);
    }
  }

  private static void openUp(Path dir) {
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system: containers then run with what the platform gives
    }
  }

  /** Deletes the whole tree, ignoring files it cannot delete. */
  public void delete() {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException ignored) {
                  // files a container created as another user may stay behind
                }
              });
    } catch (IOException ignored) {
      // best effort
    }
  }
}
