package io.sagebrush.artifacts.adapter.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagebrush.artifacts.ArtifactStoreException;
import io.sagebrush.artifacts.S3Uri;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.protocol.StorageSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ArtifactStoreTest {
  private static final Path ROOT = Path.of("/work/channel");
  private static final S3Uri PREFIX = S3Uri.parse("s3://bucket/train/");

  @Test
  void keysBecomePathsRelativeToThePrefix() {
    assertThat(ArtifactStore.targetFor(PREFIX, S3Uri.parse("s3://bucket/train/a/b.csv"), ROOT))
        .isEqualTo(ROOT.resolve("a/b.csv"));
  }

  @Test
  void folderMarkersAreSkipped() {
    assertThat(ArtifactStore.targetFor(PREFIX, S3Uri.parse("s3://bucket/train/sub/"), ROOT))
        .isNull();
  }

  @Test
  void aKeyWithDotDotThatEscapesIsRefusedNamingTheKey() {
    S3Uri evil = S3Uri.parse("s3://bucket/train/../../etc/passwd");

    assertThatThrownBy(() -> ArtifactStore.targetFor(PREFIX, evil, ROOT))
        .isInstanceOf(ArtifactStoreException.class)
        .hasMessageContaining(evil.toString())
        .hasMessageContaining("outside");
  }

  @Test
  void aKeyWithDotDotThatStaysInsideIsAllowed() {
    assertThat(ArtifactStore.targetFor(PREFIX, S3Uri.parse("s3://bucket/train/a/../b.csv"), ROOT))
        .isEqualTo(ROOT.resolve("b.csv"));
  }

  @Test
  void leadingSlashesAfterThePrefixStayInsideTheDirectory() {
    assertThat(
            ArtifactStore.targetFor(
                S3Uri.parse("s3://bucket/train"), S3Uri.parse("s3://bucket/train//etc/x"), ROOT))
        .isEqualTo(ROOT.resolve("etc/x"));
  }

  @Test
  void aKeyResolvingToTheDirectoryItselfIsRefused() {
    assertThatThrownBy(
            () -> ArtifactStore.targetFor(PREFIX, S3Uri.parse("s3://bucket/train/a/.."), ROOT))
        .isInstanceOf(ArtifactStoreException.class);
  }

  @Test
  void connectRejectsANonHttpEndpointWithAValidationError() {
    assertThatThrownBy(
            () ->
                ArtifactStore.connect(new StorageSettings("ftp://host:21", "us-east-1", "a", "b")))
        .isInstanceOf(SagebrushException.class)
        .hasMessageContaining("'ftp://host:21'");
  }
}
