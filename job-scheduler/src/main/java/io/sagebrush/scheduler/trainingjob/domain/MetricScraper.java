package io.sagebrush.scheduler.trainingjob.domain;

import io.sagebrush.protocol.LogLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Applies a job's MetricDefinitions to log lines: the first capture group of a match, parsed as a
 * double, is the metric's value; the last match wins and carries its line's timestamp. A definition
 * whose regex does not compile, or a capture that is not a number, is skipped.
 */
public final class MetricScraper {
  private final List<Compiled> definitions;

  private record Compiled(String name, Pattern pattern) {}

  public MetricScraper(List<MetricDefinition> definitions) {
    List<Compiled> out = new ArrayList<>();
    for (MetricDefinition d : definitions) {
      try {
        out.add(new Compiled(d.name(), Pattern.compile(d.regex())));
      } catch (PatternSyntaxException e) {
        // An invalid regex matches nothing, as on SageMaker.
      }
    }
    this.definitions = List.copyOf(out);
  }

  public boolean isEmpty() {
    return definitions.isEmpty();
  }

  /** The last value of each metric found in {@code lines}, by metric name. */
  public Map<String, MetricValue> scrape(List<LogLine> lines) {
    Map<String, MetricValue> found = new LinkedHashMap<>();
    if (definitions.isEmpty()) {
      return found;
    }
    for (LogLine line : lines) {
      for (Compiled c : definitions) {
        Matcher m = c.pattern().matcher(line.message());
        if (m.find() && m.groupCount() >= 1 && m.group(1) != null) {
          try {
            double v = Double.parseDouble(m.group(1).trim());
            found.put(
                c.name(),
                new MetricValue(c.name(), v, Instant.ofEpochMilli(line.timestampMillis())));
          } catch (NumberFormatException e) {
            // not a number: no value
          }
        }
      }
    }
    return found;
  }
}
