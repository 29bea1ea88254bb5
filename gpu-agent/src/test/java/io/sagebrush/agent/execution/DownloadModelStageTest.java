package io.sagebrush.agent.execution;

import static io.sagebrush.agent.testing.TaskBuilder.aServingTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagebrush.agent.runtime.JobWorkspace;
import io.sagebrush.agent.runtime.StageFailure;
import io.sagebrush.agent.runtime.TaskRun;
import io.sagebrush.agent.testing.RecordingReporter;
import io.sagebrush.artifacts.S3Uri;
import io.sagebrush.protocol.TaskAssignment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A download that is abandoned (stop order, deadline) is stopped before the stage returns, so that
 * nothing writes into the workspace the caller then deletes. The worker here writes "objects" one
 * after the other with {@link Files#copy(InputStream, Path, java.nio.file.CopyOption...)}, as the
 * artifact store's download does: an interrupt does not end such a copy (the file stream is not
 * interruptible, neither is a socket read), only the next object is not started.
 */
class DownloadModelStageTest {
  private static final long OBJECT_BYTES = 256 * 1024;

  @TempDir Path dir;

  private final AtomicBoolean workerEnded = new AtomicBoolean();
  private volatile Path modelDir;

  private TaskContext context() {
    TaskAssignment task = aServingTask("ep").withModelData("s3://models/big/").build();
    JobWorkspace workspace = new JobWorkspace(dir.resolve("job"));
    workspace.create(List.of("algo-1"));
    return new TaskContext(
        new TaskRun("agent", task, workspace), null, null, new RecordingReporter());
  }

  /** Writes objects until interrupted; the object in flight then completes. */
  private void objectsUntilInterrupted(TaskContext context, S3Uri uri, Path target) {
    modelDir = target;
    try {
      for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
        Files.copy(new SlowObject(OBJECT_BYTES), target.resolve("part-" + i));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      workerEnded.set(true);
    }
  }

  private long bytesWritten() throws IOException {
    try (Stream<Path> files = Files.list(modelDir)) {
      return files.mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private void assertNothingWritesAnyMore() throws IOException, InterruptedException {
    assertThat(workerEnded).as("the worker ended before the stage returned").isTrue();
    long written = bytesWritten();
    Thread.sleep(300);
    assertThat(bytesWritten()).isEqualTo(written);
  }

  private static void stopLater(TaskContext context) {
    Thread stopper =
        new Thread(
            () -> {
              LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
              context.requestStop(false);
            });
    stopper.setDaemon(true);
    stopper.start();
  }

  @Test
  void aStopOrderEndsTheDownloadBeforeTheStageReturns() throws Exception {
    TaskContext context = context();
    DownloadModelStage stage =
        new DownloadModelStage(
            System.nanoTime() + Duration.ofMinutes(1).toNanos(),
            60,
            this::objectsUntilInterrupted,
            Duration.ofSeconds(10));
    stopLater(context);

    stage.run(context);

    assertNothingWritesAnyMore();
    assertThat(context.lingering).isNull();
  }

  @Test
  void theDeadlineEndsTheDownloadBeforeTheStageFails() throws Exception {
    TaskContext context = context();
    DownloadModelStage stage =
        new DownloadModelStage(
            System.nanoTime() + Duration.ofMillis(300).toNanos(),
            1,
            this::objectsUntilInterrupted,
            Duration.ofSeconds(10));

    assertThatThrownBy(() -> stage.run(context))
        .isInstanceOf(StageFailure.class)
        .hasMessageContaining(
            "took longer than the ModelDataDownloadTimeoutInSeconds of 1 seconds");
    assertNothingWritesAnyMore();
  }

  @Test
  void aDownloadThatOutlastsTheCancelWaitIsLeftForTheWorkspaceDeletionToWaitFor() throws Exception {
    TaskContext context = context();
    DownloadModelStage stage =
        new DownloadModelStage(
            System.nanoTime() + Duration.ofMinutes(1).toNanos(),
            60,
            (c, uri, target) -> {
              modelDir = target;
              try {
                // one large object in flight: about 1 s whatever the interrupts
                Files.copy(new SlowObject(8L * 1024 * 1024), target.resolve("big"));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              } finally {
                workerEnded.set(true);
              }
            },
            Duration.ofMillis(100));
    stopLater(context);

    stage.run(context);

    assertThat(workerEnded).as("still downloading when the stage gave up waiting").isFalse();
    assertThat(context.lingering).isNotNull();
    assertThat(context.awaitLingering(Duration.ofSeconds(10))).isTrue();
    assertNothingWritesAnyMore();
    assertThat(context.lingering).isNull();
  }

  @Test
  void cancellingKeepsTheCallersInterruptStatus() {
    Thread worker = new Thread(() -> LockSupport.parkNanos(Duration.ofSeconds(5).toNanos()));
    worker.start();
    Thread.currentThread().interrupt();

    boolean ended = DownloadModelStage.cancel(worker, Duration.ofSeconds(5));

    assertThat(Thread.interrupted()).isTrue();
    assertThat(ended).isTrue();
  }

  /** {@code size} zero bytes, 8 KiB a millisecond; reads go on after an interrupt. */
  private static final class SlowObject extends InputStream {
    private long left;

    SlowObject(long size) {
      this.left = size;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : 0;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left <= 0) {
        return -1;
      }
      // parkNanos returns at once while the interrupt flag is set: keep the pace with a busy wait
      long until = System.nanoTime() + 1_000_000L;
      while (System.nanoTime() < until) {
        LockSupport.parkNanos(until - System.nanoTime());
      }
      int n = (int) Math.min(Math.min(len, 8192), left);
      Arrays.fill(b, off, off + n, (byte) 0);
      left -= n;
      return n;
    }
  }
}
