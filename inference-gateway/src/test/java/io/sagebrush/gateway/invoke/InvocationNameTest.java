package io.sagebrush.gateway.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class InvocationNameTest {
  private static final Pattern MODEL_PATTERN = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9])*");

  @Test
  void theEndpointNameCheckAgreesWithTheModelsPattern() {
    for (String name :
        new String[] {
          "a", "ab", "a-b", "a--b", "A9", "9-z-0", "", "-", "-a", "a-", "a_b", "a.b", "é", "a b",
          "a--"
        }) {
      assertThat(Invocation.validName(name))
          .as(name)
          .isEqualTo(MODEL_PATTERN.matcher(name).matches());
    }
  }
}
