package io.sagebrush.agent.execution;

import io.sagebrush.agent.runtime.StageFailure;
import io.sagebrush.artifacts.ArtifactStoreException;
import io.sagebrush.artifacts.S3Uri;
import io.sagebrush.artifacts.StoredObject;
import io.sagebrush.artifacts.adapter.s3.ArtifactStore;
import io.sagebrush.artifacts.archive.ArchiveException;
import io.sagebrush.artifacts.archive.TarGz;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.protocol.ServingSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * stop order abandons it. The download runs on a worker thread (and, for a prefix, on transfer
 * threads the worker waits for). When it is abandoned (stop order, deadline, interrupt) the worker
 * is interrupted: it starts no further object or step and ends once the objects in flight are done,
 * for neither a socket read nor a write through {@link Files#newOutputStream} ends on an interrupt.
 * The stage waits up to {@link #CANCEL_WAIT} for that; a worker still running then is left in
 * {@link TaskContext#lingering}, and the workspace is deleted only once it ended.
 */
final class DownloadModelStage implements Stage {
  static final Duration CANCEL_WAIT = Duration.ofSeconds(10);
  private static final String STAGED_NAME = "model-data";
  private static final long STOP_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  private static final Logger log = LoggerFactory.getLogger(DownloadModelStage.class);

  /** What the worker does: puts the model data at {@code uri} into {@code modelDir}. */
  @FunctionalInterface
  interface Fetch {
    void fetch(TaskContext context, S3Uri uri, Path modelDir);
  }

  private final long deadlineNanos;
  private final long budgetSeconds;
  private final Fetch fetchModel;
  private final Duration cancelWait;

  /**
   * @param deadlineNanos when the download must be done ({@link System#nanoTime()} scale)
   * @param budgetSeconds the budget the deadline came from, for the failure reason
   */
  DownloadModelStage(long deadlineNanos, long budgetSeconds) {
    this(deadlineNanos, budgetSeconds, DownloadModelStage::fetch, CANCEL_WAIT);
  }

  /** A stage whose worker runs {@code fetch} and that waits {@code cancelWait} for it (tests). */
  DownloadModelStage(long deadlineNanos, long budgetSeconds, Fetch fetch, Duration cancelWait) {
    this.deadlineNanos = deadlineNanos;
    this.budgetSeconds = budgetSeconds;
    this.fetchModel = fetch;
    this.cancelWait = cancelWait;
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
                fetchModel.fetch(context, uri, modelDir);
                fetch.complete(null);
              } catch (Throwable t) {
                fetch.completeExceptionally(t);
              }
            },
            "sagebrush-model-download-" + context.task().taskId());
    worker.setDaemon(true);
    worker.start();
    try {
      if (!awaitUnlessStopped(context, fetch)) {
        cancel(context, worker);
      }
    } catch (TimeoutException e) {
      cancel(context, worker);
      throw StageFailure.fatal(
          "ClientError: downloading the model data from "
              + url
              + " took longer than the ModelDataDownloadTimeoutInSeconds of "
              + budgetSeconds
              + " seconds",
          e);
    } catch (InterruptedException e) {
      cancel(context, worker);
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
   * Waits for the download until the deadline.
   *
   * @return true when it finished, false on a stop order (the caller then reports STOPPED)
   */
  private boolean awaitUnlessStopped(TaskContext context, CompletableFuture<Void> fetch)
      throws TimeoutException, InterruptedException, ExecutionException {
    while (true) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException();
      }
      try {
        fetch.get(Math.min(left, STOP_CHECK_NANOS), TimeUnit.NANOSECONDS);
        return true;
      } catch (TimeoutException e) {
        if (context.stopRequested()) {
          return false;
        }
      }
    }
  }

  /**
   * Interrupts the worker and waits up to the cancel wait for it to end; when it did not, leaves it
   * in {@link TaskContext#lingering}. Keeps the caller's interrupt status.
   */
  private void cancel(TaskContext context, Thread worker) {
    if (!cancel(worker, cancelWait)) {
      log.warn(
          "The model download {} did not end within {} of being cancelled; the workspace stays"
              + " until it does",
          worker.getName(),
          cancelWait);
      context.lingering = worker;
    }
  }

  /**
   * Interrupts {@code worker} and waits up to {@code wait} for it to end. Keeps the caller's
   * interrupt status.
   *
   * @return true when it ended
   */
  static boolean cancel(Thread worker, Duration wait) {
    worker.interrupt();
    boolean interrupted = Thread.interrupted();
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      while (worker.isAlive()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          interrupted = true;
          worker.interrupt();
        }
      }
      return true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
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
        checkNotCancelled(uri);
        place(uri, staged, modelDir);
        Files.deleteIfExists(staged);
      } else if (objects.stream().allMatch(o -> o.uri().key().endsWith("/"))) {
        throw StageFailure.fatal("ClientError: no model data found at " + uri);
      } else {
        downloadPrefix(context, uri, objects, modelDir);
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

  /**
   * Downloads every object under {@code prefix} into {@code modelDir}, keeping its path after the
   * prefix, through {@link ArtifactStore#downloadAll} on the worker's own transfer threads: once
   * interrupted it starts no further object and returns only after those in flight ended.
   */
  private static void downloadPrefix(
      TaskContext context, S3Uri prefix, List<StoredObject> objects, Path modelDir) {
    Path root = modelDir.toAbsolutePath().normalize();
    Map<S3Uri, Path> targets = new LinkedHashMap<>();
    for (StoredObject object : objects) {
      Path target = targetFor(prefix, object.uri(), root);
      if (target != null) {
        targets.put(object.uri(), target);
      }
    }
    checkNotCancelled(prefix);
    String name = Thread.currentThread().getName() + "-transfer";
    try {
      context.store.downloadAll(
          targets,
          r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
          });
    } catch (ArtifactStoreException e) {
      // A cancelled worker reports the cancel, not what the store made of the interrupt.
      checkNotCancelled(prefix);
      throw e;
    }
  }

  /**
   * Where {@code object} goes under {@code root}: its key after the prefix, or its file name when
   * the prefix names it exactly; null for folder markers.
   *
   * @throws StageFailure when the key would land outside {@code root}
   */
  static Path targetFor(S3Uri prefix, S3Uri object, Path root) {
    String key = object.key();
    if (key.endsWith("/")) {
      return null;
    }
    String relative = key.substring(Math.min(prefix.key().length(), key.length()));
    while (relative.startsWith("/")) {
      relative = relative.substring(1);
    }
    if (relative.isEmpty()) {
      relative = key.substring(key.lastIndexOf('/') + 1);
    }
    Path target;
    try {
      target = root.resolve(relative).normalize();
    } catch (RuntimeException e) {
      throw StageFailure.fatal(
          "ClientError: refusing to download " + object + ": its key is not a valid file path", e);
    }
    if (!target.startsWith(root) || target.equals(root)) {
      throw StageFailure.fatal(
          "ClientError: refusing to download "
              + object
              + ": its key would be written outside the model directory");
    }
    return target;
  }

  /** Gives up between steps once the stage cancelled the download (it interrupts the worker). */
  private static void checkNotCancelled(S3Uri uri) {
    if (Thread.currentThread().isInterrupted()) {
      throw StageFailure.fatal("InternalServerError: the download of " + uri + " was cancelled");
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
