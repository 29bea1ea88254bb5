package io.sagebrush.agent.execution;

import io.sagebrush.agent.runtime.StageFailure;
import io.sagebrush.artifacts.ArtifactStoreException;
import io.sagebrush.artifacts.S3Uri;
import io.sagebrush.artifacts.StoredObject;
import io.sagebrush.artifacts.archive.ArchiveException;
import io.sagebrush.artifacts.archive.TarGz;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.protocol.ServingSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Puts a serving task's model data into the host's model directory ({@code /opt/ml/model}).
 *
 * <ol>
 *   <li>No {@link ServingSpec#modelDataUrl()}: the directory stays empty.
 *   <li>The URL names one object: it is downloaded; a {@code .tar.gz}/{@code .tgz} key, or a
 *       gzip-compressed object that turns out to be a tar, is unpacked safely ({@link TarGz}: no
 *       entry may land outside the directory); anything else is copied as it is.
 *   <li>Otherwise the URL is a prefix and every object under it is copied, keeping its path.
 * </ol>
 *
 * All of it, retries included, must finish before the ModelDataDownloadTimeoutInSeconds deadline; a
 * stop order abandons it.
 */
final class DownloadModelStage implements Stage {
  private static final String STAGED_NAME = "model-data";
  private static final long STOP_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final long deadlineNanos;
  private final long budgetSeconds;

  /**
   * @param deadlineNanos when the download must be done ({@link System#nanoTime()} scale)
   * @param budgetSeconds the budget the deadline came from, for the failure reason
   */
  DownloadModelStage(long deadlineNanos, long budgetSeconds) {
    this.deadlineNanos = deadlineNanos;
    this.budgetSeconds = budgetSeconds;
  }

  @Override
  public String name() {
    return "download model";
  }

  @Override
  public void run(TaskContext context) {
    String url = context.task().serving().modelDataUrl();
    if (url == null || url.isBlank()) {
      return;
    }
    S3Uri uri;
    try {
      uri = S3Uri.parse(url);
    } catch (SagebrushException e) {
      throw StageFailure.fatal("ClientError: ModelDataUrl " + url + ": " + e.getMessage(), e);
    }
    Path modelDir = context.workspace().modelDir(context.task().hosts().get(0).hostName());
    CompletableFuture<Void> fetch = new CompletableFuture<>();
    Thread worker =
        new Thread(
            () -> {
              try {
                fetch(context, uri, modelDir);
                fetch.complete(null);
              } catch (Throwable t) {
                fetch.completeExceptionally(t);
              }
            },
            "sagebrush-model-download-" + context.task().taskId());
    worker.setDaemon(true);
    worker.start();
    try {
      awaitUnlessStopped(context, fetch, worker);
    } catch (TimeoutException e) {
      worker.interrupt();
      throw StageFailure.fatal(
          "ClientError: downloading the model data from "
              + url
              + " took longer than the ModelDataDownloadTimeoutInSeconds of "
              + budgetSeconds
              + " seconds",
          e);
    } catch (InterruptedException e) {
      worker.interrupt();
      Thread.currentThread().interrupt();
      throw StageFailure.fatal("InternalServerError: interrupted while downloading the model", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof StageFailure f) {
        throw f;
      }
      throw StageFailure.fatal(
          "InternalServerError: could not place the model data from " + url + ": " + cause, cause);
    }
  }

  /**
   * Waits for the download until the deadline; a stop order abandons it at once (the caller then
   * reports STOPPED).
   */
  private void awaitUnlessStopped(TaskContext context, CompletableFuture<Void> fetch, Thread worker)
      throws TimeoutException, InterruptedException, ExecutionException {
    while (true) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException();
      }
      try {
        fetch.get(Math.min(left, STOP_CHECK_NANOS), TimeUnit.NANOSECONDS);
        return;
      } catch (TimeoutException e) {
        if (context.stopRequested()) {
          worker.interrupt();
          return;
        }
      }
    }
  }

  private static void fetch(TaskContext context, S3Uri uri, Path modelDir) {
    try {
      clear(modelDir);
      List<StoredObject> objects = context.store.list(uri);
      boolean single =
          !uri.key().isEmpty()
              && !uri.key().endsWith("/")
              && objects.stream().anyMatch(o -> o.uri().key().equals(uri.key()));
      if (single) {
        Path staged = context.workspace().stagingDir().resolve(STAGED_NAME);
        context.store.download(uri, staged);
        place(uri, staged, modelDir);
        Files.deleteIfExists(staged);
      } else if (objects.stream().allMatch(o -> o.uri().key().endsWith("/"))) {
        throw StageFailure.fatal("ClientError: no model data found at " + uri);
      } else {
        context.store.downloadPrefix(uri, modelDir);
      }
    } catch (ArtifactStoreException e) {
      String reason = "ClientError: could not download the model data from " + uri + ": ";
      throw e.isNotFound()
          ? StageFailure.fatal(reason + e.getMessage(), e)
          : StageFailure.retryable(reason + e.getMessage(), e);
    } catch (IOException e) {
      throw StageFailure.fatal(
          "InternalServerError: could not place the model data from " + uri + ": " + e, e);
    }
  }

  /** Unpacks an archive into {@code modelDir}, or copies the object there as it is. */
  private static void place(S3Uri uri, Path staged, Path modelDir) throws IOException {
    boolean namedArchive = isArchiveName(uri.key());
    if (namedArchive || isGzip(staged)) {
      try {
        TarGz.unpack(staged, modelDir);
        return;
      } catch (ArchiveException e) {
        if (namedArchive) {
          throw StageFailure.fatal(
              "ClientError: could not unpack the model data "
                  + uri
                  + ": "
                  + e.getMessage().replace(staged.toString(), uri.toString()),
              e);
        }
        // gzip, but no tar: the model is that file
        clear(modelDir);
      }
    }
    String key = uri.key();
    Path target = modelDir.resolve(key.substring(key.lastIndexOf('/') + 1));
    Files.copy(staged, target, StandardCopyOption.REPLACE_EXISTING);
  }

  /** True for keys SageMaker users give archives: {@code model.tar.gz}, {@code x.tgz}. */
  static boolean isArchiveName(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.endsWith(".tar.gz") || k.endsWith(".tgz");
  }

  /** True when the file starts with the gzip magic bytes. */
  static boolean isGzip(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    }
  }

  /** Empties the directory (a retried attempt must not mix with a partial earlier one). */
  private static void clear(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        if (!p.equals(dir)) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
