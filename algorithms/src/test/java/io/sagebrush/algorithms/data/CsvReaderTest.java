package io.sagebrush.algorithms.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
  @TempDir Path dir;

  private List<NamedFile> file(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return List.of(new NamedFile("train/" + name, p));
  }

  @Test
  void labelFirstColumnsBecomeLabelsAndFeatures() throws Exception {
    Dataset d = new CsvReader(1, false, false).read(file("a.csv", "1,2,3\n\n0, 5 ,6\r\n"), -1);

    assertThat(d.rows()).isEqualTo(2);
    assertThat(d.cols()).isEqualTo(2);
    assertThat(d.labels()).containsExactly(1f, 0f);
    assertThat(d.features()).containsExactly(2f, 3f, 5f, 6f);
  }

  @Test
  void withoutLabelEveryColumnIsAFeature() throws Exception {
    Dataset d = new CsvReader(0, false, false).read(file("a.csv", "1,2\n3,4\n"), -1);

    assertThat(d.hasLabels()).isFalse();
    assertThat(d.row(1)).containsExactly(3f, 4f);
  }

  @Test
  void weightColumnFollowsTheLabel() throws Exception {
    Dataset d = new CsvReader(1, true, false).read(file("a.csv", "1,0.5,7,8\n"), -1);

    assertThat(d.weights()).containsExactly(0.5f);
    assertThat(d.features()).containsExactly(7f, 8f);
  }

  @Test
  void raggedRowNamesFileAndLine() throws Exception {
    List<NamedFile> f = file("part-0.csv", "1,2,3\n1,2,3\n1,2\n");

    assertThatThrownBy(() -> new CsvReader(1, false, false).read(f, -1))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(
            "file train/part-0.csv line 3: expected 3 columns (as in train/part-0.csv line 1),"
                + " found 2");
  }

  @Test
  void longerRowIsRaggedToo() throws Exception {
    List<NamedFile> f = file("a.csv", "1,2\n1,2,3,4\n");

    assertThatThrownBy(() -> new CsvReader(0, false, false).read(f, -1))
        .hasMessageStartingWith("file train/a.csv line 2: expected 2 columns")
        .hasMessageEndingWith("found 4");
  }

  @Test
  void nonNumericCellNamesFileLineAndColumn() throws Exception {
    List<NamedFile> f = file("a.csv", "1,2,3\n1,abc,3\n");

    assertThatThrownBy(() -> new CsvReader(1, false, false).read(f, -1))
        .hasMessage("file train/a.csv line 2: column 2 value 'abc' is not a number");
  }

  @Test
  void headerRowIsReportedAsNonNumeric() throws Exception {
    List<NamedFile> f = file("a.csv", "label,x\n1,2\n");

    assertThatThrownBy(() -> new CsvReader(1, false, false).read(f, -1))
        .hasMessage("file train/a.csv line 1: column 1 value 'label' is not a number");
  }

  @Test
  void emptyCellsAreMissingOnlyWhenAllowed() throws Exception {
    List<NamedFile> f = file("a.csv", "1,,3\n");

    assertThat(new CsvReader(1, false, true).read(f, -1).features()[0]).isNaN();
    assertThatThrownBy(() -> new CsvReader(1, false, false).read(f, -1))
        .hasMessage("file train/a.csv line 1: column 2 is empty");
  }

  @Test
  void labelOutOfRangeNamesFileAndLine() throws Exception {
    List<NamedFile> f = file("a.csv", "0,1\n1,1\n2,1\n");
    CsvReader reader =
        new CsvReader(1, false, false).withLabelRule(LabelRule.of(v -> v == 0 || v == 1, "0 or 1"));

    assertThatThrownBy(() -> reader.read(f, -1))
        .hasMessage("file train/a.csv line 3: label 2 must be 0 or 1");
  }

  @Test
  void expectedColumnCountIsEnforcedAcrossFiles() throws Exception {
    Path a = dir.resolve("a.csv");
    Path b = dir.resolve("b.csv");
    Files.writeString(a, "1,2\n");
    Files.writeString(b, "1,2,3\n");

    assertThatThrownBy(
            () ->
                new CsvReader(0, false, false)
                    .read(List.of(new NamedFile("t/a.csv", a), new NamedFile("t/b.csv", b)), -1))
        .hasMessageStartingWith("file t/b.csv line 1: expected 2 columns");
  }

  @Test
  void manyBatchesKeepRecordOrderAndFileLineNumbers() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      sb.append(i % 2).append(',').append(i).append('\n');
      if (i == 5000) {
        sb.append('\n');
      }
    }
    Dataset d = new CsvReader(1, false, false).read(file("big.csv", sb.toString()), -1);

    assertThat(d.rows()).isEqualTo(10_000);
    for (int i = 0; i < 10_000; i += 997) {
      assertThat(d.get(i, 0)).isEqualTo((float) i);
      assertThat(d.labels()[i]).isEqualTo((float) (i % 2));
    }
    String bad = sb.toString().replace("\n0,9000\n", "\n0,nine\n");
    assertThatThrownBy(() -> new CsvReader(1, false, false).read(file("bad.csv", bad), -1))
        .hasMessage("file train/bad.csv line 9002: column 2 value 'nine' is not a number");
  }
}
