package io.slaft.pipelines.bench;

import io.slaft.files.AtomicFiles;
import io.slaft.files.SealedJson;
import io.slaft.model.backbone.Backbone;
import io.slaft.model.adapters.Method;
import io.slaft.model.bench.BenchStats;
import io.slaft.model.export.CompactModel;
import io.slaft.model.inference.FrozenEncoder;
import io.slaft.model.tokenize.Encoded;
import io.slaft.model.tokenize.TokenBatch;
import io.slaft.model.train.LabeledExample;
import io.slaft.model.train.TrainListener;
import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.ExperimentRunner;
import io.slaft.pipelines.experiment.Specs;
import io.slaft.report.MarkdownTable;
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
 * SLA and every baseline preset on GLUE tasks, several seeds, one cell (method × task × seed) at a
 * time through the same trainer. Resumable: each finished cell is stored under
 * {@code out/cells/} with the hash of its resolved config and skipped when the hash matches.
 * Writes {@code out/glue-bench.json} and {@code out/glue-bench.md}. Methods marked {@code *} in the
 * table have no compact export (UniPELT's per-example gates, full fine-tuning); their inference
 * figure is the training graph's dev-evaluation throughput. An {@code adapterfusion} row fuses the
 * pfeiffer cells' exports of every bench task at the same seed (its first stage, trained on demand
 * into {@code out/runs/}); its cells are keyed by those cells' keys, not by where the exports lie.
 * With a {@link BenchRobustness}, the cells of its tasks are also evaluated under input perturbations
 * (stored under {@code out/robustness/}, a missing export made again on this machine).
 */
public final class GlueBench {
  /** The point id every cell trains as (one point per cell run). */
  private static final String POINT = "main";

  private GlueBench() {}

  /**
   * Runs every cell, task by task (each seed, then each method), so an interrupted or
   * budget-limited bench leaves whole tasks finished; returns the Markdown table.
   *
   * @param methods table rows: a method id, or the name of a {@code variants} entry
   * @param variants named rows with their own config overrides (which name the {@code method}), e.g.
   *     {@code sla-budget → {method: sla, sparsity.gate: budget, sparsity.budget: 0.003}}
   * @param budgetMinutes start no new cell after this many minutes (0 = no limit); the table then
   *     holds the tasks whose cells are all finished and names the others as pending
   * @param robustness which tasks' cells are also evaluated under input perturbations ({@link BenchRobustness#NONE}:
   *     none); the table then gets a robustness section per task
   */
  public static String run(ExperimentConfig base, List<String> methods, Map<String, Map<String, String>> variants,
      List<String> tasks, Map<String, List<Long>> seeds, Path out, double budgetMinutes, BenchRobustness robustness,
      Consumer<String> log) {
    Map<String, Map<String, List<Map<String, Object>>>> byMethod = new LinkedHashMap<>();
    List<BenchRobustness.RowResults> robust = new ArrayList<>();
    long start = System.nanoTime();
    int total = methods.size() * tasks.stream().mapToInt(t -> seeds.get(t).size()).sum();
    int done = 0;
    try {
      Files.createDirectories(out.resolve("cells"));
      for (String task : tasks) {
        List<Long> taskSeeds = seeds.get(task);
        Map<String, BenchRobustness.RowResults> taskRobust = new LinkedHashMap<>();
        for (long seed : taskSeeds) {
          for (String method : methods) {
            boolean mayTrain = budgetMinutes <= 0 || (System.nanoTime() - start) / 60e9 < budgetMinutes;
            Map<String, String> o = BenchVariant.rowOverrides(method, variants);
            CellPlan plan = Method.ADAPTERFUSION.id().equals(o.get("method"))
                ? fusionPlan(base, method, o, tasks, task, seed, out, log)
                : plan(base, method, o, task, seed);
            Map<String, Object> rec = cached(out, plan.name(), plan.key(), log);
            if (rec == null && mayTrain) {
              plan.prepare().run();
              rec = train(plan.config(base), plan.key(), plan.name(), plan.overrides(), seed == taskSeeds.get(0), out, log);
            } else if (rec == null) {
              pending(plan.name(), log);
            }
            done++;
            if (rec != null) {
              byMethod.computeIfAbsent(method, k -> new LinkedHashMap<>()).computeIfAbsent(task, k -> new ArrayList<>())
                  .add(rec);
              log.accept(String.format(Locale.ROOT, "%d/%d cells", done, total));
              if (robustness.covers(task)) {
                Map<String, Object> r = robustness(base, plan, rec, robustness, out, mayTrain, log);
                if (r != null) {
                  taskRobust.computeIfAbsent(method, k -> new BenchRobustness.RowResults(k, task, new ArrayList<>()))
                      .seeds().add(r);
                }
              }
            }
          }
        }
        robust.addAll(taskRobust.values());
      }
      List<String> complete = new ArrayList<>();
      List<String> pending = new ArrayList<>();
      for (String task : tasks) {
        boolean all = methods.stream().allMatch(m -> byMethod.getOrDefault(m, Map.of()).getOrDefault(task, List.of()).size()
            == seeds.get(task).size());
        (all ? complete : pending).add(task);
      }
      return table(base, methods, variants, complete, pending, seeds, byMethod, robustness, robust, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * What determines a cell and how it trains: its name (its file under {@code out/cells/}, its run under
   * {@code out/runs/}), its key, the overrides it trains with, and what must exist on this machine before it
   * trains (an AdapterFusion cell's first stage).
   */
  private record CellPlan(String name, String key, Map<String, String> overrides, IoAction prepare) {
    ExperimentConfig config(ExperimentConfig base) {
      return base.with(overrides);
    }
  }

  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }

  /** The plan of a cell of a row that is not AdapterFusion. */
  private static CellPlan plan(ExperimentConfig base, String row, Map<String, String> rowOverrides, String task, long seed) {
    Map<String, String> o = cellOverrides(base, rowOverrides, task, seed);
    return new CellPlan(cellName(row, task, seed), base.with(o).hash(), o, () -> {});
  }

  /**
   * The robustness result of a cell (its record {@code rec}): the stored one, else evaluated on its export (made
   * again on this machine when missing, the committed record unchanged) when {@code mayTrain}; null when pending.
   */
  private static Map<String, Object> robustness(ExperimentConfig base, CellPlan plan, Map<String, Object> rec,
      BenchRobustness robustness, Path out, boolean mayTrain, Consumer<String> log) throws IOException {
    Map<String, Object> r = robustness.cached(out, plan.name(), plan.key());
    if (r != null || !mayTrain) {
      if (r == null) {
        log.accept("cell " + plan.name() + ": robustness pending (time budget spent)");
      }
      return r;
    }
    Path export = exportOf(out, plan.name());
    if (!exported(export)) {
      plan.prepare().run();
      trainAgain(base, plan, rec, out, "its robustness", log);
    }
    return robustness.evaluate(plan.config(base), export, out, plan.name(), plan.key(), log);
  }

  /**
   * The plan of an AdapterFusion cell: the pfeiffer cells of every bench task at {@code seed} are its first stage
   * (trained first when their export is not on this machine, even if their record is committed: the run is
   * deterministic, so the export is the one the record describes); it fuses their exports. The cell is keyed by
   * the pfeiffer cells' keys rather than by where their exports lie, so it resumes on any machine.
   */
  private static CellPlan fusionPlan(ExperimentConfig base, String row, Map<String, String> rowOverrides,
      List<String> tasks, String task, long seed, Path out, Consumer<String> log) {
    List<String> sourceKeys = new ArrayList<>();
    List<CellPlan> sources = new ArrayList<>();
    Map<String, String> pfeiffer = Map.of("method", Method.PFEIFFER.id());
    for (String t : tasks) {
      CellPlan source = plan(base, Method.PFEIFFER.id(), pfeiffer, t, seed);
      sources.add(source);
      sourceKeys.add(source.name() + ":" + source.key());
    }
    Map<String, String> keyed = new LinkedHashMap<>(rowOverrides);
    keyed.put(ConfigKeys.ADAPTER_FUSION_SOURCES.key(), String.join(",", sourceKeys));
    Map<String, String> o = new LinkedHashMap<>(rowOverrides);
    o.put(ConfigKeys.ADAPTER_FUSION_SOURCES.key(), sources.stream().map(p -> exportOf(out, p.name()).toString())
        .collect(java.util.stream.Collectors.joining(",")));
    return new CellPlan(cellName(row, task, seed), base.with(cellOverrides(base, keyed, task, seed)).hash(),
        cellOverrides(base, o, task, seed), () -> {
          for (CellPlan source : sources) {
            if (!exported(exportOf(out, source.name()))) {
              Map<String, Object> committed = cached(out, source.name(), source.key(), log);
              if (committed == null) {
                train(source.config(base), source.key(), source.name(), source.overrides(), false, out, log);
              } else {
                trainAgain(base, source, committed, out, "adapterfusion's first stage", log);
              }
            }
          }
        });
  }

  /** The name of a cell (its file under {@code out/cells/}, its run under {@code out/runs/}): {@code <row>-<task>-<seed>}. */
  private static String cellName(String row, String task, long seed) {
    return row + "-" + task + "-" + seed;
  }

  private static void pending(String cell, Consumer<String> log) {
    log.accept("cell " + cell + ": pending (time budget spent; run the same command again to continue)");
  }

  /** Where the bench keeps cell {@code name}'s export. */
  private static Path exportOf(Path out, String name) {
    return io.slaft.pipelines.experiment.ExperimentSession.exportDir(runDir(out, name), POINT);
  }

  /** Where the bench trains cell {@code name} (checkpoints, export), as the point {@link #POINT}. */
  private static Path runDir(Path out, String name) {
    return out.resolve("runs").resolve(name);
  }

  /** A row's overrides for one task and seed. */
  private static Map<String, String> cellOverrides(ExperimentConfig base, Map<String, String> rowOverrides, String task,
      long seed) {
    Map<String, String> o = new LinkedHashMap<>(rowOverrides);
    o.putAll(BenchVariant.taskOverrides(base, task)); // the profile's setting for the task, the same for every row
    o.put("tasks", task);
    o.put("seed", Long.toString(seed));
    return o;
  }

  /** The committed record of {@code cell} when it was computed under {@code key}, else null. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> cached(Path out, String cell, String key, Consumer<String> log) throws IOException {
    Path file = out.resolve("cells").resolve(cell + ".json");
    if (Files.isRegularFile(file)) {
      Map<String, Object> cached = ExperimentRunner.json().convertValue(
          SealedJson.read(file, "delete it and run the same command again (the cell is recomputed)"), Map.class);
      if (key.equals(cached.get("config_hash"))) {
        log.accept("cell " + cell + ": cached, skipped");
        return (Map<String, Object>) cached.get("record");
      }
    }
    return null;
  }

  /**
   * Makes the export of a committed cell on this machine: trains it again and keeps the committed record (the run
   * is deterministic; a different primary metric is reported, e.g. from another CPU's rounding).
   *
   * @param why what needs the export, for the log
   */
  private static void trainAgain(ExperimentConfig base, CellPlan plan, Map<String, Object> committed, Path out,
      String why, Consumer<String> log) throws IOException {
    log.accept("cell " + plan.name() + ": trained again for its export (" + why + ")");
    ExperimentRunner.PointResult r = ExperimentRunner.train(plan.config(base), runDir(out, plan.name()), POINT,
        plan.overrides(), TrainListener.NONE);
    double again = metric(r.records().get(0), "metrics");
    if (again != primary(committed)) {
      log.accept(String.format(Locale.ROOT, "cell %s: warning: trained again it gives %s = %.6f, its committed record"
          + " %.6f; what follows uses the export made here", plan.name(), committed.get("primary_metric"), again,
          primary(committed)));
    }
  }

  private static boolean exported(Path exportDir) {
    return Files.isRegularFile(exportDir.resolve(io.slaft.model.export.ExportManifest.FILE));
  }

  /** Trains cell {@code cell} of config {@code c} and stores its record under {@code key}. */
  private static Map<String, Object> train(ExperimentConfig c, String key, String cell, Map<String, String> o,
      boolean measureInference, Path out, Consumer<String> log) throws IOException {
    Path file = out.resolve("cells").resolve(cell + ".json");
    log.accept("cell " + cell + ": training");
    long t0 = System.nanoTime();
    ExperimentRunner.PointResult r = ExperimentRunner.train(c, runDir(out, cell), POINT, o,
        TrainListener.NONE);
    Map<String, Object> rec = new LinkedHashMap<>(r.records().get(0));
    if (measureInference) {
      rec.putAll(inference(c, r));
    }
    rec.put("cell_seconds", (System.nanoTime() - t0) / 1e9);
    log.accept(String.format(Locale.ROOT, "cell %s: %s = %.4f, %.0f s", cell, rec.get("primary_metric"),
        primary(rec), (System.nanoTime() - t0) / 1e9));
    Map<String, Object> stored = new LinkedHashMap<>();
    stored.put("config_hash", key);
    stored.put("record", rec);
    SealedJson.write(file, ExperimentRunner.json().valueToTree(stored));
    return rec;
  }

  @SuppressWarnings("unchecked")
  private static double primary(Map<String, Object> rec) {
    return ((Map<String, Number>) rec.get("metrics")).get((String) rec.get("primary_metric")).doubleValue();
  }

  /**
   * The record's primary metric in {@code section} ({@code metrics} on dev, {@code validation_metrics},
   * {@code trivial_metrics}); NaN when the record has no such section or metric.
   */
  @SuppressWarnings("unchecked")
  static double metric(Map<String, Object> rec, String section) {
    Object m = rec.get(section);
    Number v = m instanceof Map ? ((Map<String, Number>) m).get((String) rec.get("primary_metric")) : null;
    return v == null ? Double.NaN : v.doubleValue();
  }

  private static double num(Map<String, Object> rec, String key) {
    return ((Number) rec.get(key)).doubleValue();
  }

  /** The table over the complete tasks; writes {@code glue-bench.md} and {@code glue-bench.json}. */
  private static String table(ExperimentConfig base, List<String> methods, Map<String, Map<String, String>> variants,
      List<String> tasks, List<String> pending,
      Map<String, List<Long>> seeds, Map<String, Map<String, List<Map<String, Object>>>> byMethod,
      BenchRobustness robustness, List<BenchRobustness.RowResults> robust, Path out) throws IOException {
    List<String> header = new ArrayList<>(List.of("method"));
    header.addAll(tasks);
    header.addAll(List.of("mean", "trainable %", "active %", "compression", "train tok/s", "inference tok/s",
        "inference / frozen"));
    MarkdownTable.Builder t = MarkdownTable.builder(header).decimals(4).decimals("trainable %", 3).decimals("active %", 3)
        .decimals("compression", 5).decimals("train tok/s", 0).decimals("inference tok/s", 0)
        .decimals("inference / frozen", 2);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String method : methods) {
      List<Object> row = new ArrayList<>(List.of(method));
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("method", method);
      if (variants.containsKey(method)) {
        json.put("overrides", variants.get(method));
      }
      double sum = 0;
      List<Map<String, Object>> all = new ArrayList<>();
      for (String task : tasks) {
        List<Map<String, Object>> recs = byMethod.get(method).get(task);
        double[] values = recs.stream().mapToDouble(GlueBench::primary).toArray();
        double m = io.slaft.report.Stats.mean(values);
        double sd = io.slaft.report.Stats.std(values);
        row.add(m);
        json.put(task, m);
        json.put(task + "_std", sd);
        sum += m;
        all.addAll(recs);
      }
      List<Map<String, Object>> measured = all.stream().filter(r -> r.containsKey("inference_tokens_per_s")).toList();
      double trainable = all.stream().mapToDouble(r -> num(r, "trainable_pct")).average().orElse(Double.NaN);
      double compression = all.stream().mapToDouble(r -> num(r, "compression")).average().orElse(Double.NaN);
      double tps = all.stream().mapToDouble(r -> num(r, "train_tokens_per_s")).average().orElse(Double.NaN);
      double inf = measured.stream().mapToDouble(r -> num(r, "inference_tokens_per_s")).average().orElse(Double.NaN);
      double ratio = measured.stream().mapToDouble(r -> num(r, "inference_vs_frozen")).average().orElse(Double.NaN);
      boolean compact = measured.stream().allMatch(r -> "compact".equals(r.get("inference_model")));
      double mean = tasks.isEmpty() ? Double.NaN : sum / tasks.size();
      if (!compact) {
        row.set(0, method + " *");
      }
      row.addAll(List.of(mean, trainable, 100 * compression, compression, tps, inf, ratio));
      t.row(row);
      json.put("mean", mean);
      json.put("trainable_pct", trainable);
      json.put("active_pct", 100 * compression);
      json.put("compression", compression);
      json.put("train_tokens_per_s", tps);
      json.put("inference_tokens_per_s", inf);
      json.put("inference_vs_frozen", ratio);
      json.put("inference_model", compact ? "compact" : "training-graph");
      rows.add(json);
    }
    java.util.Optional<Map<String, Double>> trivialRow = trivialRow(tasks, byMethod);
    trivialRow.ifPresent(trivial -> {
      List<Object> row = new ArrayList<>(List.of(TRIVIAL_ROW));
      double sum = 0;
      for (String task : tasks) {
        row.add(trivial.get(task));
        sum += trivial.get(task);
      }
      row.add(sum / tasks.size());
      for (int i = 0; i < 6; i++) {
        row.add(null); // no parameters, no throughput
      }
      t.row(row);
    });
    String md = t.build().toMarkdown();
    List<String> shownVariants = methods.stream().filter(variants::containsKey).toList(); // the rows, not every declared one
    for (String v : shownVariants) {
      md += "\n" + v + ": " + variants.get(v).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(java.util.stream.Collectors.joining(", "));
    }
    if (!shownVariants.isEmpty()) {
      md += "\n";
    }
    List<PairedDifferences.Pair> pairs = PairedDifferences.of(methods, tasks, byMethod);
    String paired = PairedDifferences.markdown(pairs);
    if (!paired.isEmpty()) {
      md += "\n" + paired;
    }
    md += structures(methods, tasks, byMethod);
    md += robustness.markdown(robust);
    if (!pending.isEmpty()) {
      md += "\npending tasks (not all cells finished; run the same command again): " + String.join(", ", pending) + "\n";
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("base_config_hash", base.hash());
    doc.put("seeds", seeds);
    doc.put("train_limit", base.get(ConfigKeys.DATA_TRAIN_LIMIT));
    doc.put("dev_limit", base.get(ConfigKeys.DATA_DEV_LIMIT));
    doc.put("steps", base.get(ConfigKeys.TRAIN_EPOCHS) > 0 ? null : base.get(ConfigKeys.TRAIN_STEPS));
    doc.put("epochs", base.get(ConfigKeys.TRAIN_EPOCHS));
    doc.put("train_sample", base.get(ConfigKeys.DATA_TRAIN_SAMPLE));
    doc.put("validation", base.get(ConfigKeys.DATA_VALIDATION));
    doc.put("validation_max", base.get(ConfigKeys.DATA_VALIDATION_MAX));
    doc.put("caps", caps(base));
    doc.put("batch_size", base.get(ConfigKeys.TRAIN_BATCH_SIZE));
    doc.put("max_length", base.get(ConfigKeys.BACKBONE_MAX_LENGTH));
    doc.put("complete_tasks", tasks);
    doc.put("pending_tasks", pending);
    doc.put("variants", variants);
    doc.put("rows", rows);
    trivialRow.ifPresent(trivial -> doc.put("trivial", trivial));
    doc.put("paired", pairs.stream().map(PairedDifferences.Pair::json).toList());
    if (!robust.isEmpty()) {
      doc.put("robustness", robustness.json(robust));
    }
    AtomicFiles.writeString(out.resolve("glue-bench.json"), ExperimentRunner.json().writeValueAsString(doc));
    AtomicFiles.writeString(out.resolve("glue-bench.md"), md + "\n");
    return md;
  }

  /**
   * Where each searched row keeps modules on each task: the consensus of its seeds' structures
   * ({@link io.slaft.pipelines.experiment.StructureMap#consensus}), one block per row and task; empty without a
   * searched row.
   */
  private static String structures(List<String> methods, List<String> tasks,
      Map<String, Map<String, List<Map<String, Object>>>> byMethod) {
    StringBuilder b = new StringBuilder();
    for (String method : methods) {
      for (String task : tasks) {
        List<Map<String, Object>> recs = byMethod.get(method).get(task);
        if (recs.stream().anyMatch(r -> PairedDifferences.SEARCHED.equals(r.get("method")))) {
          b.append("\n").append(io.slaft.pipelines.experiment.StructureMap.consensus(method + " on " + task, recs));
        }
      }
    }
    return b.length() == 0 ? "" : "\nSearched structures (dev-reported models):\n\n```" + b + "```\n";
  }

  /**
   * The budget every cell trains with, in one line (printed under the table and stored in
   * glue-bench.json): training rows, sample, validation split, steps or epochs, batch, dev rows.
   */
  public static String caps(ExperimentConfig c) {
    int limit = c.get(ConfigKeys.DATA_TRAIN_LIMIT);
    int sample = c.get(ConfigKeys.DATA_TRAIN_SAMPLE);
    float validation = c.get(ConfigKeys.DATA_VALIDATION);
    float epochs = c.get(ConfigKeys.TRAIN_EPOCHS);
    return "caps: train rows per task " + (limit == 0 ? "all" : "first " + limit)
        + (sample > 0 ? ", a seeded sample of " + sample + " where there are more" : "")
        + (validation > 0 ? String.format(Locale.ROOT, ", %.0f %% (at most %d) held out as validation", 100 * validation,
            c.get(ConfigKeys.DATA_VALIDATION_MAX)) : ", no validation split (choices on dev)")
        + (epochs > 0 ? ", " + epochs + " epochs" : ", " + c.get(ConfigKeys.TRAIN_STEPS) + " steps")
        + " of batch " + c.get(ConfigKeys.TRAIN_BATCH_SIZE) + ", max length " + c.get(ConfigKeys.BACKBONE_MAX_LENGTH)
        + ", dev: " + (c.get(ConfigKeys.DATA_DEV_LIMIT) == 0 ? "full" : "first " + c.get(ConfigKeys.DATA_DEV_LIMIT))
        + perTask(c);
  }

  /** The profile's per-task settings ({@code bench.tasks.*}) for the caps line: {@code "; rte: train.epochs=10"}. */
  private static String perTask(ExperimentConfig c) {
    StringBuilder b = new StringBuilder();
    c.withPrefix(ConfigKeys.BENCH_TASK_PREFIX).forEach((rest, value) -> {
      Map.Entry<String, String> k = ConfigKeys.benchTaskKey(rest);
      b.append("; ").append(k.getKey()).append(": ").append(k.getValue()).append('=').append(value);
    });
    return b.toString();
  }

  /** The table row of the trivial predictor: each task's training majority class (regression: a constant) on dev. */
  static final String TRIVIAL_ROW = "trivial (majority / constant)";

  /**
   * Per task, the primary metric of the trivial predictor ({@code trivial_metrics} of the task's
   * records: the same data gives every method the same one), when every complete task's records
   * carry it (cells computed before it was recorded do not).
   */
  private static java.util.Optional<Map<String, Double>> trivialRow(List<String> tasks,
      Map<String, Map<String, List<Map<String, Object>>>> byMethod) {
    Map<String, Double> trivial = new LinkedHashMap<>();
    for (String task : tasks) {
      byMethod.values().stream().flatMap(byTask -> byTask.getOrDefault(task, List.of()).stream())
          .filter(r -> r.get("trivial_metrics") instanceof Map).findFirst()
          .ifPresent(r -> trivial.put(task, metric(r, "trivial_metrics")));
      if (!trivial.containsKey(task)) {
        return java.util.Optional.empty();
      }
    }
    return tasks.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(trivial);
  }

  /** Dev rows timed per inference measurement (sorted by length, batches of {@link #INFER_BATCH}). */
  static final int INFER_ROWS = 256;
  static final int INFER_BATCH = 32;
  static final int INFER_RUNS = 3;

  /**
   * Inference throughput of a trained cell on its dev rows: the compact export (closed modules
   * removed, LoRA merged) when the method has one, else the training graph's final evaluation
   * throughput; and the frozen backbone on the same rows in the same process, as the reference.
   * Medians of {@link #INFER_RUNS} passes after one warm-up pass.
   */
  static Map<String, Object> inference(ExperimentConfig c, ExperimentRunner.PointResult r) {
    Backbone backbone = Backbone.shared(Specs.backbone(c), c.get(ConfigKeys.BACKBONE_MAX_LENGTH))
        .withPrecision(Specs.precision(c));
    var task = r.data().tasks().get(0);
    List<Encoded> rows = new ArrayList<>(task.dev().stream().map(LabeledExample::tokens)
        .limit(INFER_ROWS).toList());
    rows.sort(java.util.Comparator.comparingInt(Encoded::length));
    List<List<Encoded>> batches = new ArrayList<>();
    for (int i = 0; i < rows.size(); i += INFER_BATCH) {
      batches.add(rows.subList(i, Math.min(rows.size(), i + INFER_BATCH)));
    }
    long tokens = 0;
    for (List<Encoded> b : batches) {
      tokens += TokenBatch.pad(b, backbone.padId()).paddedTokens();
    }
    double[] frozen = new double[INFER_RUNS];
    double[] model = new double[INFER_RUNS];
    try (FrozenEncoder fe = new FrozenEncoder(backbone);
         CompactModel cm = r.exportDir() == null ? null : CompactModel.load(r.exportDir(), task.name(), backbone)) {
      for (int run = -1; run < INFER_RUNS; run++) {
        long t0 = System.nanoTime();
        for (List<Encoded> b : batches) {
          fe.pooled(TokenBatch.pad(b, backbone.padId()));
        }
        long t1 = System.nanoTime();
        if (cm != null) {
          for (List<Encoded> b : batches) {
            cm.outputs(b);
          }
        }
        long t2 = System.nanoTime();
        if (run >= 0) {
          frozen[run] = tokens / ((t1 - t0) / 1e9);
          model[run] = tokens / ((t2 - t1) / 1e9);
        }
      }
    }
    double f = BenchStats.median(frozen);
    double m = r.exportDir() == null ? r.result().evalTokensPerSec() : BenchStats.median(model);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("inference_model", r.exportDir() == null ? "training-graph" : "compact");
    out.put("inference_tokens_per_s", m);
    out.put("frozen_tokens_per_s", f);
    out.put("inference_vs_frozen", m / f);
    return out;
  }
}
