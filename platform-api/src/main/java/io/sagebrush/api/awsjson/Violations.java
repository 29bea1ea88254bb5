package io.sagebrush.api.awsjson;

import io.sagebrush.common.error.ErrorCode;
import io.sagebrush.common.error.SagebrushException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Collects constraint violations of a request in Coral's words ({@code Value 'x' at
 * 'trainingJobName' failed to satisfy constraint: ...}) and throws them as one error.
 */
public final class Violations {
  private static final List<String> SORT_ORDERS = List.of("Ascending", "Descending");
  private final List<String> messages = new ArrayList<>();
  private final ErrorCode code;

  private Violations(ErrorCode code) {
    this.code = code;
  }

  /** Violations reported as SageMaker's ValidationException. */
  public static Violations validation() {
    return new Violations(ErrorCode.VALIDATION);
  }

  /** Violations reported as CloudWatch Logs' InvalidParameterException. */
  public static Violations invalidParameter() {
    return new Violations(ErrorCode.INVALID_PARAMETER);
  }

  /** Adds a violation of {@code constraint} by {@code value} at {@code path}. */
  public Violations add(String path, Object value, String constraint) {
    String shown = value == null ? "null" : "'" + value + "'";
    messages.add(
        "Value " + shown + " at '" + path + "' failed to satisfy constraint: " + constraint);
    return this;
  }

  /** Adds a free-form message (for rules that are not member constraints). */
  public Violations addMessage(String message) {
    messages.add(message);
    return this;
  }

  public boolean required(String path, Object value) {
    if (value == null) {
      add(path, null, "Member must not be null");
      return false;
    }
    return true;
  }

  public void length(String path, String value, int min, int max) {
    if (value == null) {
      return;
    }
    int length = value.codePointCount(0, value.length());
    if (length < min) {
      add(path, value, "Member must have length greater than or equal to " + min);
    } else if (length > max) {
      add(path, value, "Member must have length less than or equal to " + max);
    }
  }

  public void pattern(String path, String value, Pattern pattern) {
    if (value != null && !pattern.matcher(value).matches()) {
      add(path, value, "Member must satisfy regular expression pattern: " + pattern.pattern());
    }
  }

  public void oneOf(String path, String value, Collection<String> allowed) {
    if (value != null && !allowed.contains(value)) {
      add(path, value, "Member must satisfy enum value set: " + allowed);
    }
  }

  public void range(String path, Number value, long min, long max) {
    if (value == null) {
      return;
    }
    if (value.longValue() < min) {
      add(path, value, "Member must have value greater than or equal to " + min);
    } else if (value.longValue() > max) {
      add(path, value, "Member must have value less than or equal to " + max);
    }
  }

  public void size(String path, Collection<?> value, int min, int max) {
    if (value == null) {
      return;
    }
    if (value.size() < min) {
      add(path, value, "Member must have length greater than or equal to " + min);
    } else if (value.size() > max) {
      add(path, value, "Member must have length less than or equal to " + max);
    }
  }

  public void size(String path, Map<?, ?> value, int max) {
    if (value != null && value.size() > max) {
      add(path, value, "Member must have length less than or equal to " + max);
    }
  }

  /**
   * A SageMaker resource name at {@code path}: at most 63 characters, at least {@code minLength},
   * matching {@code pattern}; null is left to {@link #required}.
   */
  public void name(String path, String value, int minLength, Pattern pattern) {
    length(path, value, minLength, 63);
    pattern(path, value, pattern);
  }

  /**
   * Checks the name a Describe or Delete request carries.
   *
   * @throws SagebrushException VALIDATION when the name is missing or malformed
   */
  public static void requireName(String path, String value, int minLength, Pattern pattern) {
    Violations v = validation();
    if (v.required(path, value)) {
      v.name(path, value, minLength, pattern);
    }
    v.throwIfAny();
  }

  /** The members every List* request starts with: MaxResults (1 to 100) and NameContains. */
  public void listing(Integer maxResults, String nameContains, Pattern nameContainsPattern) {
    range("maxResults", maxResults, 1, 100);
    length("nameContains", nameContains, 0, 63);
    pattern("nameContains", nameContains, nameContainsPattern);
  }

  /** A List* request's SortBy (one of {@code sortByValues}) and SortOrder. */
  public void sort(String sortBy, Collection<String> sortByValues, String sortOrder) {
    oneOf("sortBy", sortBy, sortByValues);
    oneOf("sortOrder", sortOrder, SORT_ORDERS);
  }

  /** A List* request's NextToken: at most 8192 characters. */
  public void nextToken(String token) {
    length("nextToken", token, 0, 8192);
  }

  public boolean isEmpty() {
    return messages.isEmpty();
  }

  /** Throws when anything was added. */
  public void throwIfAny() {
    if (messages.isEmpty()) {
      return;
    }
    String head =
        messages.size() == 1
            ? "1 validation error detected: "
            : messages.size() + " validation errors detected: ";
    throw new SagebrushException(code, head + String.join("; ", messages));
  }
}
