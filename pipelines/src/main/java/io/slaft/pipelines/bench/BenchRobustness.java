package io.slaft.pipelines.bench;

import io.slaft.files.SealedJson;
import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.ExperimentRunner;
import io.slaft.pipelines.robustness.RobustnessRun;
import io.slaft.pipelines.robustness.RobustnessSettings;
import io.slaft.pipelines.robustness.RobustnessTable;
import io.slaft.report.MarkdownTable;
import io.slaft.report.Stats;
import io.slaft.transforms.perturb.SeveritySchedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Robustness of the GLUE bench's cells at one severity: for every cell of the chosen tasks, its
 * export is evaluated on the task's dev set under each input-perturbation family of the base
 * config's {@code robustness.families} (representation-noise families are left out: an export has
 * no noise inputs), at {@link #severity()}, with the config's {@code robustness.seed} — so every
 * method and seed sees the same perturbed rows. Each result is stored under
 * {@code out/robustness/<cell>.json}, keyed by the cell's key and these settings, and is reused
 * like a cell; the table gives each row's drop per family (clean − perturbed primary metric) as
 * mean ± std over seeds.
 */
public final class BenchRobustness {
  /** No robustness evaluation. */
  public static final BenchRobustness NONE = new BenchRobustness(List.of(), null);

  private final List<String> tasks;
  private final RobustnessSettings settings;

  private BenchRobustness(List<String> tasks, RobustnessSettings settings) {
    this.tasks = List.copyOf(tasks);
    this.settings = settings;
  }

  /**
   * Robustness of the cells of {@code tasks} at {@code severity}, with the input families and seed
   * of {@code base}.
   *
   * @throws IllegalArgumentException if {@code tasks} is empty, the severity is outside (0, 1], or
   *     {@code base}'s families hold no input-perturbation family
   */
  public static BenchRobustness of(ExperimentConfig base, List<String> tasks, double severity) {
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException("robustness needs at least one task");
    }
    if (!(severity > 0 && severity <= 1)) {
      throw new IllegalArgumentException("the robustness severity must be in (0, 1], got " + severity
          + " (e.g. 0.15 for 15 % of the words, characters or tokens)");
    }
    List<String> families = base.get(ConfigKeys.ROBUSTNESS_FAMILIES).stream()
        .filter(f -> !RobustnessSettings.isNoise(f)).toList();
    if (families.isEmpty()) {
      throw new IllegalArgumentException(ConfigKeys.ROBUSTNESS_FAMILIES.key() + " holds no input-perturbation family "
          + "(an export has no noise inputs); add e.g. word-dropout or char-swap");
    }
    return new BenchRobustness(tasks, new RobustnessSettings(families, SeveritySchedule.of(severity),
        base.get(ConfigKeys.ROBUSTNESS_SEED), false));
  }

  /** Whether the cells of {@code task} are evaluated. */
  boolean covers(String task) {
    return tasks.contains(task);
  }

  /** The one severity evaluated. */
  public double severity() {
    return settings.severities().levels().get(0);
  }

  /** What a stored result must match besides the cell's key. */
  private Map<String, Object> settingsJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("families", settings.families());
    m.put("severity", severity());
    m.put("seed", settings.seed());
    return m;
  }

  private static Path file(Path out, String cell) {
    return out.resolve("robustness").resolve(cell + ".json");
  }

  /** The stored result of {@code cell} when it was evaluated for {@code cellKey} with these settings, else null. */
  @SuppressWarnings("unchecked")
  Map<String, Object> cached(Path out, String cell, String cellKey) throws IOException {
    Path f = file(out, cell);
    if (!Files.isRegularFile(f)) {
      return null;
    }
    Map<String, Object> stored = ExperimentRunner.json().convertValue(
        SealedJson.read(f, "delete it and run the same command again (the evaluation is repeated)"), Map.class);
    // compared as read back from JSON, so numbers compare by value, not by the Java type they were written from
    var json = ExperimentRunner.json();
    boolean same = cellKey.equals(stored.get("config_hash"))
        && json.readTree(json.writeValueAsString(settingsJson())).equals(json.valueToTree(stored.get("settings")));
    return same ? stored : null;
  }

  /**
   * Evaluates the export in {@code exportDir} of cell {@code cell} (trained from {@code config}, one task) and stores
   * the result; returns it.
   */
  Map<String, Object> evaluate(ExperimentConfig config, Path exportDir, Path out, String cell, String cellKey,
      Consumer<String> log) throws IOException {
    log.accept("cell " + cell + ": robustness at " + RobustnessTable.label(severity()));
    RobustnessTable table = RobustnessRun.evaluateExport(config, exportDir, settings, false, s -> {});
    String task = table.tasks().get(0);
    Map<String, Object> drops = new LinkedHashMap<>();
    for (String family : settings.families()) {
      drops.put(family, table.row(task, family, severity()).drop());
    }
    double clean = table.curves().get(0).clean(); // one clean evaluation per task, the same on every family's curve
    Map<String, Object> stored = new LinkedHashMap<>();
    stored.put("config_hash", cellKey);
    stored.put("settings", settingsJson());
    stored.put("task", task);
    stored.put("method", config.get(ConfigKeys.METHOD));
    stored.put("seed", config.get(ConfigKeys.SEED));
    stored.put("metric", table.curves().get(0).metric());
    stored.put("clean", clean);
    stored.put("drops", drops);
    stored.put("table", table.toJson());
    Files.createDirectories(file(out, cell).getParent());
    SealedJson.write(file(out, cell), ExperimentRunner.json().valueToTree(stored));
    log.accept(String.format(Locale.ROOT, "cell %s: clean %.4f, mean drop %.4f", cell, clean,
        drops.values().stream().mapToDouble(d -> ((Number) d).doubleValue()).average().orElse(Double.NaN)));
    return stored;
  }

  /** One row's results on one task: its seeds' stored results. */
  record RowResults(String row, String task, List<Map<String, Object>> seeds) {
    @SuppressWarnings("unchecked")
    double[] drops(String family) {
      return seeds.stream().mapToDouble(s -> ((Number) ((Map<String, Object>) s.get("drops")).get(family)).doubleValue())
          .toArray();
    }

    double[] meanDrops() {
      return seeds.stream().mapToDouble(s -> ((Map<?, ?>) s.get("drops")).values().stream()
          .mapToDouble(d -> ((Number) d).doubleValue()).average().orElse(Double.NaN)).toArray();
    }

    double[] clean() {
      return seeds.stream().mapToDouble(s -> ((Number) s.get("clean")).doubleValue()).toArray();
    }

    /** Whether the row learns its structure (its cells' method is {@value PairedDifferences#SEARCHED}). */
    boolean searched() {
      return seeds.stream().anyMatch(s -> PairedDifferences.SEARCHED.equals(s.get("method")));
    }

    /** Each seed's mean drop over the families, by seed. */
    Map<Long, Double> meanDropBySeed() {
      Map<Long, Double> m = new LinkedHashMap<>();
      double[] drops = meanDrops();
      for (int i = 0; i < drops.length; i++) {
        m.put(((Number) seeds.get(i).get("seed")).longValue(), drops[i]);
      }
      return m;
    }
  }

  /**
   * The Markdown section over {@code results} (rows of one task in table order), one table per task:
   * clean metric and drop per family, mean ± std over seeds; empty when there are no results.
   */
  String markdown(List<RowResults> results) {
    StringBuilder md = new StringBuilder();
    for (String task : tasks) {
      List<RowResults> rows = results.stream().filter(r -> r.task().equals(task) && !r.seeds().isEmpty()).toList();
      if (rows.isEmpty()) {
        continue;
      }
      String metric = (String) rows.get(0).seeds().get(0).get("metric");
      md.append(String.format(Locale.ROOT, "%nRobustness on %s dev at severity %s (drop = clean − perturbed %s, mean ± std"
          + " over seeds; input perturbations, robustness.seed %d, the same perturbed rows for every row):%n%n", task,
          RobustnessTable.label(severity()), metric, settings.seed()));
      List<String> header = new ArrayList<>(List.of("method", "seeds", "clean"));
      header.addAll(settings.families());
      header.add("mean drop");
      MarkdownTable.Builder t = MarkdownTable.builder(header);
      for (RowResults r : rows) {
        List<Object> row = new ArrayList<>(List.of(r.row(), r.seeds().size(), spread(r.clean())));
        for (String family : settings.families()) {
          row.add(spread(r.drops(family)));
        }
        row.add(spread(r.meanDrops()));
        t.row(row);
      }
      md.append(t.build().toMarkdown());
      md.append(paired(rows));
    }
    return md.toString();
  }

  /**
   * Seed-paired differences of the mean drop over the families, each searched row minus each other row of one task
   * (negative: the searched row loses less); empty when there is no such pair.
   */
  private static String paired(List<RowResults> rows) {
    MarkdownTable.Builder t = MarkdownTable.builder("searched − baseline", "seeds", "mean drop Δ (mean ± std)",
        "beyond spread");
    boolean any = false;
    for (RowResults a : rows) {
      for (RowResults b : rows) {
        if (!a.searched() || b.searched()) {
          continue;
        }
        Map<Long, Double> da = a.meanDropBySeed();
        Map<Long, Double> db = b.meanDropBySeed();
        double[] d = da.keySet().stream().filter(db::containsKey).sorted().mapToDouble(s -> da.get(s) - db.get(s))
            .toArray();
        if (d.length == 0) {
          continue;
        }
        any = true;
        double mean = Stats.mean(d);
        double std = Stats.std(d);
        t.row(a.row() + " − " + b.row(), d.length, String.format(Locale.ROOT, "%+.4f ± %.4f", mean, std),
            PairedDifferences.beyondSpreadCell(d.length, mean, std));
      }
    }
    return any ? "\nSeed-paired differences of the mean drop (negative: the searched row loses less):\n\n"
        + t.build().toMarkdown() : "";
  }

  /** The JSON section over {@code results}: the settings, and per task and row the means and stds. */
  Map<String, Object> json(List<RowResults> results) {
    Map<String, Object> doc = new LinkedHashMap<>(settingsJson());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (RowResults r : results) {
      if (r.seeds().isEmpty()) {
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("row", r.row());
      m.put("task", r.task());
      m.put("seeds", r.seeds().size());
      m.put("clean", meanStd(r.clean()));
      Map<String, Object> drops = new LinkedHashMap<>();
      for (String family : settings.families()) {
        drops.put(family, meanStd(r.drops(family)));
      }
      m.put("drops", drops);
      m.put("mean_drop", meanStd(r.meanDrops()));
      rows.add(m);
    }
    doc.put("rows", rows);
    return doc;
  }

  private static Map<String, Double> meanStd(double[] v) {
    return Map.of("mean", Stats.mean(v), "std", Stats.std(v));
  }

  private static String spread(double[] v) {
    return v.length < 2 ? String.format(Locale.ROOT, "%.4f", v[0])
        : String.format(Locale.ROOT, "%.4f ± %.4f", Stats.mean(v), Stats.std(v));
  }
}
