package io.slaft.pipelines.bench;

import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A named row of {@code slaft bench glue} with its own config overrides, written
 * {@code NAME:KEY=VALUE[,KEY=VALUE]...}. A comma-separated piece without {@code =} continues the
 * previous value as a list element, so {@code sla-bias:method=sla,adapters.sites=ffn,lora,bias,sparsity.gate=budget}
 * sets {@code adapters.sites} to {@code ffn,lora,bias}. A bench profile declares its own rows and its per-task
 * settings in its YAML ({@link #fromConfig}, {@link #taskOverrides}); {@link #checkRows} checks them all before any
 * cell trains.
 *
 * @param name the row name (also the cell cache key prefix)
 * @param overrides the keys in the order given, values trimmed
 */
public record BenchVariant(String name, Map<String, String> overrides) {
  public BenchVariant {
    overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
  }

  /**
   * The named rows a bench profile declares ({@code bench.variants.<name>.<key>: value}, already checked by the
   * config), in name order.
   */
  public static List<BenchVariant> fromConfig(ExperimentConfig c) {
    Map<String, Map<String, String>> rows = new TreeMap<>();
    c.withPrefix(ConfigKeys.BENCH_VARIANT_PREFIX).forEach((rest, value) -> {
      Map.Entry<String, String> k = ConfigKeys.benchVariantKey(rest);
      rows.computeIfAbsent(k.getKey(), n -> new LinkedHashMap<>()).put(k.getValue(), value);
    });
    return rows.entrySet().stream().map(e -> new BenchVariant(e.getKey(), e.getValue())).toList();
  }

  /**
   * What a bench profile sets in every cell of {@code task} ({@code bench.tasks.<task>.<key>: value}), by key; empty
   * when nothing.
   */
  public static Map<String, String> taskOverrides(ExperimentConfig c, String task) {
    Map<String, String> o = new TreeMap<>();
    c.withPrefix(ConfigKeys.BENCH_TASK_PREFIX).forEach((rest, value) -> {
      Map.Entry<String, String> k = ConfigKeys.benchTaskKey(rest);
      if (k.getKey().equals(task)) {
        o.put(k.getValue(), value);
      }
    });
    return o;
  }

  /** A table row's overrides: {@code method} = the row's name, then the row's variant overrides when it is one. */
  public static Map<String, String> rowOverrides(String row, Map<String, Map<String, String>> variants) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("method", row);
    o.putAll(variants.getOrDefault(row, Map.of()));
    return o;
  }

  /**
   * Checks, before any cell trains, that every table row resolves to a valid config on every task: a method id, or a
   * variant whose overrides name one, and no key set both by the row and by the task ({@link #taskOverrides}: a
   * task's setting is the same for every row).
   *
   * @throws IllegalArgumentException naming the row, the config's complaint and what {@code --methods} takes, or the
   *     key the row and the task both set
   */
  public static void checkRows(ExperimentConfig base, List<String> rows, Map<String, Map<String, String>> variants,
      List<String> tasks) {
    for (String row : rows) {
      Map<String, String> o = rowOverrides(row, variants);
      try {
        base.with(o);
      } catch (io.slaft.pipelines.config.ConfigException e) {
        throw new IllegalArgumentException("row " + row + ": " + e.getMessage() + (variants.containsKey(row) ? ""
            : " (--methods takes method ids and the names of bench.variants and --variant rows)"), e);
      }
      for (String task : tasks) {
        for (String key : taskOverrides(base, task).keySet()) {
          if (o.containsKey(key)) {
            throw new IllegalArgumentException("row " + row + " sets " + key + " and so does "
                + ConfigKeys.BENCH_TASK_PREFIX + task + "." + key + "; a task's setting holds for every row. Fix: remove"
                + " one of them");
          }
        }
      }
    }
  }

  /**
   * Parses {@code NAME:KEY=VALUE[,KEY=VALUE]...}; keys and values are not validated here (the
   * config does that).
   *
   * @throws IllegalArgumentException naming the spec and the expected form, for a missing name or
   *     overrides that do not start with {@code KEY=VALUE}
   */
  public static BenchVariant parse(String spec) {
    int colon = spec.indexOf(':');
    if (colon <= 0 || colon == spec.length() - 1) {
      throw new IllegalArgumentException("--variant " + spec
          + ": expected NAME:KEY=VALUE[,KEY=VALUE]... (e.g. sla-b:method=sla,sparsity.gate=budget)");
    }
    Map<String, String> o = new LinkedHashMap<>();
    String last = null;
    for (String piece : spec.substring(colon + 1).split(",")) {
      int eq = piece.indexOf('=');
      if (eq > 0) {
        last = piece.substring(0, eq).trim();
        o.put(last, piece.substring(eq + 1).trim());
      } else if (last != null && eq < 0 && !piece.isBlank()) {
        o.put(last, o.get(last) + "," + piece.trim());
      } else {
        throw new IllegalArgumentException("--variant " + spec + ": '" + piece + "' is not KEY=VALUE (nor a list element"
            + " following one, as in adapters.sites=ffn,lora)");
      }
    }
    return new BenchVariant(spec.substring(0, colon), o);
  }
}
