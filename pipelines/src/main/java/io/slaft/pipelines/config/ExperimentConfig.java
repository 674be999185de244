package io.slaft.pipelines.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * An experiment config: a YAML file flattened to dotted keys (nested and dotted forms are the same:
 * {@code sweep: {random: {optimizer.lr: ...}}} is {@code sweep.random.optimizer.lr}), plus {@code
 * --set key=value} overrides and sweep-point overrides, validated against {@link ConfigKeys} at
 * construction: every key must be known, every value (and every sweep grid value and random-axis
 * bound) must satisfy its key's type, allowed values and range. Values are read typed through
 * {@link #get(ConfigKey)}. Immutable.
 *
 * <p>Errors name the file, the key, the rule and the allowed values, e.g.
 * {@code examples/x.yaml: sparsity.gate: 'l1' is not allowed; allowed values: sigmoid, ...}.
 */
public final class ExperimentConfig {
  private final String source;
  private final Map<String, String> values;

  private ExperimentConfig(String source, Map<String, String> values) {
    this.source = source;
    this.values = new TreeMap<>(values);
    validate();
  }

  /** Reads {@code file}. */
  public static ExperimentConfig load(Path file) {
    Object root;
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": config file not found. Fix: give an existing YAML file to --config "
          + "(examples/ has commented ones)");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
    } catch (YAMLException e) {
      throw new ConfigException(file + ": not valid YAML: " + e.getMessage().replace('\n', ' '), e);
    }
    Map<String, String> flat = new LinkedHashMap<>();
    if (root != null) {
      if (!(root instanceof Map<?, ?> m)) {
        throw new ConfigException(file + ": the top level must be a mapping of keys (name:, tasks:, ...)");
      }
      flatten("", m, flat);
    }
    return new ExperimentConfig(file.toString(), flat);
  }

  /** A config from flat dotted keys (tests, sweep points). */
  public static ExperimentConfig of(String source, Map<String, String> values) {
    return new ExperimentConfig(source, values);
  }

  private static void flatten(String prefix, Map<?, ?> m, Map<String, String> out) {
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String key = prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey();
      Object v = e.getValue();
      if (v instanceof Map<?, ?> sub) {
        flatten(key, sub, out);
      } else if (v instanceof List<?> list) {
        List<String> parts = new ArrayList<>();
        for (Object o : list) {
          parts.add(String.valueOf(o));
        }
        out.put(key, String.join(",", parts));
      } else {
        out.put(key, v == null ? "" : String.valueOf(v));
      }
    }
  }

  /** A copy with {@code key=value} overrides applied (the {@code --set} syntax). */
  public ExperimentConfig withOverrides(List<String> assignments) {
    Map<String, String> v = new TreeMap<>(values);
    for (String a : assignments) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException("--set " + a + ": expected key=value, e.g. --set sparsity.lambda=0.5");
      }
      v.put(a.substring(0, eq).trim(), stripBrackets(a.substring(eq + 1).trim()));
    }
    return new ExperimentConfig(source + " + --set", v);
  }

  /** A copy with flat overrides (sweep points). */
  public ExperimentConfig with(Map<String, String> overrides) {
    Map<String, String> v = new TreeMap<>(values);
    v.putAll(overrides);
    return new ExperimentConfig(source, v);
  }

  private static String stripBrackets(String s) {
    if (s.startsWith("[") && s.endsWith("]")) {
      return Arrays.stream(s.substring(1, s.length() - 1).split(",")).map(String::trim)
          .reduce((a, b) -> a + "," + b).orElse("");
    }
    return s;
  }

  private void validate() {
    for (Map.Entry<String, String> e : values.entrySet()) {
      String key = e.getKey();
      String axis = key.startsWith(ConfigKeys.GRID_PREFIX) ? ConfigKeys.GRID_PREFIX
          : key.startsWith(ConfigKeys.RANDOM_PREFIX) ? ConfigKeys.RANDOM_PREFIX : null;
      if (axis != null) {
        validateAxis(key, key.substring(axis.length()), axis.equals(ConfigKeys.GRID_PREFIX), e.getValue());
        continue;
      }
      ConfigKey<?> k = ConfigKeys.find(key);
      if (k == null) {
        throw unknown(key, key);
      }
      String err = k.check(e.getValue());
      if (err != null) {
        throw new ConfigException(source + ": " + key + ": " + err + " (got '" + e.getValue() + "')");
      }
    }
  }

  /** A sweep axis: the swept key must exist, and every grid value (or distribution bound) must be valid for it. */
  private void validateAxis(String key, String target, boolean grid, String value) {
    ConfigKey<?> tk = ConfigKeys.find(target);
    if (tk == null || target.startsWith("sweep.")) {
      throw unknown(key, target);
    }
    List<String> candidates;
    if (grid) {
      candidates = splitList(value);
      if (candidates.isEmpty()) {
        throw new ConfigException(source + ": " + key + ": a grid axis needs at least one value, e.g. " + key + ": [0.5, 1.0]");
      }
    } else {
      RandomAxis ra = RandomAxis.parse(value);
      if (ra == null) {
        throw new ConfigException(source + ": " + key + ": expected " + RandomAxis.forms() + ", got '" + value + "'");
      }
      try {
        ra.distribution();
      } catch (IllegalArgumentException ex) {
        throw new ConfigException(source + ": " + key + ": " + ex.getMessage() + " (got '" + value + "')");
      }
      candidates = ra.args();
    }
    for (String v : candidates) {
      String err = tk.check(v);
      if (err != null) {
        throw new ConfigException(source + ": " + key + ": " + (grid ? "value " : "bound ") + v + " " + err
            + " (the rule of " + target + ")");
      }
    }
  }

  private ConfigException unknown(String key, String target) {
    return new ConfigException(source + ": unknown key '" + target + "'" + (key.equals(target) ? "" : " in " + key)
        + "; did you mean " + String.join(" or ", ConfigKeys.closest(target, 2))
        + "? (./slaft config keys lists every key)");
  }

  /** The typed value of {@code key}, or its default. */
  public <T> T get(ConfigKey<T> key) {
    return key.parse(raw(key.key()));
  }

  /**
   * The typed value of a pattern key ({@code task_defs.*.train}) at {@code segment}
   * ({@code task_defs.spam.train}), or its default.
   */
  public <T> T get(ConfigKey<T> key, String segment) {
    return key.parse(raw(key.at(segment)));
  }

  /** Whether {@code key} at {@code segment} is set explicitly. */
  public boolean has(ConfigKey<?> key, String segment) {
    return values.containsKey(key.at(segment));
  }

  /** The text of {@code key} as set, or its default (sweep overrides, hashing, printing). */
  public String raw(String key) {
    String v = values.get(key);
    if (v != null) {
      return v;
    }
    ConfigKey<?> k = ConfigKeys.find(key);
    if (k == null) {
      throw new IllegalArgumentException("no such config key: " + key);
    }
    if (k.defaultValue() == null) {
      throw new ConfigException(source + ": required key '" + key + "' is missing (" + k.description() + ")");
    }
    return k.defaultValue();
  }

  static List<String> splitList(String v) {
    if (v == null || v.isBlank()) {
      return List.of();
    }
    return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** Keys set explicitly under {@code prefix.} (e.g. {@code sweep.grid.}). */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> m = new TreeMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        m.put(k.substring(prefix.length()), v);
      }
    });
    return m;
  }

  /** Every known non-pattern key with its effective value, plus explicit pattern keys. */
  public Map<String, String> resolved() {
    Map<String, String> m = new TreeMap<>();
    for (ConfigKey<?> k : ConfigKeys.all()) {
      if (!k.key().contains("*") && k.defaultValue() != null) {
        m.put(k.key(), raw(k.key()));
      }
    }
    m.putAll(values);
    return m;
  }

  /** SHA-256 of the resolved config (first 16 hex digits): the config part of provenance. */
  public String hash() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, String> e : resolved().entrySet()) {
        boolean atDefault = ConfigKeys.hashedOnlyWhenSet(e.getKey())
            && canonical(e.getKey(), e.getValue()).equals(canonical(e.getKey(), ConfigKeys.find(e.getKey()).defaultValue()));
        if (!e.getKey().startsWith("tracking.") && !atDefault) {
          md.update((e.getKey() + "=" + canonical(e.getKey(), e.getValue()) + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Numbers in one spelling ({@code 1e-3} and {@code 0.001} hash alike). */
  private static String canonical(String key, String value) {
    ConfigKey<?> k = ConfigKeys.find(key);
    if (k == null || value.isBlank()) {
      return value;
    }
    try {
      return switch (k.type()) {
        case FLOAT -> Double.toString(Double.parseDouble(value.trim()));
        case INT -> Long.toString(Long.parseLong(value.trim()));
        default -> value;
      };
    } catch (NumberFormatException e) {
      return value;
    }
  }

  /** The resolved config as YAML, every value quoted so it reads back exactly. */
  public String toYaml() {
    StringBuilder b = new StringBuilder("# resolved slaft config (defaults filled in); hash " + hash() + "\n");
    for (Map.Entry<String, String> e : resolved().entrySet()) {
      b.append(e.getKey()).append(": ").append(quote(e.getValue())).append('\n');
    }
    return b.toString();
  }

  private static String quote(String v) {
    return "'" + v.replace("'", "''") + "'";
  }

  public String source() {
    return source;
  }
}
