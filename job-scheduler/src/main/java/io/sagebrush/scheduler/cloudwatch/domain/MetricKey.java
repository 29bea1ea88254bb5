package io.sagebrush.scheduler.cloudwatch.domain;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One metric: a namespace, a name and its dimensions (name to value). Two keys with the same
 * dimensions in another order are equal.
 */
public record MetricKey(String namespace, String metricName, SortedMap<String, String> dimensions) {
  private static final char PAIR = '\u001e';
  private static final char NAME_VALUE = '\u001f';

  public MetricKey {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(metricName, "metricName");
    dimensions =
        Collections.unmodifiableSortedMap(
            new TreeMap<>(dimensions == null ? Map.of() : dimensions));
  }

  public static MetricKey of(String namespace, String metricName, Map<String, String> dimensions) {
    return new MetricKey(namespace, metricName, new TreeMap<>(dimensions));
  }

  /**
   * The dimensions as one canonical string (sorted by name; separators are control characters that
   * dimension names and values cannot hold), the form they are stored and matched in.
   */
  public String dimensionsKey() {
    StringBuilder b = new StringBuilder();
    dimensions.forEach(
        (name, value) -> {
          if (b.length() > 0) {
            b.append(PAIR);
          }
          b.append(name).append(NAME_VALUE).append(value);
        });
    return b.toString();
  }

  /** The inverse of {@link #dimensionsKey()}. */
  public static SortedMap<String, String> parseDimensions(String key) {
    SortedMap<String, String> out = new TreeMap<>();
    if (key == null || key.isEmpty()) {
      return out;
    }
    for (String pair : key.split(String.valueOf(PAIR), -1)) {
      int at = pair.indexOf(NAME_VALUE);
      out.put(pair.substring(0, at), pair.substring(at + 1));
    }
    return out;
  }
}
