package io.sagebrush.agent.execution;

import io.sagebrush.agent.runtime.JobWorkspace;
import io.sagebrush.agent.runtime.StageFailure;
import io.sagebrush.artifacts.ArtifactStoreException;
import io.sagebrush.artifacts.S3Uri;
import io.sagebrush.artifacts.archive.TarGz;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.protocol.HostSpec;
import io.sagebrush.protocol.OutputSpec;
import io.sagebrush.protocol.TaskAssignment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Uploads outputs: (1) every host's {@code /opt/ml/model} merged into one directory, packed into
 * {@code model.tar.gz} at {@link OutputSpec#modelArtifactUri()} (or uploaded file by file under
 * {@code .../output/model/} when not compressed); (2) the same for {@code /opt/ml/output/data} to
 * {@link OutputSpec#outputDataUri()}.
 */
final class UploadOutputsStage implements Stage {
  /** Uploads ride out an S3 outage of a few minutes (e.g. an embedded-mode server restart). */
  @Override
  public int attempts() {
    return 12;
  }

  @Override
  public String name() {
    return "upload outputs";
  }

  @Override
  public void run(TaskContext context) {
    TaskAssignment task = context.task();
    OutputSpec output = task.output();
    if (output == null) {
      return;
    }
    JobWorkspace ws = context.workspace();
    if (output.modelArtifactUri() != null) {
      upload(
          context, "model", ws::modelDir, output.modelArtifactUri(), output.compressed(), "model/");
    }
    if (output.outputDataUri() != null) {
      upload(
          context,
          "output",
          ws::outputDataDir,
          output.outputDataUri(),
          output.compressed(),
          "data/");
    }
  }

  private static void upload(
      TaskContext context,
      String what,
      Function<String, Path> hostDir,
      String uri,
      boolean compressed,
      String uncompressedFolder) {
    JobWorkspace ws = context.workspace();
    S3Uri target;
    try {
      target = S3Uri.parse(uri);
    } catch (SagebrushException e) {
      throw StageFailure.fatal("ClientError: " + e.getMessage(), e);
    }
    Path merged = ws.stagingDir().resolve(what);
    try {
      Files.createDirectories(merged);
      for (HostSpec host : context.task().hosts()) {
        copyTree(hostDir.apply(host.hostName()), merged);
      }
      if (compressed) {
        Path archive = ws.stagingDir().resolve(what + ".tar.gz");
        TarGz.pack(merged, archive);
        context.store.upload(archive, target);
      } else {
        S3Uri prefix = target;
        if (target.key().endsWith(".tar.gz")) {
          String key = target.key();
          int slash = key.lastIndexOf('/');
          prefix = new S3Uri(target.bucket(), key.substring(0, slash + 1) + uncompressedFolder);
        }
        context.store.uploadDirectory(merged, prefix);
      }
    } catch (ArtifactStoreException e) {
      if (e.isNotFound()) {
        // a missing bucket does not come back by waiting
        throw StageFailure.fatal(
            "ClientError: could not upload "
                + what
                + " artifacts to "
                + uri
                + ": "
                + e.getMessage(),
            e);
      }
      throw StageFailure.retryable(
          "ClientError: could not upload " + what + " artifacts to " + uri + ": " + e.getMessage(),
          e);
    } catch (IOException | RuntimeException e) {
      throw StageFailure.fatal(
          "InternalServerError: could not package " + what + " artifacts for " + uri + ": " + e, e);
    }
  }

  /** Copies regular files and directories (not symbolic links) of {@code from} into {@code to}. */
  private static void copyTree(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        if (Files.isSymbolicLink(p)) {
          continue;
        }
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (Files.isRegularFile(p)) {
          Files.createDirectories(target.getParent());
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
