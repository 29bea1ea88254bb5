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
