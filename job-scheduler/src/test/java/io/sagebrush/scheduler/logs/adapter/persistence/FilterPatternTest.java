package io.sagebrush.scheduler.logs.adapter.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FilterPatternTest {
  @Test
  void unquotedTermsMustAllAppearAndAQuotedPhraseAsWritten() {
    assertThat(FilterPattern.terms("ERROR disk")).containsExactly("ERROR", "disk");
    assertThat(FilterPattern.terms("\"disk full\" ERROR")).containsExactly("disk full", "ERROR");
    assertThat(FilterPattern.terms("  ")).isEmpty();
    assertThat(FilterPattern.terms(null)).isEmpty();
    List<String> terms = FilterPattern.terms("ERROR \"disk full\"");
    assertThat(FilterPattern.matches(terms, "ERROR: disk full")).isTrue();
    assertThat(FilterPattern.matches(terms, "error: disk full")).isFalse();
    assertThat(FilterPattern.matches(terms, "ERROR: full disk")).isFalse();
  }
}
