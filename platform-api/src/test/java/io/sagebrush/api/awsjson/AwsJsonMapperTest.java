package io.sagebrush.api.awsjson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagebrush.common.error.ErrorCode;
import io.sagebrush.common.error.SagebrushException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsJsonMapperTest {
  final AwsJsonMapper json = new AwsJsonMapper();

  record Times(Instant creationTimeAfter, String absent) {}

  @Test
  void instantsAreWrittenAsEpochSecondsWithMillisecondDecimals() {
    String out = write(new Times(Instant.parse("2018-06-24T19:59:29.986Z"), null));

    assertThat(out).isEqualTo("{\"creationTimeAfter\":1529870369.986}");
  }

  @Test
  void wholeSecondsStillCarryThreeDecimalsAndNoExponent() {
    String out = write(new Times(Instant.parse("2026-01-01T00:00:00Z"), null));

    assertThat(out).isEqualTo("{\"creationTimeAfter\":1767225600.000}");
  }

  @Test
  void instantsInAMapAreNumbersToo() {
    assertThat(write(Map.of("t", Instant.ofEpochMilli(1500)))).isEqualTo("{\"t\":1.500}");
  }

  @Test
  void integerDecimalScientificAndIsoInputsAreAccepted() {
    assertThat(read("1529870369")).isEqualTo(Instant.parse("2018-06-24T19:59:29Z"));
    assertThat(read("1529870369.986")).isEqualTo(Instant.parse("2018-06-24T19:59:29.986Z"));
    assertThat(read("1.529870369986E9")).isEqualTo(Instant.parse("2018-06-24T19:59:29.986Z"));
    assertThat(read("\"2018-06-24T19:59:29.986Z\""))
        .isEqualTo(Instant.parse("2018-06-24T19:59:29.986Z"));
  }

  @Test
  void unknownMembersAreIgnoredAndAbsentOnesOmitted() {
    Times t =
        json.bind(
            json.readBody("{\"Foo\":1,\"absent\":null}".getBytes(StandardCharsets.UTF_8)),
            Times.class);

    assertThat(t).isEqualTo(new Times(null, null));
    assertThat(write(t)).isEqualTo("{}");
  }

  @Test
  void malformedJsonIsASerializationException() {
    assertThatThrownBy(() -> json.readBody("{\"a\":".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SagebrushException.class)
        .satisfies(
            e -> assertThat(((SagebrushException) e).code()).isEqualTo(ErrorCode.SERIALIZATION));
  }

  @Test
  void aWronglyTypedMemberIsASerializationException() {
    assertThatThrownBy(
            () ->
                json.bind(
                    json.readBody("{\"creationTimeAfter\":[1]}".getBytes(StandardCharsets.UTF_8)),
                    Times.class))
        .satisfies(
            e -> assertThat(((SagebrushException) e).code()).isEqualTo(ErrorCode.SERIALIZATION));
  }

  @Test
  void anEmptyBodyIsAnEmptyObject() {
    assertThat(json.readBody(new byte[0]).isObject()).isTrue();
  }

  private Instant read(String value) {
    return json.bind(
            json.readBody(
                ("{\"creationTimeAfter\":" + value + "}").getBytes(StandardCharsets.UTF_8)),
            Times.class)
        .creationTimeAfter();
  }

  private String write(Object o) {
    return new String(json.write(o), StandardCharsets.UTF_8);
  }
}
