package io.sagebrush.gateway.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RuntimeErrorTest {

  @Test
  void aModelErrorCarriesTheMembersTheSdkReads() {
    RuntimeError error =
        RuntimeError.modelError(
            "Received \"x\"\n", 400, "bad\tinput", "arn:aws:logs:r:a:log-group:/g");
    assertThat(error.status()).isEqualTo(424);
    assertThat(error.toJson())
        .isEqualTo(
            "{\"ErrorCode\":\"CLIENT_ERROR_FROM_MODEL\",\"LogStreamArn\":\"arn:aws:logs:r:a:log-group:/g\","
                + "\"Message\":\"Received \\\"x\\\"\\n\",\"OriginalMessage\":\"bad\\tinput\","
                + "\"OriginalStatusCode\":400}");
  }

  @Test
  void aServerErrorFromTheModelHasTheServerCode() {
    assertThat(RuntimeError.modelError("m", 503, "", null).errorCode())
        .isEqualTo("SERVER_ERROR_FROM_MODEL");
  }

  @Test
  void aValidationErrorHasOnlyAMessage() {
    assertThat(RuntimeError.validation("Endpoint x of account 1 not found.").toJson())
        .isEqualTo("{\"Message\":\"Endpoint x of account 1 not found.\"}");
  }
}
