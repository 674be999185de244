package io.slaft.pipelines.config;

import java.util.List;

/**
 * One known config key.
 *
 * @param key dotted key ({@code sparsity.lambda}); {@code *} matches one path segment
 * @param type value type
 * @param defaultValue default as text ({@code null} = required or unset)
 * @param allowed allowed values for enumerations (empty = any of the type)
 * @param description one line for {@code slaft config keys} and error messages
 */
public record ConfigKey(String key, Type type, String defaultValue, List<String> allowed, String description) {
  /** Value types. */
  public enum Type { STRING, INT, FLOAT, BOOL, LIST }

  public ConfigKey {
    allowed = List.copyOf(allowed);
  }

  /** Whether {@code candidate} is this key (with {@code *} matching any one segment). */
  public boolean matches(String candidate) {
    String[] a = key.split("\\.");
    String[] b = candidate.split("\\.");
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (!a[i].equals("*") && !a[i].equals(b[i])) {
        return false;
      }
    }
    return true;
  }

  /** Checks {@code value}; returns the error, or null when valid. */
  public String check(String value) {
    try {
      switch (type) {
        case INT -> Long.parseLong(value.trim());
        case FLOAT -> Double.parseDouble(value.trim());
        case BOOL -> {
          if (!value.equals("true") && !value.equals("false")) {
            return "must be true or false";
          }
        }
        default -> { }
      }
    } catch (NumberFormatException e) {
      return "must be " + (type == Type.INT ? "an integer" : "a number");
    }
    if (!allowed.isEmpty()) {
      for (String v : type == Type.LIST ? ExperimentConfig.splitList(value) : List.of(value)) {
        if (!allowed.contains(v)) {
          return "'" + v + "' is not allowed; allowed values: " + String.join(", ", allowed);
        }
      }
    }
    return null;
  }
}
