package io.slaft.pipelines.champion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slaft.files.AtomicFiles;
import io.slaft.model.train.TaskNames;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.ExperimentSession;
import io.slaft.pipelines.experiment.RunSummary;
import io.slaft.pipelines.robustness.RobustnessRun;
import io.slaft.pipelines.robustness.RobustnessSettings;
import io.slaft.pipelines.robustness.RobustnessTable;
import io.slaft.report.LinePlot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * After a sweep: per task the Pareto front of its points over (validation metric, active parameters); with
 * {@code champion.robustness} each front point's export evaluated under the input perturbation families on the
 * validation split (never dev); the champion the {@link ChampionRule} picks. Written into {@code summary.json}
 * ({@code champion}: the rule, and per task the front, each point's robustness and the choice), {@code results.md}
 * ({@code ## Champion}) and {@code pareto-<task>.png}; {@link io.slaft.pipelines.tracking.Champions} reads the
 * choice from there for tracking. Running it again replaces what it wrote.
 */
public final class ChampionStage {
  /** summary.json's section. */
  public static final String SECTION = "champion";
  private static final String HEADING = "## Champion";

  private ChampionStage() {}

  /** The per-task choices of the sweep in {@code out}, written there. */
  public static List<ChampionChoice> run(ExperimentConfig config, Path out, Consumer<String> log) {
    ChampionRule rule = ChampionRule.from(config);
    Path summaryFile = out.resolve(RunSummary.SUMMARY_FILE);
    try {
      ObjectNode summary = (ObjectNode) RunSummary.json().readTree(summaryFile.toFile());
      Map<String, List<ChampionChoice.Candidate>> byTask = candidates(summary);
      Map<String, String> metrics = metrics(summary);
      List<ChampionChoice> choices = choose(byTask, metrics, rule, Map.of());
      if (rule.robustness()) {
        Map<String, Map<String, ChampionChoice.Robustness>> measured = new LinkedHashMap<>();
        Map<String, JsonNode> runs = runsByPoint(summary);
        for (ChampionChoice c : choices) {
          for (ChampionChoice.FrontPoint f : c.front()) {
            String id = f.point().pointId();
            if (!measured.containsKey(id)) {
              log.accept(String.format(Locale.ROOT, "champion: robustness of front point %s (%s) on the validation split", id,
                  f.point().label()));
              measured.put(id, robustness(config.with(overrides(runs.get(id))), ExperimentSession.exportDir(out, id), rule));
            }
          }
        }
        choices = choose(byTask, metrics, rule, measured);
      }
      write(out, summary, byTask, rule, choices);
      return choices;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot choose the champion of " + out, e);
    }
  }

  private static List<ChampionChoice> choose(Map<String, List<ChampionChoice.Candidate>> byTask, Map<String, String> metrics,
      ChampionRule rule, Map<String, Map<String, ChampionChoice.Robustness>> measured) {
    List<ChampionChoice> choices = new ArrayList<>();
    byTask.forEach((task, points) -> {
      Map<String, ChampionChoice.Robustness> forTask = new LinkedHashMap<>();
      measured.forEach((point, tasks) -> tasks.forEach((t, r) -> {
        if (TaskNames.same(t, task)) {
          forTask.put(point, r);
        }
      }));
      choices.add(ChampionChoice.choose(task, metrics.get(task), points, rule, forTask));
    });
    return choices;
  }

  /** The candidates of each task, in summary order; runs without their primary metric are left out. */
  public static Map<String, List<ChampionChoice.Candidate>> candidates(JsonNode summary) {
    Map<String, List<ChampionChoice.Candidate>> byTask = new LinkedHashMap<>();
    for (JsonNode r : summary.path("runs")) {
      ChampionChoice.Candidate c = ChampionChoice.Candidate.of(r);
      if (c != null) {
        byTask.computeIfAbsent(r.path("task").asText(), t -> new ArrayList<>()).add(c);
      }
    }
    return byTask;
  }

  private static Map<String, String> metrics(JsonNode summary) {
    Map<String, String> m = new LinkedHashMap<>();
    summary.path("runs").forEach(r -> m.putIfAbsent(r.path("task").asText(), r.path("primary_metric").asText()));
    return m;
  }

  private static Map<String, JsonNode> runsByPoint(JsonNode summary) {
    Map<String, JsonNode> m = new LinkedHashMap<>();
    summary.path("runs").forEach(r -> m.putIfAbsent(r.path("point_id").asText(), r));
    return m;
  }

  private static Map<String, String> overrides(JsonNode run) {
    Map<String, String> m = new LinkedHashMap<>();
    run.path("overrides").fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }

  /**
   * The robustness of the export in {@code modelDir} per task, on the validation split of {@code point} (the point's
   * config: its split is the one it was chosen on): the input families of {@code robustness.families} at {@code
   * robustness.severities}, mean AUC over families and the largest drop at {@code champion.drop_at}.
   */
  static Map<String, ChampionChoice.Robustness> robustness(ExperimentConfig point, Path modelDir, ChampionRule rule) {
    RobustnessSettings all = RobustnessSettings.from(point);
    RobustnessSettings settings = new RobustnessSettings(all.families().stream().filter(f -> !RobustnessSettings.isNoise(f)).toList(),
        all.severities(), all.seed(), all.discrete());
    RobustnessTable table = RobustnessRun.evaluateExport(point, modelDir, settings, true, s -> {});
    Map<String, ChampionChoice.Robustness> out = new LinkedHashMap<>();
    for (String task : table.tasks()) {
      double aucSum = 0;
      int aucs = 0;
      double drop = Double.NaN;
      for (String family : settings.families()) {
        RobustnessTable.Curve curve = table.curve(task, family);
        if (curve != null && !Double.isNaN(curve.auc())) {
          aucSum += curve.auc();
          aucs++;
        }
        for (RobustnessTable.Row row : table.rows(task, family)) {
          if (Math.abs(row.severity() - rule.dropAt()) < 1e-6) {
            drop = Double.isNaN(drop) ? row.drop() : Math.max(drop, row.drop());
          }
        }
      }
      out.put(task, new ChampionChoice.Robustness(aucs == 0 ? Double.NaN : aucSum / aucs, drop));
    }
    return out;
  }

  private static void write(Path out, ObjectNode summary, Map<String, List<ChampionChoice.Candidate>> byTask, ChampionRule rule,
      List<ChampionChoice> choices) throws IOException {
    Map<String, Object> section = new LinkedHashMap<>(rule.toJson());
    List<Object> tasks = new ArrayList<>();
    List<String> plots = new ArrayList<>();
    for (ChampionChoice c : choices) {
      tasks.add(c.toJson());
      String plot = "pareto-" + c.task() + ".png";
      plot(c, byTask.getOrDefault(c.task(), List.of()), rule).writePng(out.resolve(plot));
      plots.add(plot);
    }
    section.put("tasks", tasks);
    section.put("plots", plots);
    summary.set(SECTION, RunSummary.json().valueToTree(section));
    AtomicFiles.writeString(out.resolve(RunSummary.SUMMARY_FILE), RunSummary.json().writerWithDefaultPrettyPrinter().writeValueAsString(summary));
    Path results = out.resolve("results.md");
    String md = Files.isRegularFile(results) ? Files.readString(results) : "";
    int at = md.indexOf(HEADING);
    if (at >= 0) {
      int next = md.indexOf("\n## ", at + HEADING.length());
      md = md.substring(0, at) + (next >= 0 ? md.substring(next + 1) : "");
    }
    AtomicFiles.writeString(results, md.stripTrailing() + "\n\n" + markdown(rule, choices, plots));
  }

  /** The {@code ## Champion} section of results.md. */
  static String markdown(ChampionRule rule, List<ChampionChoice> choices, List<String> plots) {
    StringBuilder s = new StringBuilder(HEADING).append("\n\nRule: ").append(rule.describe())
        .append(rule.robustness() ? "; robustness measured on the validation split for the points on the front" : "")
        .append(". Front: the points no other point beats on both validation metric and active parameters.\n\n");
    for (int i = 0; i < choices.size(); i++) {
      ChampionChoice c = choices.get(i);
      s.append("### ").append(c.task()).append(": ").append(c.champion()).append(c.ruleMet() ? "" : " (rule not met)").append("\n\n");
      if (!c.note().isEmpty()) {
        s.append(c.note()).append(".\n\n");
      }
      s.append("| point | validation ").append(c.metric()).append(" | active params | compression |")
          .append(rule.robustness() ? " robustness AUC | drop@" + Math.round(rule.dropAt() * 100) + "% |" : "").append(" champion |\n")
          .append("|---|---|---|---|").append(rule.robustness() ? "---|---|" : "").append("---|\n");
      for (ChampionChoice.FrontPoint f : c.front()) {
        s.append(String.format(Locale.ROOT, "| %s %s | %.4f | %,d | %.4f |", f.point().pointId(), f.point().label(), f.point().metric(),
            f.point().activeParams(), f.point().compression()));
        if (rule.robustness()) {
          s.append(f.robustness() == null ? " – | – |" : String.format(Locale.ROOT, " %.4f | %.4f |", f.robustness().auc(),
              f.robustness().drop()));
        }
        s.append(f.point().pointId().equals(c.champion()) ? " ★ |" : " |").append('\n');
      }
      s.append("\n![front of ").append(c.task()).append("](").append(plots.get(i)).append(")\n\n");
    }
    return s.toString();
  }

  /**
   * The champion (drawn on top: the chart draws its first series last), the front as a line by size, the points that
   * ran to the end and those early stopping ended, validation metric against active parameters.
   */
  private static LinePlot plot(ChampionChoice c, List<ChampionChoice.Candidate> all, ChampionRule rule) {
    ChampionChoice.FrontPoint champ = c.championPoint();
    LinePlot.Builder b = LinePlot.builder().title("Champion of " + c.task() + ": " + rule.describe())
        .xLabel("active parameters").yLabel("validation " + c.metric())
        .series(LinePlot.Series.of("champion " + c.champion(), new double[] {champ.point().activeParams()},
            new double[] {champ.point().metric()}).markersOnly())
        .series(LinePlot.Series.of("Pareto front", c.front().stream().mapToDouble(f -> f.point().activeParams()).toArray(),
            c.front().stream().mapToDouble(f -> f.point().metric()).toArray()));
    for (boolean stopped : new boolean[] {false, true}) {
      List<ChampionChoice.Candidate> these = all.stream().filter(p -> p.stopped() == stopped).toList();
      if (!these.isEmpty()) {
        b.series(LinePlot.Series.of((stopped ? "stopped early (best before the stop) (" : "ran to the end (") + these.size() + ")",
            these.stream().mapToDouble(ChampionChoice.Candidate::activeParams).toArray(),
            these.stream().mapToDouble(ChampionChoice.Candidate::metric).toArray()).markersOnly());
      }
    }
    return b.build();
  }
}
