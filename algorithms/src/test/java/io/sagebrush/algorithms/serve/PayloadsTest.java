package io.sagebrush.algorithms.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PayloadsTest {
  private static float[][] parse(String type, String body, int dim) {
    return Payloads.parse(type, body.getBytes(StandardCharsets.UTF_8), dim);
  }

  @Test
  void csvRowsWithEmptyCellsAsMissing() {
    float[][] rows = parse("text/csv; charset=utf-8", "1,2,3\r\n4,,6\n", 3);

    assertThat(rows[0]).containsExactly(1, 2, 3);
    assertThat(rows[1][1]).isNaN();
  }

  @Test
  void libsvmIgnoresALeadingLabelAndPadsToTheModel() {
    float[][] rows = parse("text/libsvm", "1 0:1.5 2:2\n1:3\n", 4);

    assertThat(rows[0][0]).isEqualTo(1.5f);
    assertThat(rows[0][1]).isNaN();
    assertThat(rows[1][1]).isEqualTo(3f);
    assertThat(rows[1]).hasSize(4);
  }

  @Test
  void jsonInstanceFormsAreAllUnderstood() {
    String body =
        "{\"instances\":[{\"features\":[1,2]},{\"data\":{\"features\":{\"values\":[3,4]}}},"
            + "{\"data\":{\"features\":{\"keys\":[1],\"shape\":[2],\"values\":[9]}}},[5,6]]}";

    float[][] rows = parse("application/json", body, 2);

    assertThat(rows).hasNumberOfRows(4);
    assertThat(rows[1]).containsExactly(3, 4);
    assertThat(rows[2]).containsExactly(0, 9);
    assertThat(rows[3]).containsExactly(5, 6);
    assertThat(parse("application/json", "[[1,2],[3,4]]", 2)).hasNumberOfRows(2);
    assertThat(parse("application/json", "{\"features\":[1,2]}", 2)[0]).containsExactly(1, 2);
  }

  @Test
  void jsonLinesOneInstancePerLine() {
    float[][] rows = parse("application/jsonlines", "{\"features\":[1,2]}\n\n[3,4]\n", 2);

    assertThat(rows).hasNumberOfRows(2);
  }

  @Test
  void badPayloadsAre4xxWithAMessage() {
    assertThatThrownBy(() -> parse("text/csv", "1,x\n", -1))
        .isInstanceOfSatisfying(
            InvocationException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessage("text/csv line 1 column 2: 'x' is not a number");
    assertThatThrownBy(() -> parse("text/csv", "1,2,3\n", 2))
        .hasMessage("record 1 has 3 features but the model expects 2");
    assertThatThrownBy(() -> parse("application/json", "{\"instances\":[{\"features\":[1,", 2))
        .hasMessageStartingWith("application/json body is not valid JSON");
    assertThatThrownBy(
            () -> parse("application/json", "{\"instances\":[{\"features\":[\"a\"]}]}", 1))
        .hasMessage("instance 1: \"a\" is not a number");
    assertThatThrownBy(() -> parse("image/png", "x", 1))
        .isInstanceOfSatisfying(
            InvocationException.class, e -> assertThat(e.status()).isEqualTo(415));
    assertThatThrownBy(() -> parse("text/libsvm", "1 7:1\n", 3))
        .hasMessage("text/libsvm line 1: index 7 is outside the model's 3 features");
  }

  @Test
  void recordIoProtobufRequestsAsTheSdkSerializerSendsThem() throws Exception {
    byte[] body;
    try (var in = getClass().getResourceAsStream("/recordio/dense-labelled.pbr")) {
      body = in.readAllBytes();
    }

    float[][] rows = Payloads.parse("application/x-recordio-protobuf", body, 3);

    assertThat(rows).hasNumberOfRows(3);
    assertThat(rows[1]).containsExactly(4f, 5.5f, 6f);
    assertThatThrownBy(
            () -> Payloads.parse("application/x-recordio-protobuf", new byte[] {1, 2, 3, 4}, 3))
        .isInstanceOfSatisfying(
            InvocationException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessage(
            "application/x-recordio-protobuf: request body: record 1 does not start with the"
                + " RecordIO magic number");
  }

  @Test
  void recordIoProtobufResponsesReadBackAsLabelRecords() {
    java.util.Map<String, Object> p = new java.util.LinkedHashMap<>();
    p.put("closest_cluster", 1.0);
    p.put("distance_to_cluster", 2.5);

    byte[] out = Responses.encode("application/x-recordio-protobuf", java.util.List.of(p, p), null);

    // the frames parse as records; their label tensors are not features, so none are read back
    assertThat(out.length % 4).isZero();
    assertThat(out[0] & 0xff).isEqualTo(0x0a);
    assertThat(out[3] & 0xff).isEqualTo(0xce);
  }

  @Test
  void acceptNegotiation() {
    assertThat(Responses.negotiate(null, "text/csv")).isEqualTo("text/csv");
    assertThat(Responses.negotiate("*/*", "application/json")).isEqualTo("application/json");
    assertThat(Responses.negotiate("image/png, application/jsonlines", "text/csv"))
        .isEqualTo("application/jsonlines");
    assertThat(Responses.negotiate("application/x-recordio-protobuf", "text/csv"))
        .isEqualTo("application/x-recordio-protobuf");
    assertThatThrownBy(() -> Responses.negotiate("application/x-npy", "text/csv"))
        .isInstanceOfSatisfying(
            InvocationException.class, e -> assertThat(e.status()).isEqualTo(406));
  }
}
