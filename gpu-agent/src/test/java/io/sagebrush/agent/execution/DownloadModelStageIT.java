package io.sagebrush.agent.execution;

import static io.sagebrush.agent.testing.TaskBuilder.aServingTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagebrush.agent.runtime.JobWorkspace;
import io.sagebrush.agent.runtime.StageFailure;
import io.sagebrush.agent.runtime.TaskRun;
import io.sagebrush.agent.testing.RecordingReporter;
import io.sagebrush.agent.testing.S3Fixture;
import io.sagebrush.artifacts.S3Uri;
import io.sagebrush.protocol.TaskAssignment;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model data from the real embedded S3 server into {@code /opt/ml/model}. */
class DownloadModelStageIT {
  @TempDir static Path shared;
  private static S3Fixture s3;

  @TempDir Path dir;
  private JobWorkspace workspace;

  @BeforeAll
  static void startS3() throws IOException {
    s3 = S3Fixture.start(shared);
    s3.putTarGz(
        "s3://models/good/model.tar.gz", Map.of("xgboost-model", "weights", "code/a.py", "x"));
    s3.put("s3://models/plain/model.bin", "raw bytes");
    s3.put("s3://models/prefix/one.txt", "1");
    s3.put("s3://models/prefix/sub/two.txt", "2");
    s3.put("s3://models/bad/model.tar.gz", "not gzip at all");
  }

  @AfterAll
  static void stopS3() {
    s3.close();
  }

  private Map<String, String> download(String url) throws IOException {
    return download(url, System.nanoTime() + 60_000_000_000L);
  }

  private Map<String, String> download(String url, long deadline) throws IOException {
    TaskAssignment task = aServingTask("ep").withModelData(url).build();
    workspace = new JobWorkspace(dir.resolve(UUID.randomUUID().toString()));
    workspace.create(List.of("algo-1"));
    TaskContext context =
        new TaskContext(
            new TaskRun("agent", task, workspace), s3.store(), null, new RecordingReporter());
    new DownloadModelStage(deadline, 60).run(context);
    Path model = workspace.modelDir("algo-1");
    Map<String, String> files = new java.util.TreeMap<>();
    try (Stream<Path> paths = Files.walk(model)) {
      for (Path p : paths.filter(Files::isRegularFile).toList()) {
        files.put(model.relativize(p).toString(), Files.readString(p));
      }
    }
    return files;
  }

  @Test
  void aModelTarGzIsUnpackedIntoTheModelDirectory() throws IOException {
    assertThat(download("s3://models/good/model.tar.gz"))
        .containsExactlyInAnyOrderEntriesOf(Map.of("xgboost-model", "weights", "code/a.py", "x"));
  }

  @Test
  void anObjectThatIsNoArchiveIsCopiedAsItIs() throws IOException {
    assertThat(download("s3://models/plain/model.bin"))
        .containsExactlyInAnyOrderEntriesOf(Map.of("model.bin", "raw bytes"));
  }

  @Test
  void aPrefixIsCopiedWithItsPaths() throws IOException {
    assertThat(download("s3://models/prefix/"))
        .containsExactlyInAnyOrderEntriesOf(Map.of("one.txt", "1", "sub/two.txt", "2"));
  }

  @Test
  void noModelDataLeavesTheModelDirectoryEmpty() throws IOException {
    assertThat(download(null)).isEmpty();
    assertThat(workspace.modelDir("algo-1")).isEmptyDirectory();
  }

  @Test
  void missingModelDataFailsWithTheUrl() {
    assertThatThrownBy(() -> download("s3://models/nothing/model.tar.gz"))
        .isInstanceOf(StageFailure.class)
        .hasMessage("ClientError: no model data found at s3://models/nothing/model.tar.gz");
  }

  @Test
  void aTarGzThatIsNoArchiveFailsNamingTheUrl() {
    assertThatThrownBy(() -> download("s3://models/bad/model.tar.gz"))
        .isInstanceOf(StageFailure.class)
        .hasMessageStartingWith(
            "ClientError: could not unpack the model data s3://models/bad/model.tar.gz: ");
  }

  @Test
  void anArchiveEntryEscapingTheModelDirectoryIsRefused() throws IOException {
    Path tar = dir.resolve("evil.tar.gz");
    try (OutputStream file = Files.newOutputStream(tar);
        GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(file);
        TarArchiveOutputStream out = new TarArchiveOutputStream(gzip)) {
      byte[] data = "owned".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry entry = new TarArchiveEntry("../../evil.txt");
      entry.setSize(data.length);
      out.putArchiveEntry(entry);
      out.write(data);
      out.closeArchiveEntry();
    }
    s3.store().upload(tar, S3Uri.parse("s3://models/evil/model.tar.gz"));

    assertThatThrownBy(() -> download("s3://models/evil/model.tar.gz"))
        .isInstanceOf(StageFailure.class)
        .hasMessageContaining("Refusing to unpack entry '../../evil.txt'");
    assertThat(dir.resolve("evil.txt")).doesNotExist();
  }

  @Test
  void aDownloadPastItsDeadlineFailsWithTheBudget() {
    assertThatThrownBy(() -> download("s3://models/good/model.tar.gz", System.nanoTime()))
        .isInstanceOf(StageFailure.class)
        .hasMessage(
            "ClientError: downloading the model data from s3://models/good/model.tar.gz took"
                + " longer than the ModelDataDownloadTimeoutInSeconds of 60 seconds");
  }
}
