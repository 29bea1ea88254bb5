package io.sagebrush.algorithms.container;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Typed access to hyperparameter strings as SageMaker sends them ({@code str()} of Python values;
 * JSON-quoted strings from framework estimators are unquoted). Every error names the hyperparameter
 * and the offending value.
 */
public final class Hyperparameters {
  private final Map<String, String> values;

  /**
   * @param values raw values by name
   */
  public Hyperparameters(Map<String, String> values) {
    this.values = new TreeMap<>();
    values.forEach((k, v) -> this.values.put(k, unquote(v)));
  }

  private static String unquote(String v) {
    if (v == null) {
      return null;
    }
    String t = v.trim();
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
      return t.substring(1, t.length() - 1);
    }
    return t;
  }

  /** True when the hyperparameter is present and not {@code auto}. */
  public boolean isSet(String name) {
    String v = values.get(name);
    return v != null && !v.isEmpty() && !v.equalsIgnoreCase("auto");
  }

  /** The raw value, or null. */
  public String raw(String name) {
    return values.get(name);
  }

  /** All names, sorted. */
  public Set<String> names() {
    return values.keySet();
  }

  /** Names not in {@code known}, ignoring {@code sagemaker_*} and {@code _*} bookkeeping. */
  public List<String> unknown(Set<String> known) {
    List<String> out = new ArrayList<>();
    for (String n : values.keySet()) {
      if (!known.contains(n) && !n.startsWith("sagemaker_") && !n.startsWith("_")) {
        out.add(n);
      }
    }
    return out;
  }

  /** A required integer in [min, max]. */
  public int requiredInt(String name, long min, long max) {
    if (!values.containsKey(name) || values.get(name).isEmpty()) {
      throw new AlgorithmException("missing required hyperparameter '" + name + "'");
    }
    return intValue(name, 0, min, max);
  }

  /** An integer in [min, max], {@code dflt} when absent or {@code auto}. */
  public int intValue(String name, int dflt, long min, long max) {
    if (!isSet(name)) {
      return dflt;
    }
    String v = values.get(name);
    long parsed;
    try {
      parsed = Long.parseLong(v);
    } catch (NumberFormatException e) {
      double d = parseDouble(name, v, "an integer");
      if (d != Math.rint(d) || Double.isInfinite(d)) {
        throw new AlgorithmException(
            "hyperparameter '" + name + "' must be an integer, got '" + v + "'");
      }
      parsed = (long) d;
    }
    if (parsed < min || parsed > max) {
      throw new AlgorithmException(
          "hyperparameter '" + name + "' must be in [" + min + ", " + max + "], got " + v);
    }
    return (int) parsed;
  }

  /** A number in [min, max], {@code dflt} when absent or {@code auto}. */
  public double doubleValue(String name, double dflt, double min, double max) {
    if (!isSet(name)) {
      return dflt;
    }
    String v = values.get(name);
    double d = parseDouble(name, v, "a number");
    if (!(d >= min && d <= max)) {
      throw new AlgorithmException(
          "hyperparameter '"
              + name
              + "' must be in ["
              + fmt(min)
              + ", "
              + fmt(max)
              + "], got "
              + v);
    }
    return d;
  }

  /** A number greater than {@code min} (exclusive), {@code dflt} when absent. */
  public double positiveDouble(String name, double dflt) {
    double d = doubleValue(name, dflt, 0, Double.MAX_VALUE);
    if (isSet(name) && d <= 0) {
      throw new AlgorithmException(
          "hyperparameter '" + name + "' must be greater than 0, got " + values.get(name));
    }
    return d;
  }

  private static String fmt(double d) {
    if (d == Double.MAX_VALUE || Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  private static double parseDouble(String name, String v, String what) {
    try {
      double d = Double.parseDouble(v);
      if (Double.isNaN(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new AlgorithmException(
          "hyperparameter '" + name + "' must be " + what + ", got '" + v + "'");
    }
  }

  /** One of {@code allowed} (case-insensitive), {@code dflt} when absent or {@code auto}. */
  public String choice(String name, String dflt, String... allowed) {
    if (!isSet(name)) {
      return dflt;
    }
    String v = values.get(name);
    for (String a : allowed) {
      if (a.equalsIgnoreCase(v)) {
        return a;
      }
    }
    throw new AlgorithmException(
        "hyperparameter '"
            + name
            + "' must be one of "
            + String.join(", ", allowed)
            + ", got '"
            + v
            + "'");
  }

  /** {@code true/false} (any case, as Python prints them) or {@code 1/0}. */
  public boolean bool(String name, boolean dflt) {
    if (!isSet(name)) {
      return dflt;
    }
    String v = values.get(name).toLowerCase(Locale.ROOT);
    return switch (v) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default ->
          throw new AlgorithmException(
              "hyperparameter '"
                  + name
                  + "' must be true or false, got '"
                  + values.get(name)
                  + "'");
    };
  }

  /** A JSON list of strings ({@code ["msd","ssd"]}) or a comma list; {@code dflt} when absent. */
  public List<String> stringList(String name, List<String> dflt) {
    if (!isSet(name)) {
      return dflt;
    }
    String v = values.get(name).trim();
    if (v.startsWith("[") && v.endsWith("]")) {
      v = v.substring(1, v.length() - 1);
    }
    List<String> out = new ArrayList<>();
    for (String s : Arrays.asList(v.split(","))) {
      String t = s.trim().replaceAll("^['\"]|['\"]$", "");
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }
}
