package io.slaft.pipelines.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One config key, declared once in {@link ConfigKeys}: its dotted name, value type, default,
 * allowed values and numeric range, and the one parser that turns its text into a typed value.
 * Every read goes through {@link ExperimentConfig#get(ConfigKey)}, every check (YAML, {@code
 * --set}, each sweep value) through {@link #check(String)}. Immutable.
 *
 * @param <T> the Java type of the value ({@link Integer}, {@link Float}, {@link Boolean}, {@link
 *     String}, or {@code List<String>})
 */
public final class ConfigKey<T> {
  /** Value types. */
  public enum Type { STRING, INT, FLOAT, BOOL, LIST }

  private final String key;
  private final Type type;
  private final Type elementType;
  private final String defaultValue;
  private final List<String> allowed;
  private final String description;
  private final double min;
  private final boolean minOpen;
  private final double max;
  private final boolean maxOpen;
  private final boolean hashedOnlyWhenSet;

  private ConfigKey(String key, Type type, Type elementType, String defaultValue, List<String> allowed, String description,
      double min, boolean minOpen, double max, boolean maxOpen, boolean hashedOnlyWhenSet) {
    this.key = key;
    this.type = type;
    this.elementType = elementType;
    this.defaultValue = defaultValue;
    this.allowed = List.copyOf(allowed);
    this.description = description;
    this.min = min;
    this.minOpen = minOpen;
    this.max = max;
    this.maxOpen = maxOpen;
    this.hashedOnlyWhenSet = hashedOnlyWhenSet;
  }

  private static <T> ConfigKey<T> of(String key, Type type, Type elementType, String def, String description, String... allowed) {
    return new ConfigKey<>(key, type, elementType, def, Arrays.asList(allowed), description,
        Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false, false);
  }

  static ConfigKey<String> string(String key, String def, String description, String... allowed) {
    return of(key, Type.STRING, null, def, description, allowed);
  }

  static ConfigKey<Integer> integer(String key, String def, String description) {
    return of(key, Type.INT, null, def, description);
  }

  static ConfigKey<Float> real(String key, String def, String description) {
    return of(key, Type.FLOAT, null, def, description);
  }

  static ConfigKey<Boolean> bool(String key, String def, String description) {
    return of(key, Type.BOOL, null, def, description);
  }

  static ConfigKey<List<String>> list(String key, String def, String description, String... allowed) {
    return of(key, Type.LIST, Type.STRING, def, description, allowed);
  }

  /** A list whose elements are numbers of {@code element} type (ranges apply to each element). */
  static ConfigKey<List<String>> numberList(String key, Type element, String def, String description) {
    return of(key, Type.LIST, element, def, description);
  }

  /** A copy whose values must be {@code >= min}. */
  ConfigKey<T> atLeast(double lo) {
    return new ConfigKey<>(key, type, elementType, defaultValue, allowed, description, lo, false, max, maxOpen, hashedOnlyWhenSet);
  }

  /** A copy whose values must be {@code > min}. */
  ConfigKey<T> above(double lo) {
    return new ConfigKey<>(key, type, elementType, defaultValue, allowed, description, lo, true, max, maxOpen, hashedOnlyWhenSet);
  }

  /** A copy whose values must be {@code <= max}. */
  ConfigKey<T> atMost(double hi) {
    return new ConfigKey<>(key, type, elementType, defaultValue, allowed, description, min, minOpen, hi, false, hashedOnlyWhenSet);
  }

  /** A copy whose values must be {@code < max}. */
  ConfigKey<T> below(double hi) {
    return new ConfigKey<>(key, type, elementType, defaultValue, allowed, description, min, minOpen, hi, true, hashedOnlyWhenSet);
  }

  /**
   * A copy that counts in {@link ExperimentConfig#hash()} only when set away from its default: a
   * key added after configs were first hashed, so adding it does not change the hash (and
   * invalidate step caches, checkpoints and bench cells) of every config that does not use it.
   */
  ConfigKey<T> hashedOnlyWhenSet() {
    return new ConfigKey<>(key, type, elementType, defaultValue, allowed, description, min, minOpen, max, maxOpen, true);
  }

  /** Dotted key ({@code sparsity.lambda}); {@code *} matches one path segment. */
  public String key() {
    return key;
  }

  public Type type() {
    return type;
  }

  /** Default as text ({@code null} = required or unset). */
  public String defaultValue() {
    return defaultValue;
  }

  /** Allowed values of an enumeration (empty = any value of the type). */
  public List<String> allowed() {
    return allowed;
  }

  /** The allowed values as a comma-separated list, the empty value shown as {@code ''}. */
  public String allowedText() {
    return String.join(", ", allowed.stream().map(a -> a.isEmpty() ? "''" : a).toList());
  }

  /** One line for {@code slaft config keys} and error messages. */
  public String description() {
    return description;
  }

  public boolean isHashedOnlyWhenSet() {
    return hashedOnlyWhenSet;
  }

  /** The range rule as text ({@code >= 0}, {@code in (0, 1]}), or empty when unbounded. */
  public String range() {
    boolean lo = min != Double.NEGATIVE_INFINITY;
    boolean hi = max != Double.POSITIVE_INFINITY;
    if (lo && hi) {
      return "in " + (minOpen ? "(" : "[") + num(min) + ", " + num(max) + (maxOpen ? ")" : "]");
    }
    if (lo) {
      return (minOpen ? "> " : ">= ") + num(min);
    }
    if (hi) {
      return (maxOpen ? "< " : "<= ") + num(max);
    }
    return "";
  }

  private static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
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

  /** This key with its {@code *} segment replaced by {@code segment} ({@code task_defs.spam.train}). */
  public String at(String segment) {
    return key.replace("*", segment);
  }

  /**
   * Checks {@code value} against the type, the allowed values and the range; returns the error
   * (naming the rule), or null when valid. An empty list is valid.
   */
  public String check(String value) {
    if (type == Type.LIST) {
      for (String v : ExperimentConfig.splitList(value)) {
        String err = elementType == Type.STRING ? allowedError(v) : scalarError(elementType, v);
        if (err != null) {
          return err;
        }
      }
      return null;
    }
    String err = scalarError(type, value);
    return err != null ? err : allowedError(value);
  }

  private String allowedError(String v) {
    if (!allowed.isEmpty() && !allowed.contains(v)) {
      return "'" + ExperimentConfig.quoted(v) + "' is not allowed; allowed values: " + allowedText();
    }
    return null;
  }

  private String scalarError(Type t, String value) {
    double d;
    switch (t) {
      case INT -> {
        try {
          d = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
          return "must be an integer";
        }
      }
      case FLOAT -> {
        try {
          d = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
          return "must be a number";
        }
        if (Double.isNaN(d)) {
          return "must be a number";
        }
      }
      case BOOL -> {
        return value.equals("true") || value.equals("false") ? null : "must be true or false";
      }
      default -> {
        return null;
      }
    }
    boolean ok = (minOpen ? d > min : d >= min) && (maxOpen ? d < max : d <= max);
    return ok ? null : "must be " + range();
  }

  /** The typed value of {@code text}, which {@link #check} accepted. */
  @SuppressWarnings("unchecked")
  T parse(String text) {
    Object v = switch (type) {
      case INT -> (int) Long.parseLong(text.trim());
      case FLOAT -> (float) Double.parseDouble(text.trim());
      case BOOL -> Boolean.parseBoolean(text.trim());
      case LIST -> ExperimentConfig.splitList(text);
      case STRING -> text;
    };
    return (T) v;
  }

  /** The type as {@code slaft config keys} prints it. */
  public String typeName() {
    String t = type.name().toLowerCase(Locale.ROOT);
    return type == Type.LIST && elementType != Type.STRING ? "list<" + elementType.name().toLowerCase(Locale.ROOT) + ">" : t;
  }

  @Override
  public String toString() {
    return key;
  }
}
