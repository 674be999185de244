package io.slaft.pipelines.robustness;

import io.slaft.files.AtomicFiles;
import io.slaft.model.backbone.Backbone;
import io.slaft.model.export.CompactModel;
import io.slaft.model.export.ExportManifest;
import io.slaft.model.train.NoiseSite;
import io.slaft.model.train.TaskResult;
import io.slaft.model.train.TrainListener;
import io.slaft.model.train.TrainResult;
import io.slaft.model.train.TrainTask;
import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.ExperimentSession;
import io.slaft.pipelines.experiment.LoadedTasks;
import io.slaft.pipelines.experiment.Provenance;
import io.slaft.pipelines.experiment.RunSummary;
import io.slaft.pipelines.experiment.TaskLoader;
import io.slaft.pipelines.experiment.TrainedPoint;
import io.slaft.pipelines.tracking.TrackingSettings;
import io.slaft.tracking.MetricPoint;
import io.slaft.tracking.RunRef;
import io.slaft.tracking.RunSpec;
import io.slaft.tracking.RunStatus;
import io.slaft.tracking.Tracker;
import io.slaft.transforms.data.Example;
import io.slaft.transforms.data.TaskSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The robustness stage end to end without Beam: train the config (as {@code slaft train} does,
 * resuming from {@code out/checkpoints/main}), keep the trained model open, evaluate it with
 * {@link RobustnessEvaluator}, and write {@code summary.json} (with a {@code robustness} table),
 * {@code robustness.json}, {@code robustness.md} and one {@code robustness-<task>.png} per task.
 * With tracking settings, logs one MLflow run per task: the final metrics, {@code
 * robust_<family>_<severity %>}, {@code flip_<family>_<severity %>}, {@code auc_<family>}, and
 * the PNGs and tables as artifacts.
 */
public final class RobustnessRun {
  private RobustnessRun() {}

  /** What the stage produced; {@code summary} is null and {@code records} empty for an exported model. */
  public record Outcome(RobustnessTable table, List<Map<String, Object>> records, Path summary, List<Path> plots) {}

  /**
   * Trains and evaluates {@code config} into {@code out}.
   *
   * @param tracking where to log, or null for nowhere
   * @param log progress lines
   */
  public static Outcome run(ExperimentConfig config, Path out, TrainListener listener, TrackingSettings tracking,
      Consumer<String> log) {
    RobustnessSettings settings = RobustnessSettings.from(config);
    ExperimentSession session = ExperimentSession.open(config);
    LoadedTasks data = session.data();
    Map<String, List<Example>> rawDev = new LinkedHashMap<>();
    for (TaskSpec spec : data.specs()) {
      rawDev.put(spec.name(), TaskLoader.readDev(config, spec));
    }
    Provenance prov = session.provenance();
    Backbone backbone = session.backbone();
    NoiseSite site = EvalModels.siteOf(session.spec().train(), settings.families().contains(RobustnessSettings.HIDDEN_NOISE)
        && !settings.families().contains(RobustnessSettings.EMBEDDING_NOISE) ? NoiseSite.HIDDEN : NoiseSite.EMBEDDINGS);
    TrainResult result;
    RobustnessTable table;
    List<Map<String, Object>> records;
    try (TrainedPoint p = session.train(out, "main", listener, site);
        EvalModels models = EvalModels.of(p.trainer(), site, backbone, data.tasks())) {
      result = p.result();
      records = p.records(Map.of());
      log.accept("robustness: trained " + result.stepsRun() + " steps; evaluating " + settings.families().size()
          + " families x " + settings.severities().size() + " severities");
      table = RobustnessEvaluator.of(settings).progress(log)
          .evaluate(models, data.tasks(), rawDev, backbone.tokenizer(), RobustnessEvaluator.vocabulary(backbone.tokenizer()));
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("robustness", table.toJson());
    RunSummary.writeDeadLetters(out, data.deadLetters());
    Path summary = RunSummary.write(config, out, records, data.reports(), extra);
    List<Path> plots = writeOutputs(config, out, table, settings, "trained in this run");
    if (tracking != null) {
      track(tracking, config, result, records, table, prov, out, plots);
    }
    return new Outcome(table, records, summary, plots);
  }

  /**
   * Evaluates the exported model in {@code modelDir} (written by {@code slaft export}) on the dev
   * data of {@code config}'s tasks, without training: input perturbations only (an export has no
   * noise inputs, so noise families are skipped), on the discretized structure. Writes
   * {@code robustness.json}, {@code robustness.md} and the PNGs (no {@code summary.json}).
   */
  public static Outcome runExport(ExperimentConfig config, Path modelDir, Path out, TrackingSettings tracking,
      Consumer<String> log) {
    RobustnessSettings settings = RobustnessSettings.from(config);
    RobustnessTable table = evaluateExport(config, modelDir, settings, false, log);
    List<Path> plots = writeOutputs(config, out, table, settings, "exported model " + modelDir.toAbsolutePath());
    if (tracking != null) {
      track(tracking, config, null, List.of(), table, null, out, plots);
    }
    return new Outcome(table, List.of(), null, plots);
  }

  /**
   * The robustness table of the export in {@code modelDir} on {@code config}'s tasks under {@code settings}: on their
   * dev sets, or with {@code onValidation} on the validation split held out of their training rows (where choices are
   * made, e.g. the sweep's champion). Input perturbations only: an export has no noise inputs, so noise families are
   * skipped.
   */
  public static RobustnessTable evaluateExport(ExperimentConfig config, Path modelDir, RobustnessSettings settings,
      boolean onValidation, Consumer<String> log) {
    ExportManifest.BackboneRef ref = CompactModel.manifest(modelDir).backbone();
    Backbone backbone = Backbone.shared(ref.source(modelDir), ref.maxLength());
    LoadedTasks data = TaskLoader.load(config, backbone);
    Map<String, CompactModel> byTask = new LinkedHashMap<>();
    try {
      Map<String, List<Example>> raw = new LinkedHashMap<>();
      List<TrainTask> evaluated = new ArrayList<>();
      for (int i = 0; i < data.tasks().size(); i++) {
        TrainTask t = data.tasks().get(i);
        TaskSpec spec = data.specs().get(i);
        raw.put(spec.name(), onValidation ? TaskLoader.readValidation(config, spec) : TaskLoader.readDev(config, spec));
        // the evaluator scores a task's dev list: on validation, that list is the held-out rows (in raw's order)
        evaluated.add(onValidation ? new TrainTask(t.name(), t.numLabels(), t.metric(), t.train(), t.validation()) : t);
        byTask.put(spec.name(), CompactModel.load(modelDir, spec.name(), backbone));
      }
      try (EvalModels models = EvalModels.ofExports(byTask, config.get(ConfigKeys.TRAIN_EVAL_BATCH_SIZE))) {
        return RobustnessEvaluator.of(settings).progress(log).evaluate(models, evaluated, raw, backbone.tokenizer(),
            RobustnessEvaluator.vocabulary(backbone.tokenizer()));
      }
    } finally {
      byTask.values().forEach(CompactModel::close);
    }
  }

  private static List<Path> writeOutputs(ExperimentConfig config, Path out, RobustnessTable table,
      RobustnessSettings settings, String model) {
    try {
      Files.createDirectories(out);
      AtomicFiles.writeString(out.resolve("robustness.json"), RunSummary.json().writeValueAsString(table.toJson()));
      List<Path> plots = table.writePngs(out);
      StringBuilder md = new StringBuilder("# Robustness — ").append(config.get(ConfigKeys.NAME)).append("\n\n")
          .append("Metric under each perturbation family and severity (ratio of perturbed units; σ/std for noise), ")
          .append("drop from clean, prediction-flip rate against the clean predictions, and the normalised area under ")
          .append("the severity curve. Model: ").append(model).append("; seed ").append(settings.seed())
          .append(", config hash ").append(config.hash()).append(".\n\n").append(table.toMarkdown());
      for (Path p : plots) {
        md.append("![").append(p.getFileName()).append("](").append(p.getFileName()).append(")\n\n");
      }
      AtomicFiles.writeString(out.resolve("robustness.md"), md.toString());
      return plots;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write robustness results into " + out, e);
    }
  }

  private static void track(TrackingSettings settings, ExperimentConfig config, TrainResult result,
      List<Map<String, Object>> records, RobustnessTable table, Provenance prov, Path out, List<Path> plots) {
    Tracker t = settings.tracker();
    String parentKey = "robustness/" + config.hash() + "/" + Integer.toHexString(out.toAbsolutePath().toString().hashCode());
    RunRef parent = t.startRun(RunSpec.root(settings.experiment(), parentKey, "robustness " + config.get(ConfigKeys.NAME))
        .withTags(Map.of("slaft.stage", "robustness")));
    t.logParams(parent, config.resolved());
    if (prov != null) {
      t.setTags(parent, prov.asTags());
    }
    long now = System.currentTimeMillis();
    List<String> tasks = table.tasks();
    for (int i = 0; i < tasks.size(); i++) {
      String task = tasks.get(i);
      RunRef r = t.startRun(RunSpec.child(parent, parentKey + "/" + task, "robustness " + task)
          .withTags(Map.of("slaft.task", task, "slaft.stage", "robustness")));
      t.logParams(r, config.resolved());
      List<MetricPoint> pts = new ArrayList<>();
      if (result != null) {
        t.setTags(r, prov.asTags());
        TaskResult tr = result.tasks().get(i);
        tr.metrics().forEach((k, v) -> pts.add(new MetricPoint("final_" + k, v, result.stepsRun(), now)));
        pts.add(new MetricPoint("compression", ((Number) records.get(i).get("compression")).doubleValue(), 0, now));
      }
      for (RobustnessTable.Row row : table.rows()) {
        if (row.task().equals(task)) {
          String sev = RobustnessTable.label(row.severity()).replace("%", "");
          pts.add(new MetricPoint("robust_" + row.family() + "_" + sev, row.value(), 0, now));
          pts.add(new MetricPoint("flip_" + row.family() + "_" + sev, row.flipRate(), 0, now));
        }
      }
      for (RobustnessTable.Curve c : table.curves()) {
        if (c.task().equals(task) && !Double.isNaN(c.auc())) {
          pts.add(new MetricPoint("auc_" + c.family(), c.auc(), 0, now));
        }
      }
      t.logMetrics(r, pts);
      for (Path p : plots) {
        if (p.getFileName().toString().equals("robustness-" + task + ".png")) {
          t.logArtifact(r, p, "plots/" + p.getFileName());
        }
      }
      t.logArtifact(r, out.resolve("robustness.json"), "robustness.json");
      t.logArtifact(r, out.resolve("robustness.md"), "robustness.md");
      t.endRun(r, RunStatus.FINISHED);
    }
    t.endRun(parent, RunStatus.FINISHED);
    t.flush();
  }
}
