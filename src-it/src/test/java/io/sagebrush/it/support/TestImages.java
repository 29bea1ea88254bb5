package io.sagebrush.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Builds the local test images once per test run with {@code src-it/images/build.sh} (idempotent
 * and quick when they exist), so {@code ./mvnw verify} needs nothing but a Docker engine.
 */
public final class TestImages {
  private static boolean built;

  private TestImages() {}

  /** Runs the build script unless it already ran in this JVM; fails with its output. */
  public static synchronized void ensureBuilt() {
    if (built) {
      return;
    }
    Path script = Path.of("images", "build.sh").toAbsolutePath();
    if (!Files.isRegularFile(script)) {
      script = Path.of("src-it", "images", "build.sh").toAbsolutePath();
    }
    try {
      Process build =
          new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
      String output = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!build.waitFor(10, TimeUnit.MINUTES) || build.exitValue() != 0) {
        throw new IllegalStateException(
            "building the test images with " + script + " failed:\n" + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    built = true;
  }
}
