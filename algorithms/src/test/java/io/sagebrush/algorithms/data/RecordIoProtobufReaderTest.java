package io.sagebrush.algorithms.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads fixtures written with the real protobuf runtime the way the SageMaker Python SDK's {@code
 * write_numpy_to_dense_tensor} and {@code write_spmatrix_to_sparse_tensor} write them ({@code
 * src/test/resources/recordio/make_fixtures.py}).
 */
class RecordIoProtobufReaderTest {
  @TempDir Path dir;

  private List<NamedFile> fixture(String name) throws Exception {
    Path p = dir.resolve(name);
    try (InputStream in = getClass().getResourceAsStream("/recordio/" + name)) {
      Files.copy(in, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return List.of(new NamedFile("train/" + name, p));
  }

  @Test
  void denseRecordsWithLabels() throws Exception {
    Dataset d = new RecordIoProtobufReader(true).read(fixture("dense-labelled.pbr"));

    assertThat(d.rows()).isEqualTo(3);
    assertThat(d.cols()).isEqualTo(3);
    assertThat(d.labels()).containsExactly(0f, 1f, 1f);
    assertThat(d.row(1)).containsExactly(4f, 5.5f, 6f);
    assertThat(d.row(2)[2]).isEqualTo(9.25f);
  }

  @Test
  void denseRecordsWithoutLabels() throws Exception {
    Dataset d = new RecordIoProtobufReader(false).read(fixture("dense-unlabelled.pbr"));

    assertThat(d.hasLabels()).isFalse();
    assertThat(d.features()).containsExactly(0, 0, 0, 1, 10, 10, 10, 11);
    assertThat(ChannelData.looksLikeRecordIo(fixture("dense-unlabelled.pbr"))).isTrue();
  }

  @Test
  void sparseRecordsBecomeDenseOfTheirShape() throws Exception {
    Dataset d = new RecordIoProtobufReader(true).read(fixture("sparse-labelled.pbr"));

    assertThat(d.cols()).isEqualTo(5);
    assertThat(d.row(0)).containsExactly(1.5f, 0, 0, 2f, 0);
    assertThat(d.row(1)).containsExactly(0, 0, -1f, 0, 0);
    assertThat(d.labels()).containsExactly(3f, 4f);
  }

  @Test
  void missingLabelIsNamedWhenRequired() throws Exception {
    assertThatThrownBy(() -> new RecordIoProtobufReader(true).read(fixture("dense-unlabelled.pbr")))
        .hasMessage("file train/dense-unlabelled.pbr: record 1 has no label");
  }

  @Test
  void labelRuleNamesTheRecord() throws Exception {
    RecordIoProtobufReader reader =
        new RecordIoProtobufReader(true).withLabelRule(LabelRule.of(v -> v == 0, "0"));

    assertThatThrownBy(() -> reader.read(fixture("dense-labelled.pbr")))
        .hasMessage("file train/dense-labelled.pbr: record 2 label 1.0 must be 0");
  }

  @Test
  void truncatedRecordIsNamed() throws Exception {
    List<NamedFile> files = fixture("dense-labelled.pbr");
    byte[] all = Files.readAllBytes(files.get(0).path());
    Files.write(files.get(0).path(), Arrays.copyOf(all, all.length - 20));

    assertThatThrownBy(() -> new RecordIoProtobufReader(true).read(files))
        .isInstanceOf(RuntimeException.class);
  }
}
