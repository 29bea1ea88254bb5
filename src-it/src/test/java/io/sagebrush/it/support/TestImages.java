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
    runScript();
    built = true;
  }

  /**
   * Makes sure {@code image} exists: the script skips images whose base is missing (the server
   * image needs sagebrush/algorithms:1), so it runs again when a base appeared since.
   */
  public static synchronized void ensureImage(String image) {
    ensureBuilt();
    if (!exists(image)) {
      runScript();
      if (!exists(image)) {
        throw new IllegalStateException(image + " was not built by src-it/images/build.sh");
      }
    }
  }

  private static boolean exists(String image) {
    try {
      Process inspect =
          new ProcessBuilder("docker", "image", "inspect", image)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return inspect.waitFor(1, TimeUnit.MINUTES) && inspect.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void runScript() {
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
  }
}
