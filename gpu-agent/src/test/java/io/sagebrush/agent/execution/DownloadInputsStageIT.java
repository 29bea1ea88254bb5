package io.sagebrush.agent.execution;

import static io.sagebrush.agent.testing.TaskBuilder.aTrainingTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.agent.runtime.JobWorkspace;
import io.sagebrush.agent.runtime.TaskRun;
import io.sagebrush.agent.testing.RecordingReporter;
import io.sagebrush.agent.testing.S3Fixture;
import io.sagebrush.artifacts.S3Uri;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training inputs from the real embedded S3 server, and a stop order in the middle of one. */
class DownloadInputsStageIT {
  private static final int BIG = 64 * 1024 * 1024;

  @TempDir static Path shared;
  private static S3Fixture s3;

  @TempDir Path dir;

  @BeforeAll
  static void startS3() throws IOException {
    s3 = S3Fixture.start(shared);
    s3.put("s3://inputs/small/a.csv", "1,2\n");
    s3.put("s3://inputs/small/sub/b.csv", "3,4\n");
    s3.bucket("big");
    s3.store()
        .putBytes(
            S3Uri.parse("s3://big/train/huge.bin"), new byte[BIG], "application/octet-stream");
  }

  @AfterAll
  static void stopS3() {
    s3.close();
  }

  private TaskContext context(String channelUri) {
    var task =
        aTrainingTask("inputs-" + UUID.randomUUID())
            .withChannel("train", channelUri, "FullyReplicated")
            .build();
    JobWorkspace workspace = new JobWorkspace(dir.resolve(UUID.randomUUID().toString()));
    workspace.create(List.of("algo-1"));
    return new TaskContext(
        new TaskRun("agent", task, workspace), s3.store(), null, new RecordingReporter());
  }

  private static List<String> files(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      return paths
          .filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  @Test
  void everyObjectOfTheChannelLandsBelowItsDirectory() throws IOException {
    TaskContext context = context("s3://inputs/small/");

    new DownloadInputsStage().run(context);

    Path channel = context.workspace().channelDir("algo-1", "train");
    assertThat(files(channel)).containsExactly("a.csv", "sub/b.csv");
    assertThat(channel.resolve("sub/b.csv")).hasContent("3,4\n");
  }

  @Test
  void aStopOrderDuringALargeObjectEndsTheStageWithoutFinishingIt() throws Exception {
    TaskContext context = context("s3://big/train/");
    Path channel = context.workspace().channelDir("algo-1", "train");
    // the stop order comes as soon as the object's part file shows up: mid-download
    Thread stopper =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                try (Stream<Path> files = Files.list(channel)) {
                  if (files.anyMatch(p -> p.getFileName().toString().endsWith(".part"))) {
                    context.requestStop(false);
                    return;
                  }
                } catch (IOException e) {
                  // the directory is not there yet
                }
                Thread.onSpinWait();
              }
            });
    stopper.start();

    new DownloadInputsStage().run(context);
    stopper.interrupt();
    stopper.join();

    assertThat(context.stopRequested()).isTrue();
    // neither the object nor its partial file: the download stopped in the middle and cleaned up
    assertThat(files(channel)).isEmpty();
  }
}
