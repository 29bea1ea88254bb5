package io.sagebrush.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagebrush.common.error.ErrorCode;
import io.sagebrush.common.error.SagebrushException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class S3UriTest {

  @Test
  void parseSplitsBucketAndKey() {
    S3Uri uri = S3Uri.parse("s3://my-bucket/data/train/part-0.csv");

    assertThat(uri.bucket()).isEqualTo("my-bucket");
    assertThat(uri.key()).isEqualTo("data/train/part-0.csv");
    assertThat(uri).hasToString("s3://my-bucket/data/train/part-0.csv");
  }

  @Test
  void parseAcceptsABucketWithoutKeyOrWithTrailingSlash() {
    assertThat(S3Uri.parse("s3://bucket")).isEqualTo(new S3Uri("bucket", ""));
    assertThat(S3Uri.parse("s3://bucket/")).isEqualTo(new S3Uri("bucket", ""));
    assertThat(S3Uri.parse("s3://bucket")).hasToString("s3://bucket/");
  }

  @Test
  void parseKeepsTrailingSlashOfAPrefix() {
    assertThat(S3Uri.parse("s3://bucket/train/").key()).isEqualTo("train/");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://bucket/key",
        "bucket/key",
        "s3:/bucket/key",
        "s3://",
        "s3:///key",
        "s3://ab/key",
        "s3://Upper/key",
        "s3://under_score/key",
        "s3://-leading/key",
        "s3://trailing-/key",
        "s3://two..dots/key",
        "s3://192.168.1.1/key",
        ""
      })
  void parseRejectsInvalidUrisWithAValidationErrorNamingTheUri(String text) {
    assertThatThrownBy(() -> S3Uri.parse(text))
        .isInstanceOf(SagebrushException.class)
        .hasMessageContaining("'" + text + "'")
        .satisfies(
            e -> assertThat(((SagebrushException) e).code()).isEqualTo(ErrorCode.VALIDATION));
  }

  @Test
  void parseRejectsNull() {
    assertThatThrownBy(() -> S3Uri.parse(null))
        .isInstanceOf(SagebrushException.class)
        .hasMessageContaining("Invalid S3 URI");
  }

  @Test
  void parseRejectsAKeyLongerThan1024Bytes() {
    String uri = "s3://bucket/" + "é".repeat(513);

    assertThatThrownBy(() -> S3Uri.parse(uri))
        .isInstanceOf(SagebrushException.class)
        .hasMessageContaining("longer than 1024 bytes");
  }

  @Test
  void parseRejectsControlCharactersInTheKey() {
    assertThatThrownBy(() -> S3Uri.parse("s3://bucket/a\nb"))
        .isInstanceOf(SagebrushException.class)
        .hasMessageContaining("control character");
  }

  @Test
  void constructorValidatesTheBucketToo() {
    assertThatThrownBy(() -> new S3Uri("Bad_Bucket", "k"))
        .isInstanceOf(SagebrushException.class)
        .hasMessageContaining("'Bad_Bucket'");
  }

  @Test
  void isValidAnswersWithoutThrowing() {
    assertThat(S3Uri.isValid("s3://bucket/x")).isTrue();
    assertThat(S3Uri.isValid("https://bucket/x")).isFalse();
    assertThat(S3Uri.isValid(null)).isFalse();
  }

  @Test
  void resolveJoinsWithExactlyOneSlash() {
    assertThat(S3Uri.parse("s3://b1b/out").resolve("job/model.tar.gz"))
        .hasToString("s3://b1b/out/job/model.tar.gz");
    assertThat(S3Uri.parse("s3://b1b/out/").resolve("job")).hasToString("s3://b1b/out/job");
    assertThat(S3Uri.parse("s3://b1b/out/").resolve("/job")).hasToString("s3://b1b/out/job");
    assertThat(S3Uri.parse("s3://b1b").resolve("job")).hasToString("s3://b1b/job");
    assertThat(S3Uri.parse("s3://b1b/out").resolve("")).hasToString("s3://b1b/out");
  }

  @Test
  void asPrefixAddsATrailingSlashOnce() {
    assertThat(S3Uri.parse("s3://b1b/out").asPrefix()).hasToString("s3://b1b/out/");
    assertThat(S3Uri.parse("s3://b1b/out/").asPrefix()).hasToString("s3://b1b/out/");
    assertThat(S3Uri.parse("s3://b1b").asPrefix()).hasToString("s3://b1b/");
  }

  @Test
  void fileNameIsTheLastKeySegment() {
    assertThat(S3Uri.parse("s3://b1b/a/b/c.csv").fileName()).isEqualTo("c.csv");
    assertThat(S3Uri.parse("s3://b1b/a/b/").fileName()).isEqualTo("b");
    assertThat(S3Uri.parse("s3://b1b/").fileName()).isEqualTo("b1b");
  }

  @Test
  void manifestObjectsConcatenatePrefixAndSuffix() {
    Manifest manifest =
        new Manifest(S3Uri.parse("s3://b1b/data/"), java.util.List.of("a.csv", "sub/b.csv"));

    assertThat(manifest.objects())
        .containsExactly(
            S3Uri.parse("s3://b1b/data/a.csv"), S3Uri.parse("s3://b1b/data/sub/b.csv"));
  }
}
