package io.sagebrush.scheduler.logs.adapter.persistence;

import java.util.ArrayList;
import java.util.List;

/**
 * CloudWatch-style term patterns: every unquoted term must appear, and a quoted phrase must appear
 * as written; matching is case-sensitive.
 */
public final class FilterPattern {
  private FilterPattern() {}

  /** The substrings that must all appear; empty for a null or blank pattern. */
  public static List<String> terms(String pattern) {
    List<String> out = new ArrayList<>();
    if (pattern == null) {
      return out;
    }
    int i = 0;
    int n = pattern.length();
    while (i < n) {
      char c = pattern.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '"') {
        int end = pattern.indexOf('"', i + 1);
        if (end < 0) {
          end = n;
        }
        String phrase = pattern.substring(i + 1, end);
        if (!phrase.isEmpty()) {
          out.add(phrase);
        }
        i = end + 1;
      } else {
        int start = i;
        while (i < n && !Character.isWhitespace(pattern.charAt(i)) && pattern.charAt(i) != '"') {
          i++;
        }
        out.add(pattern.substring(start, i));
      }
    }
    return out;
  }

  /** True when every term appears in {@code message}. */
  public static boolean matches(List<String> terms, String message) {
    for (String t : terms) {
      if (!message.contains(t)) {
        return false;
      }
    }
    return true;
  }
}
