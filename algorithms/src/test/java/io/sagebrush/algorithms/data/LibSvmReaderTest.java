package io.sagebrush.algorithms.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibSvmReaderTest {
  @TempDir Path dir;

  private List<NamedFile> file(String content) throws Exception {
    Path p = dir.resolve("a.libsvm");
    Files.writeString(p, content);
    return List.of(new NamedFile("train/a.libsvm", p));
  }

  @Test
  void sparseRowsBecomeDenseWithMissingValues() throws Exception {
    Dataset d = new LibSvmReader().read(file("1 0:1.5 2:3 # comment\n0:2 qid:4 1:-1\n\n"), 0);

    assertThat(d.rows()).isEqualTo(2);
    assertThat(d.cols()).isEqualTo(3);
    assertThat(d.labels()).containsExactly(1f, 0f);
    assertThat(d.weights()).containsExactly(1f, 2f);
    assertThat(d.get(0, 0)).isEqualTo(1.5f);
    assertThat(d.get(0, 1)).isNaN();
    assertThat(d.get(1, 1)).isEqualTo(-1f);
  }

  @Test
  void minimumColumnsWidenTheMatrix() throws Exception {
    assertThat(new LibSvmReader().read(file("1 0:1\n"), 5).cols()).isEqualTo(5);
  }

  @Test
  void malformedTokenNamesFileAndLine() throws Exception {
    List<NamedFile> f = file("1 0:1\n0 1=2\n");

    assertThatThrownBy(() -> new LibSvmReader().read(f, 0))
        .isInstanceOf(DataFormatException.class)
        .hasMessage("file train/a.libsvm line 2: token '1=2' is not index:value");
  }

  @Test
  void nonNumericValueNamesFileAndLine() throws Exception {
    assertThatThrownBy(() -> new LibSvmReader().read(file("x 0:1\n"), 0))
        .hasMessage("file train/a.libsvm line 1: label 'x' is not a number");
    assertThatThrownBy(() -> new LibSvmReader().read(file("1 0:one\n"), 0))
        .hasMessage("file train/a.libsvm line 1: value of index 0 'one' is not a number");
  }
}
