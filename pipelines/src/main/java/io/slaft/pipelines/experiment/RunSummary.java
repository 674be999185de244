package io.slaft.pipelines.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.slaft.files.AtomicFiles;
import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.report.MarkdownTable;
import io.slaft.report.Stats;
import io.slaft.transforms.data.DeadLetter;
import io.slaft.transforms.data.DeadLetterTsv;
import io.slaft.transforms.data.ReadReport;
import io.slaft.transforms.stopping.EarlyStopping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one writer of {@code summary.json} for {@code slaft train}, {@code slaft run} and {@code
 * slaft robustness}: provenance of the invocation, {@code runs[]} (one {@link RunRecord} per point
 * × task), {@code aggregate[]} (per task and sweep setting, seeds pooled: mean and std of the
 * primary metric and of compression), {@code data} (the read reports, rows = examples + dead
 * letters, and where the dead letters are), plus optional sections (e.g. {@code robustness}).
 * The format is {@link #SCHEMA}, a JSON Schema in the repository. Also writes {@code
 * config.resolved.yaml} and {@code results.md}; every file is written to a temporary file and
 * renamed, so a reader never sees half a summary.
 */
public final class RunSummary {
  /** Classpath resource of the JSON Schema every {@code summary.json} satisfies. */
  public static final String SCHEMA = "/io/slaft/pipelines/experiment/summary.schema.json";
  /** File names in a run directory. */
  public static final String SUMMARY_FILE = "summary.json";
  public static final String DEAD_LETTER_FILE = "dead_letters.tsv";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RunSummary() {}

  /** The JSON mapper of records and summaries (indented). */
  public static ObjectMapper json() {
    return JSON;
  }

  /**
   * Writes the summary of {@code records} (kept in the given order) into {@code out}.
   *
   * @param reports every read report of the run's data (task × split)
   * @param sections extra top-level sections (e.g. {@code robustness}); may be empty
   */
  public static Path write(ExperimentConfig c, Path out, List<Map<String, Object>> records, List<ReadReport> reports,
      Map<String, Object> sections) {
    List<Map<String, Object>> sorted = List.copyOf(records);
    Aggregate agg = aggregate(sorted);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("experiment", c.get(ConfigKeys.NAME));
    s.put("config_hash", c.hash());
    s.put("git_commit", Provenance.currentCommit());
    s.put("slaft_version", Provenance.VERSION);
    s.put("created", Instant.now().toString());
    s.put("runs", sorted);
    s.put("aggregate", agg.rows());
    s.put("data", data(out, reports));
    EarlyStopping stopping = Specs.earlyStopping(c);
    Map<String, Object> stopped = stopping.enabled() ? earlyStopping(stopping, sorted) : null;
    if (stopped != null) {
      s.put("early_stopping", stopped);
    }
    s.putAll(sections);
    try {
      Files.createDirectories(out);
      write(out.resolve("config.resolved.yaml"), c.toYaml());
      String md = "# " + c.get(ConfigKeys.NAME) + "\n\n## Runs\n\n" + ResultsTable.of(sorted).toMarkdown()
          + "\n\n## Aggregate (mean ± std over seeds)\n\n" + agg.table().toMarkdown() + "\n" + structures(sorted)
          + (stopped == null ? "" : earlyStoppingSection(stopped));
      write(out.resolve("results.md"), md);
      Path summary = out.resolve(SUMMARY_FILE);
      write(summary, JSON.writeValueAsString(s));
      return summary;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write results into " + out, e);
    }
  }

  private static Map<String, Object> data(Path out, List<ReadReport> reports) throws UncheckedIOException {
    List<Object> rep = new ArrayList<>();
    long dead = 0;
    List<ReadReport> ordered = new ArrayList<>(reports);
    ordered.sort((a, b) -> (a.task() + "/" + a.split()).compareTo(b.task() + "/" + b.split()));
    try {
      for (ReadReport r : ordered) {
        rep.add(JSON.readValue(r.toJson(), Map.class));
        dead += r.deadLetters();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("reports", rep);
    data.put("dead_letters", dead);
    data.put("dead_letter_file", out.resolve(DEAD_LETTER_FILE).toString());
    return data;
  }

  /**
   * The {@code early_stopping} section: the rule, the points it stopped (step, rung, reason) and the share of
   * the planned training steps the sweep did not train. Per point, not per task (a point's tasks train together).
   */
  static Map<String, Object> earlyStopping(EarlyStopping settings, List<Map<String, Object>> records) {
    Map<String, Map<String, Object>> byPoint = new TreeMap<>();
    for (Map<String, Object> r : records) {
      byPoint.putIfAbsent((String) r.get("point_id"), r);
    }
    long trained = 0;
    long planned = 0;
    List<Map<String, Object>> stopped = new ArrayList<>();
    for (Map<String, Object> r : byPoint.values()) {
      int steps = ((Number) r.get("steps")).intValue();
      trained += steps;
      planned += r.get("planned_steps") instanceof Number n ? n.intValue() : steps;
      if (Boolean.TRUE.equals(r.get("stopped_early"))) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("point_id", r.get("point_id"));
        p.put("step", steps);
        p.put("rung", r.get("stop_rung"));
        p.put("reason", r.get("stop_reason"));
        stopped.add(p);
      }
    }
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("rule", settings.rule().id());
    e.put("settings", settings.describe());
    e.put("points", byPoint.size());
    e.put("stopped", stopped);
    e.put("steps_trained", trained);
    e.put("steps_planned", planned);
    e.put("steps_saved_fraction", planned == 0 ? 0.0 : 1.0 - (double) trained / planned);
    return e;
  }

  @SuppressWarnings("unchecked")
  private static String earlyStoppingSection(Map<String, Object> e) {
    List<Map<String, Object>> stopped = (List<Map<String, Object>>) e.get("stopped");
    StringBuilder b = new StringBuilder("\n## Early stopping\n\n").append(e.get("settings")).append(String.format(
        java.util.Locale.ROOT, ": %d of %d points stopped early; %d of %d planned training steps trained (%.1f %% saved).%n",
        stopped.size(), e.get("points"), e.get("steps_trained"), e.get("steps_planned"),
        100 * ((Number) e.get("steps_saved_fraction")).doubleValue()));
    if (!stopped.isEmpty()) {
      MarkdownTable.Builder t = MarkdownTable.builder("point", "stopped at step", "rung", "why");
      stopped.forEach(p -> t.row(p.get("point_id"), p.get("step"), p.get("rung"), p.get("reason")));
      b.append("\n").append(t.build().toMarkdown()).append("\n");
    }
    return b.toString();
  }

  private record Aggregate(List<Map<String, Object>> rows, MarkdownTable table) {}

  /** The "Learned structures" section of results.md ({@link StructureMap}), or nothing when no run has modules. */
  static String structures(List<Map<String, Object>> records) {
    String maps = StructureMap.of(records);
    return maps.isEmpty() ? "" : "\n## Learned structures\n\n```\n" + maps + "```\n";
  }

  /**
   * Seed-to-seed agreement of the learned structure: the mean Jaccard similarity of the kept module
   * sets over every pair of records in {@code group}; null for fewer than two.
   */
  @SuppressWarnings("unchecked")
  static Double keptJaccard(List<Map<String, Object>> group) {
    List<List<String>> kept = new ArrayList<>();
    for (Map<String, Object> r : group) {
      kept.add(((List<Map<String, Object>>) r.get("structure")).stream()
          .filter(m -> Boolean.TRUE.equals(m.get("active"))).map(m -> (String) m.get("module")).toList());
    }
    if (kept.size() < 2) {
      return null;
    }
    double sum = 0;
    int pairs = 0;
    for (int i = 0; i < kept.size(); i++) {
      for (int j = i + 1; j < kept.size(); j++) {
        sum += io.slaft.model.train.DiscreteStructure.jaccard(kept.get(i), kept.get(j));
        pairs++;
      }
    }
    return sum / pairs;
  }

  @SuppressWarnings("unchecked")
  private static Aggregate aggregate(List<Map<String, Object>> records) {
    Map<String, List<Map<String, Object>>> groups = new TreeMap<>();
    for (Map<String, Object> r : records) {
      Map<String, String> o = new TreeMap<>((Map<String, String>) r.get("overrides"));
      o.remove("seed");
      groups.computeIfAbsent(r.get("task") + " " + o, k -> new ArrayList<>()).add(r);
    }
    List<Map<String, Object>> aggregate = new ArrayList<>();
    MarkdownTable.Builder table = MarkdownTable.builder("task", "setting", "seeds", "metric", "mean", "std",
        "compression % mean", "compression % std", "kept Jaccard").decimals(4).decimals("compression % mean", 3)
        .decimals("compression % std", 3).decimals("kept Jaccard", 3);
    for (List<Map<String, Object>> g : groups.values()) {
      Map<String, Object> first = g.get(0);
      String primary = (String) first.get("primary_metric");
      double[] m = g.stream().mapToDouble(r -> ((Map<String, Number>) r.get("metrics")).get(primary).doubleValue()).toArray();
      double[] comp = g.stream().mapToDouble(r -> 100 * ((Number) r.get("compression")).doubleValue()).toArray();
      Map<String, String> setting = new TreeMap<>((Map<String, String>) first.get("overrides"));
      setting.remove("seed");
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("task", first.get("task"));
      a.put("setting", setting);
      a.put("seeds", g.size());
      a.put("metric", primary);
      a.put("mean", Stats.mean(m));
      a.put("std", Stats.std(m));
      a.put("compression_pct_mean", Stats.mean(comp));
      a.put("compression_pct_std", Stats.std(comp));
      Double jaccard = keptJaccard(g);
      a.put("kept_jaccard_mean", jaccard);
      aggregate.add(a);
      table.row(first.get("task"), setting.isEmpty() ? "-" : setting.toString(), g.size(), primary, Stats.mean(m), Stats.std(m),
          Stats.mean(comp), Stats.std(comp), jaccard == null ? "-" : jaccard);
    }
    return new Aggregate(aggregate, table.build());
  }

  /** Writes {@code deadLetters} (file, line, reason per row) to {@code out/dead_letters.tsv}; an empty file when none. */
  public static Path writeDeadLetters(Path out, List<DeadLetter> deadLetters) {
    Path f = out.resolve(DEAD_LETTER_FILE);
    try {
      Files.createDirectories(out);
      DeadLetterTsv.write(f, deadLetters);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + f, e);
    }
    return f;
  }

  /** Writes {@code text} to {@code file} with {@link AtomicFiles} (temporary file, fsync, rename). */
  static void write(Path file, String text) throws IOException {
    AtomicFiles.writeString(file, text);
  }
}
