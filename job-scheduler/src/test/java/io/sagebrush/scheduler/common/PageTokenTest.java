package io.sagebrush.scheduler.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PageTokenTest {
  @Test
  void aTokenRoundTripsForTheSameQueryOnly() {
    String token = PageToken.encode(20, "q1");
    assertThat(token).doesNotContain("20");
    assertThat(PageToken.decode(token, "q1")).hasValue(20);
    assertThat(PageToken.decode(token, "q2")).isEmpty();
    assertThat(PageToken.encode(20, "q1")).isEqualTo(token);
  }

  @Test
  void noTokenStartsAtZeroAndGarbageIsRefused() {
    assertThat(PageToken.decode(null, "q")).hasValue(0);
    assertThat(PageToken.decode("%%%", "q")).isEmpty();
    assertThat(PageToken.decode("djE6LTE6eA", "q")).isEmpty();
    assertThat(PageToken.decode("", "q")).isEmpty();
  }
}
