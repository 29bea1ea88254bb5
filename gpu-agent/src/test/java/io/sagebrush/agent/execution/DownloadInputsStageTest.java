package io.sagebrush.agent.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagebrush.agent.runtime.StageFailure;
import io.sagebrush.artifacts.S3Uri;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DownloadInputsStageTest {
  @Test
  void keysBelowAPrefixKeepTheirRelativePath() {
    assertThat(DownloadInputsStage.relativePath("data/train/", "data/train/a.csv"))
        .isEqualTo("a.csv");
    assertThat(DownloadInputsStage.relativePath("data/train", "data/train/sub/b.csv"))
        .isEqualTo("sub/b.csv");
    assertThat(DownloadInputsStage.relativePath("", "top.csv")).isEqualTo("top.csv");
  }

  @Test
  void aPrefixNamingOneObjectGivesItsFileName() {
    assertThat(DownloadInputsStage.relativePath("data/train.csv", "data/train.csv"))
        .isEqualTo("train.csv");
  }

  @Test
  void aPrefixEndingInsideASegmentKeepsThatSegment() {
    assertThat(DownloadInputsStage.relativePath("data/tr", "data/train/a.csv"))
        .isEqualTo("train/a.csv");
  }

  @Test
  void manifestEntriesAreThePrefixPlusEachSuffix() {
    byte[] manifest =
        "[{\"prefix\":\"s3://bkt/p/\"},\"x/one.csv\",\"two.csv\"]".getBytes(StandardCharsets.UTF_8);

    assertThat(DownloadInputsStage.fromManifest(manifest, S3Uri.parse("s3://bkt/m.json")))
        .containsExactly(
            new DownloadInputsStage.InputObject(S3Uri.parse("s3://bkt/p/x/one.csv"), "x/one.csv"),
            new DownloadInputsStage.InputObject(S3Uri.parse("s3://bkt/p/two.csv"), "two.csv"));
  }

  @Test
  void aManifestWithoutPrefixIsAClientError() {
    byte[] manifest = "[\"a.csv\"]".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(
            () -> DownloadInputsStage.fromManifest(manifest, S3Uri.parse("s3://bkt/m.json")))
        .isInstanceOf(StageFailure.class)
        .hasMessageStartingWith("ClientError: manifest s3://bkt/m.json");
  }
}
