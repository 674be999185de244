package io.slaft.pipelines.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.DuplicateKeyException;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.reader.ReaderException;

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
 *
 * <p>{@link #load} reads untrusted bytes safely: whatever the file holds, it returns a config or
 * throws a {@link ConfigException} whose message names the file (and the key or line where there is
 * one), quotes at most {@value #MAX_QUOTED_CHARS} characters of any value, and never a parser's own
 * exception, a {@link StackOverflowError} or an {@link OutOfMemoryError}. It refuses: a file over
 * {@value #MAX_CONFIG_BYTES} bytes, bytes that are not UTF-8, YAML that does not parse, more than one
 * document, nesting deeper than {@value #MAX_YAML_DEPTH} levels, more than {@value #MAX_ALIASES}
 * aliases of maps or lists, an alias that refers to its own map or list, a flattened config over
 * {@value #MAX_FLAT_CHARS} characters (what aliases of long scalars expand to), a key set twice
 * (in YAML, or once nested and once dotted), a top level that is not a mapping, and an empty
 * config. A byte-order mark at the start is ignored.
 */
public final class ExperimentConfig {
  /** The largest config file read, in bytes (1 MiB); real configs are a few kilobytes. */
  public static final int MAX_CONFIG_BYTES = 1 << 20;
  /** The deepest nesting of YAML maps and lists. */
  public static final int MAX_YAML_DEPTH = 50;
  /** The most YAML aliases of maps or lists ({@code *name} of a {@code &name} collection) per file. */
  public static final int MAX_ALIASES = 50;
  /** The most characters of keys and values the flattened config may hold. */
  public static final int MAX_FLAT_CHARS = 4 * MAX_CONFIG_BYTES;
  /** Values and keys quoted in error messages are cut at this many characters. */
  static final int MAX_QUOTED_CHARS = 200;

  private final String source;
  private final Map<String, String> values;

  private ExperimentConfig(String source, Map<String, String> values) {
    this.source = source;
    this.values = new TreeMap<>(values);
    validate();
  }

  /** Reads {@code file}; see the class comment for what is refused. */
  public static ExperimentConfig load(Path file) {
    String text = decode(file, readBounded(file));
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setNestingDepthLimit(MAX_YAML_DEPTH);
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setAllowRecursiveKeys(false);
    options.setCodePointLimit(MAX_CONFIG_BYTES);
    Object root;
    try {
      root = new Yaml(new SafeConstructor(options)).load(text);
    } catch (DuplicateKeyException e) {
      throw new ConfigException(file + ": " + oneLine(e.getProblem().replace("found duplicate key", "duplicate key"), 300)
          + at(e) + "; each key may be set once", e);
    } catch (ReaderException e) {
      int at = Math.min(text.length(), text.offsetByCodePoints(0, Math.min(e.getPosition(), text.codePointCount(0, text.length()))));
      throw new ConfigException(file + ": line " + (1 + text.substring(0, at).chars().filter(c -> c == '\n').count())
          + " holds the character " + String.format("U+%04X", e.getCodePoint())
          + ", which YAML does not allow (control characters other than tab and line breaks). Fix: remove it", e);
    } catch (YAMLException e) {
      throw new ConfigException(file + ": not valid YAML: " + oneLine(e.getMessage(), 500), e);
    } catch (RuntimeException e) {
      // SnakeYAML's own checks fail with YAMLException; anything else is still the file's fault.
      throw new ConfigException(file + ": not valid YAML: " + oneLine(String.valueOf(e), 500), e);
    }
    if (root == null) {
      throw new ConfigException(file + ": the config is empty (no keys). Fix: set at least name: and tasks:"
          + " (examples/ has commented configs)");
    }
    if (!(root instanceof Map<?, ?> m)) {
      throw new ConfigException(file + ": the top level must be a mapping of keys (name:, tasks:, ...), not "
          + (root instanceof List<?> ? "a list" : "a single value"));
    }
    if (m.isEmpty()) {
      throw new ConfigException(file + ": the config is empty (no keys). Fix: set at least name: and tasks:"
          + " (examples/ has commented configs)");
    }
    Map<String, String> flat = new LinkedHashMap<>();
    new Flattener(file.toString()).flatten("", m, flat);
    return new ExperimentConfig(file.toString(), flat);
  }

  /** At most {@link #MAX_CONFIG_BYTES} bytes of {@code file}, whatever kind of file it is. */
  private static byte[] readBounded(Path file) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_CONFIG_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": config file not found. Fix: give an existing YAML file to --config "
          + "(examples/ has commented ones)");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
    }
    if (bytes.length > MAX_CONFIG_BYTES) {
      throw new ConfigException(file + ": the file is larger than " + MAX_CONFIG_BYTES + " bytes, the most a config"
          + " may be (configs are a few kilobytes of YAML). Fix: point --config at the experiment's YAML file");
    }
    return bytes;
  }

  /** {@code bytes} as strict UTF-8 without a leading byte-order mark. */
  private static String decode(Path file, byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult r = decoder.decode(in, out, true);
    if (r.isError()) {
      int at = in.position();
      int line = 1;
      for (int i = 0; i < at; i++) {
        line += bytes[i] == '\n' ? 1 : 0;
      }
      throw new ConfigException(file + ": line " + line + " is not valid UTF-8 (byte 0x"
          + String.format("%02X", bytes[at] & 0xFF) + " at offset " + at + "). Fix: save the config as UTF-8");
    }
    decoder.flush(out);
    out.flip();
    String text = out.toString();
    return !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
  }

  private static String at(MarkedYAMLException e) {
    return e.getProblemMark() == null ? "" : " (line " + (e.getProblemMark().getLine() + 1) + ")";
  }

  /**
   * Flattens parsed YAML to dotted keys: nested maps become dotted prefixes, lists (and sets) become
   * comma-joined text, anything else its {@link String#valueOf} text. Refuses a map or list that
   * contains itself through an alias, a key set twice, and output over {@link #MAX_FLAT_CHARS}.
   */
  private static final class Flattener {
    private final String source;
    private final Set<Object> path = Collections.newSetFromMap(new IdentityHashMap<>());
    private long chars;

    Flattener(String source) {
      this.source = source;
    }

    void flatten(String prefix, Map<?, ?> m, Map<String, String> out) {
      enter(prefix, m);
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String key = prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey();
        Object v = e.getValue();
        if (v instanceof Map<?, ?> sub) {
          flatten(key, sub, out);
          continue;
        }
        count(key, key.length());
        String value;
        if (v instanceof List<?> list) {
          enter(key, list);
          List<String> parts = new ArrayList<>();
          for (Object o : list) {
            parts.add(render(key, o));
            count(key, 1);
          }
          path.remove(list);
          value = String.join(",", parts);
        } else {
          value = v == null ? "" : render(key, v);
        }
        if (out.put(key, value) != null) {
          throw new ConfigException(source + ": key '" + quoted(key) + "' is set twice (once nested and once"
              + " dotted, e.g. sweep: {seeds: ..} and sweep.seeds: ..); each key may be set once");
        }
      }
      path.remove(m);
    }

    /**
     * What {@link String#valueOf} gives, built element by element so that a cycle is caught and the
     * characters are counted as they are made.
     */
    private String render(String key, Object o) {
      if (o == null) {
        count(key, 4);
        return "null";
      }
      if (o instanceof Map<?, ?> m) {
        enter(key, m);
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (b.length() > 1) {
            b.append(", ");
          }
          b.append(render(key, e.getKey())).append('=').append(render(key, e.getValue()));
          count(key, 3);
        }
        path.remove(m);
        return b.append('}').toString();
      }
      if (o instanceof Collection<?> c) {
        enter(key, c);
        StringBuilder b = new StringBuilder("[");
        for (Object e : c) {
          if (b.length() > 1) {
            b.append(", ");
          }
          b.append(render(key, e));
          count(key, 2);
        }
        path.remove(c);
        return b.append(']').toString();
      }
      String s = String.valueOf(o);
      count(key, s.length());
      return s;
    }

    private void enter(String key, Object collection) {
      if (!path.add(collection)) {
        throw new ConfigException(source + ": key '" + quoted(key) + "' contains itself through a YAML alias"
            + " (*name inside the &name it refers to)");
      }
    }

    private void count(String key, long n) {
      chars += n;
      if (chars > MAX_FLAT_CHARS) {
        throw new ConfigException(source + ": the config expands to more than " + MAX_FLAT_CHARS
            + " characters (at key '" + quoted(key) + "'), the most a config may hold; YAML aliases (*name) of long"
            + " values expand like this");
      }
    }
  }

  /** {@code s} on one line, without control characters, cut at {@code max} characters. */
  static String oneLine(String s, int max) {
    String t = s == null ? "" : s.replaceAll("\\s+", " ").trim();
    return quoted(t, max);
  }

  /** {@code s} for a message: control and invisible characters escaped, cut at {@link #MAX_QUOTED_CHARS}. */
  static String quoted(String s) {
    return quoted(s, MAX_QUOTED_CHARS);
  }

  private static String quoted(String s, int max) {
    StringBuilder b = new StringBuilder();
    int i = 0;
    for (int shown = 0; i < s.length() && shown < max; shown++) {
      int cp = s.codePointAt(i);
      int type = Character.getType(cp);
      if (Character.isISOControl(cp) || type == Character.FORMAT || type == Character.SURROGATE) {
        b.append(String.format("\\u%04X", cp));
      } else {
        b.appendCodePoint(cp);
      }
      i += Character.charCount(cp);
    }
    if (i < s.length()) {
      b.append("... (").append(s.length()).append(" characters)");
    }
    return b.toString();
  }


  /** A config from flat dotted keys (tests, sweep points). */
  public static ExperimentConfig of(String source, Map<String, String> values) {
    return new ExperimentConfig(source, values);
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
      if (key.startsWith(ConfigKeys.BENCH_VARIANT_PREFIX) || key.startsWith(ConfigKeys.BENCH_TASK_PREFIX)) {
        validateBenchOverride(key, e.getValue());
        continue;
      }
      ConfigKey<?> k = ConfigKeys.find(key);
      if (k == null) {
        throw unknown(key, key);
      }
      String err = k.check(e.getValue());
      if (err != null) {
        throw new ConfigException(source + ": " + quoted(key) + ": " + err + " (got '" + quoted(e.getValue()) + "')");
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
        throw new ConfigException(source + ": " + key + ": expected " + RandomAxis.forms() + ", got '" + quoted(value) + "'");
      }
      try {
        ra.distribution();
      } catch (IllegalArgumentException ex) {
        throw new ConfigException(source + ": " + key + ": " + ex.getMessage() + " (got '" + quoted(value) + "')");
      }
      candidates = ra.args();
    }
    for (String v : candidates) {
      String err = tk.check(v);
      if (err != null) {
        throw new ConfigException(source + ": " + key + ": " + (grid ? "value " : "bound ") + quoted(v) + " " + err
            + " (the rule of " + target + ")");
      }
    }
  }

  /**
   * A bench row's or a bench task's override ({@code bench.variants.<name>.<key>}, {@code bench.tasks.<task>.<key>}):
   * a known key the bench does not set itself, and a value valid for it.
   */
  private void validateBenchOverride(String key, String value) {
    boolean row = key.startsWith(ConfigKeys.BENCH_VARIANT_PREFIX);
    String prefix = row ? ConfigKeys.BENCH_VARIANT_PREFIX : ConfigKeys.BENCH_TASK_PREFIX;
    String rest = key.substring(prefix.length());
    Map.Entry<String, String> split = row ? ConfigKeys.benchVariantKey(rest) : ConfigKeys.benchTaskKey(rest);
    if (split == null) {
      throw new ConfigException(source + ": " + quoted(key) + ": expected " + prefix + (row
          ? "<row name>.<config key>, e.g. " + prefix + "sla-budget.sparsity.gate: budget"
          : "<task>.<config key>, e.g. " + prefix + "rte.train.epochs: 10") + " (./slaft config keys lists every key)");
    }
    String target = split.getValue();
    if (target.startsWith("bench.") || target.startsWith("sweep.") || ConfigKeys.SET_PER_CELL.contains(target)) {
      throw new ConfigException(source + ": " + quoted(key) + ": a bench " + (row ? "row" : "task") + " cannot set "
          + target + " (the bench sets tasks and seed per cell; its rows are not sweeps). Fix: remove it");
    }
    String err = ConfigKeys.find(target).check(value);
    if (err != null) {
      throw new ConfigException(source + ": " + quoted(key) + ": " + err + " (got '" + quoted(value) + "'; the rule of "
          + target + ")");
    }
  }

  private ConfigException unknown(String key, String target) {
    // Suggestions cost the key's length per known key: a long one is no typo of a known key.
    String suggestion = target.length() > 100 ? ""
        : "; did you mean " + String.join(" or ", ConfigKeys.closest(target, 2)) + "?";
    return new ConfigException(source + ": unknown key '" + quoted(target) + "'"
        + (key.equals(target) ? "" : " in " + quoted(key)) + suggestion + " (./slaft config keys lists every key)");
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

  /** Whether {@code key} (not a pattern key) is set explicitly, by the file, a {@code --set} or a sweep point. */
  public boolean isSet(ConfigKey<?> key) {
    return values.containsKey(key.key());
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

  /**
   * Whether {@code key} says where results are recorded ({@code tracking.*}, {@code registry.*}), how the
   * sweep's champion is chosen from them ({@code champion.*}) or how a GLUE bench profile composes its cells
   * ({@code bench.variants.*}, {@code bench.tasks.*}: they reach a cell through its overrides) rather than what is
   * trained: such keys are in neither {@link #hash} nor {@link #trained}, so
   * changing them reuses checkpoints, the step cache and bench cells.
   */
  public static boolean recordsOnly(String key) {
    return key.startsWith("tracking.") || key.startsWith("registry.") || key.startsWith("champion.")
        || key.startsWith(ConfigKeys.BENCH_VARIANT_PREFIX) || key.startsWith(ConfigKeys.BENCH_TASK_PREFIX);
  }

  /** {@link #resolved()} without the {@link #recordsOnly} keys: what decides the trained result (the step cache's key). */
  public Map<String, String> trained() {
    Map<String, String> m = resolved();
    m.keySet().removeIf(ExperimentConfig::recordsOnly);
    return m;
  }

  /**
   * SHA-256 of the resolved config (first 16 hex digits): the config part of provenance. The
   * {@link #recordsOnly} keys are left out: they say where results go, not what is trained, so
   * changing them reuses checkpoints, caches and bench cells.
   */
  public String hash() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, String> e : trained().entrySet()) {
        boolean atDefault = ConfigKeys.hashedOnlyWhenSet(e.getKey())
            && canonical(e.getKey(), e.getValue()).equals(canonical(e.getKey(), ConfigKeys.find(e.getKey()).defaultValue()));
        if (!atDefault) {
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
