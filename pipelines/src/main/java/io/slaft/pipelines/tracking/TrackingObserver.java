package io.slaft.pipelines.tracking;

import io.slaft.files.AtomicFiles;
import io.slaft.model.export.Exporter;
import io.slaft.model.train.ModuleGate;
import io.slaft.model.train.TaskResult;
import io.slaft.model.train.TrainListener;
import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.ExperimentRunner;
import io.slaft.pipelines.run.PointObserver;
import io.slaft.report.Heatmap;
import io.slaft.report.TrainingCurve;
import io.slaft.tracking.DatasetInput;
import io.slaft.tracking.MetricPoint;
import io.slaft.tracking.ModelVersionSpec;
import io.slaft.tracking.RunRef;
import io.slaft.tracking.RunSpec;
import io.slaft.tracking.RunStatus;
import io.slaft.tracking.Tracker;
import io.slaft.tracking.system.SystemMetricsSampler;
import io.slaft.transforms.stopping.RungStore;
import io.slaft.transforms.sweep.SweepPoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Logs every sweep point × task as an MLflow child run of the pipeline's parent run: params (the
 * point's resolved config), step metrics (loss, λ, learning rate, gate mass, active modules,
 * tokens/s), dev metrics at every evaluation, final metrics, provenance tags, dataset inputs and
 * artifacts (resolved config, structure JSON, gate heatmap PNG, training-curve PNG, predictions).
 * Logging is asynchronous (the tracker batches off the training thread).
 */
public final class TrackingObserver implements PointObserver {
  /**
   * Step losses of the points training in this JVM, by parent run and point, for the training-curve
   * plot; an entry lives from {@link #listener} to the end of {@link #finished}.
   */
  private static final Map<String, List<double[]>> LOSSES = new java.util.concurrent.ConcurrentHashMap<>();
  /** System-metric samplers of the points training in this JVM; one lives as long as its LOSSES entry. */
  private static final Map<String, SystemMetricsSampler> SAMPLERS = new java.util.concurrent.ConcurrentHashMap<>();
  /** Where a child run's export files are logged, relative to its artifact root. */
  public static final String MODEL_ARTIFACTS = "model";

  private final TrackingSettings settings;
  private final String parentKey;

  public TrackingObserver(TrackingSettings settings, String parentKey) {
    this.settings = settings;
    this.parentKey = parentKey;
  }

  private RunRef parent() {
    return new RunRef(settings.experiment(), parentKey);
  }

  /** The child run of {@code point} × {@code task} under the parent run {@code parentKey}. */
  public static RunRef child(String experiment, String parentKey, String pointId, String task) {
    return new RunRef(experiment, parentKey + "/" + pointId + "/" + task);
  }

  /** The point id in a child run key of {@link #child}, or empty if {@code runKey} is not a child of {@code parentKey}. */
  public static java.util.Optional<String> pointOf(String parentKey, String runKey) {
    String prefix = parentKey + "/";
    int slash = runKey.indexOf('/', prefix.length());
    return runKey.startsWith(prefix) && slash > prefix.length()
        ? java.util.Optional.of(runKey.substring(prefix.length(), slash)) : java.util.Optional.empty();
  }

  /**
   * With a tracking server, the sweep's rungs are kept on it ({@link TrackedRungStore}): points on workers that share
   * no filesystem compare with each other. Spool-only tracking keeps them in files ({@link PointObserver#rungStore}).
   */
  @Override
  public RungStore rungStore(ExperimentConfig base, Path out) {
    return settings.hasServer() ? TrackedRungStore.on(settings, parentKey, base.get(ConfigKeys.TASKS))
        : PointObserver.super.rungStore(base, out);
  }

  private RunRef child(SweepPoint point, String task) {
    return child(settings.experiment(), parentKey, point.id(), task);
  }

  @Override
  public TrainListener listener(SweepPoint point, ExperimentConfig config, TrainListener progress) {
    Tracker t = settings.tracker();
    Map<String, RunRef> runs = startChildren(point, config);
    List<double[]> losses = java.util.Collections.synchronizedList(new ArrayList<>());
    LOSSES.put(parentKey + "/" + point.id(), losses);
    settings.systemMetricsInterval().ifPresent(interval -> SAMPLERS.put(parentKey + "/" + point.id(),
        SystemMetricsSampler.start(t, List.copyOf(runs.values()), interval, Path.of(settings.spoolDir()).toAbsolutePath().getParent())));
    return new PointListener(t, runs, losses, progress);
  }

  /**
   * A point's training events as MLflow metrics of its tasks' child runs, each event passed on to
   * {@code progress} first: per step loss, λ, lr, gate mass, active modules, sparsity, tokens/s; per
   * evaluation the split's metrics, structure flips and kept modules; per graph rebuild of the settle
   * phase the modules the graph still computes ({@code graph_modules}) and the bottlenecks computing
   * one fixed activation ({@code graph_fixed_activations}) and the bottom layers now run once per example
   * and cached ({@code graph_cached_layers}), on every task's run (the graph is shared).
   */
  static final class PointListener implements TrainListener {
    private final Tracker t;
    private final Map<String, RunRef> runs;
    private final List<double[]> losses;
    private final TrainListener progress;

    PointListener(Tracker t, Map<String, RunRef> runs, List<double[]> losses, TrainListener progress) {
      this.t = t;
      this.runs = runs;
      this.losses = losses;
      this.progress = progress;
    }

    @Override
    public void onStep(StepInfo i) {
      progress.onStep(i);
      losses.add(new double[] {i.step(), i.loss()});
      RunRef r = runFor(runs, i.task());
      long now = System.currentTimeMillis();
      t.logMetrics(r, List.of(new MetricPoint("loss", i.loss(), i.step(), now),
          new MetricPoint("lambda", i.lambda(), i.step(), now), new MetricPoint("lr", i.lr(), i.step(), now),
          new MetricPoint("gate_mass", i.gateMass(), i.step(), now),
          new MetricPoint("active_modules", i.activeModules(), i.step(), now),
          new MetricPoint("sparsity", 1 - i.activeModules() / (double) Math.max(1, i.totalModules()), i.step(), now),
          new MetricPoint("tokens_per_s", i.tokensPerSec(), i.step(), now)));
    }

    @Override
    public void onEval(EvalInfo e) {
      progress.onEval(e);
      long now = System.currentTimeMillis();
      e.metrics().forEach((task, m) -> {
        List<MetricPoint> pts = new ArrayList<>();
        m.forEach((k, v) -> pts.add(new MetricPoint(e.split() + "_" + k, v, e.step(), now)));
        Integer flips = e.flips().get(task);
        if (flips != null) {
          pts.add(new MetricPoint("structure_flips", flips, e.step(), now));
          pts.add(new MetricPoint("kept_modules", e.structure().get(task).size(), e.step(), now));
        }
        t.logMetrics(runFor(runs, task), pts);
      });
    }

    @Override
    public void onGraph(GraphInfo g) {
      progress.onGraph(g);
      long now = System.currentTimeMillis();
      for (RunRef r : runs.values()) {
        t.logMetrics(r, List.of(new MetricPoint("graph_modules", g.modules(), g.step(), now),
            new MetricPoint("graph_fixed_activations", g.fixedActivations(), g.step(), now),
            new MetricPoint("graph_cached_layers", g.cachedLayers(), g.step(), now)));
      }
    }
  }

  /** Starts (or continues: run keys are stable) the child run of each task of {@code point}, its params logged. */
  private Map<String, RunRef> startChildren(SweepPoint point, ExperimentConfig config) {
    Tracker t = settings.tracker();
    Map<String, RunRef> runs = new LinkedHashMap<>();
    for (String task : config.get(ConfigKeys.TASKS)) {
      Map<String, String> tags = new LinkedHashMap<>(RunPages.sourceTags());
      tags.put("slaft.task", task);
      tags.put("slaft.point", point.id());
      RunRef r = t.startRun(RunSpec.child(parent(), child(point, task).runKey(), RunPages.runName(task, config, point))
          .withTags(tags));
      t.logParams(r, config.resolved());
      runs.put(task, r);
    }
    return runs;
  }

  private static RunRef runFor(Map<String, RunRef> runs, String task) {
    for (Map.Entry<String, RunRef> e : runs.entrySet()) {
      if (io.slaft.model.train.TaskNames.same(e.getKey(), task)) {
        return e.getValue();
      }
    }
    return runs.values().iterator().next();
  }

  @Override
  @SuppressWarnings("unchecked")
  public void finished(SweepPoint point, ExperimentConfig config, ExperimentRunner.PointResult result) {
    Tracker t = settings.tracker();
    SystemMetricsSampler sampler = SAMPLERS.remove(parentKey + "/" + point.id());
    if (sampler != null) {
      sampler.close();
    }
    try {
      Path dir = Files.createTempDirectory("slaft-artifacts");
      Path cfg = dir.resolve("config.resolved.yaml");
      AtomicFiles.writeString(cfg, config.toYaml());
      List<String> tasks = config.get(ConfigKeys.TASKS);
      for (int i = 0; i < result.result().tasks().size(); i++) {
        TaskResult tr = result.result().tasks().get(i);
        Map<String, Object> rec = result.records().get(i);
        RunRef r = child(point, tasks.get(i));
        t.logMetrics(r, finalMetrics(rec));
        Map<String, String> tags = new LinkedHashMap<>(result.provenance().asTags());
        tags.put(RunPages.NOTE_TAG, RunPages.note(tr, config, rec));
        tags.putAll(stopTags(rec));
        t.setTags(r, tags);
        String digest = result.provenance().dataDigests().getOrDefault(tasks.get(i), "unknown");
        t.logInput(r, new DatasetInput(tasks.get(i), digest.length() > 36 ? digest.substring(0, 36) : digest, "local",
            "glue/" + tasks.get(i), "{}", "{}", "training"));
        logStructure(r, dir, tr, rec);
        Path curve = dir.resolve(tr.task() + "-training.png");
        curve(result, tr.task(), LOSSES.getOrDefault(parentKey + "/" + point.id(), List.of())).writePng(curve);
        Path preds = dir.resolve(tr.task() + "-predictions.tsv");
        StringBuilder b = new StringBuilder("index\tprediction\n");
        for (int k = 0; k < tr.predictions().length; k++) {
          b.append(k).append('\t').append(tr.predictions()[k]).append('\n');
        }
        AtomicFiles.writeString(preds, b.toString());
        t.logArtifact(r, cfg, "config.resolved.yaml");
        t.logArtifact(r, curve, "plots/training.png");
        t.logArtifact(r, preds, "predictions.tsv");
        logModel(r, result.exportDir(), tasks.get(i), tr, config, rec, point);
        t.endRun(r, endStatus(rec));
      }
      t.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      LOSSES.remove(parentKey + "/" + point.id());
    }
  }

  /** Tag of a child run whose point a sweep's early stopping ended ({@code true}), with {@link #STOP_RUNG_TAG} and {@link #STOP_REASON_TAG}. */
  public static final String STOPPED_EARLY_TAG = "slaft.stopped_early";
  /** The rung whose cut ended the point. */
  public static final String STOP_RUNG_TAG = "slaft.stop_rung";
  /** The rule's reason, e.g. {@code asha rung 10: 0.4750 < cutoff 0.6250 of 2 other points}. */
  public static final String STOP_REASON_TAG = "slaft.stop_reason";

  /** The early-stopping tags of a record: none for a point that ran to its last step. */
  static Map<String, String> stopTags(Map<String, Object> rec) {
    if (!Boolean.TRUE.equals(rec.get("stopped_early"))) {
      return Map.of();
    }
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(STOPPED_EARLY_TAG, "true");
    tags.put(STOP_RUNG_TAG, String.valueOf(rec.get("stop_rung")));
    tags.put(STOP_REASON_TAG, String.valueOf(rec.get("stop_reason")));
    return tags;
  }

  /** A run's end status: {@code KILLED} when early stopping ended its point (MLflow shows it apart), else {@code FINISHED}. */
  static RunStatus endStatus(Map<String, Object> rec) {
    return Boolean.TRUE.equals(rec.get("stopped_early")) ? RunStatus.KILLED : RunStatus.FINISHED;
  }

  /**
   * A point taken from the step cache: its child runs are continued (run keys are stable, so the runs
   * of the invocation that trained it are found again) or, when that one was not tracked, made now
   * from what the cache keeps — the summary records and the export under {@code exportDir}: final
   * metrics, the note, the structure and its heatmap, the model files, and with {@code
   * registry.model} a version per task (one per (model, run): a point registered before gets no
   * second one). The runs are tagged {@code slaft.step_cache = hit}; step metrics, curves and
   * predictions exist only for runs that trained.
   */
  @Override
  public void cached(SweepPoint point, ExperimentConfig config, List<Map<String, Object>> records, Path exportDir) {
    Tracker t = settings.tracker();
    Map<String, RunRef> runs = startChildren(point, config);
    try {
      Path dir = Files.createTempDirectory("slaft-artifacts");
      List<String> tasks = config.get(ConfigKeys.TASKS);
      for (int i = 0; i < records.size(); i++) {
        Map<String, Object> rec = records.get(i);
        TaskResult tr = io.slaft.pipelines.experiment.RunRecord.taskResult(rec);
        RunRef r = runs.get(tasks.get(i));
        t.logMetrics(r, finalMetrics(rec));
        Map<String, String> tags = new LinkedHashMap<>(stopTags(rec));
        tags.put(RunPages.NOTE_TAG, RunPages.note(tr, config, rec));
        tags.put("slaft.step_cache", "hit");
        t.setTags(r, tags);
        logStructure(r, dir, tr, rec);
        logModel(r, Files.isDirectory(exportDir) ? exportDir : null, tasks.get(i), tr, config, rec, point);
        t.endRun(r, endStatus(rec));
      }
      t.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A task's final metrics, from its summary record: {@code final_<dev metric>}, {@code final_validation_<metric>}, sizes, throughput. */
  @SuppressWarnings("unchecked")
  private static List<MetricPoint> finalMetrics(Map<String, Object> rec) {
    long now = System.currentTimeMillis();
    long steps = ((Number) rec.get("steps")).longValue();
    List<MetricPoint> finals = new ArrayList<>();
    ((Map<String, Object>) rec.get("metrics")).forEach((k, v) -> finals.add(new MetricPoint("final_" + k,
        ((Number) v).doubleValue(), steps, now)));
    if (rec.get("validation_metrics") instanceof Map<?, ?> validation) {
      validation.forEach((k, v) -> finals.add(new MetricPoint("final_validation_" + k, ((Number) v).doubleValue(), steps, now)));
    }
    for (String k : List.of("compression", "active_params", "trainable_params", "train_tokens_per_s")) {
      finals.add(new MetricPoint(k, ((Number) rec.get(k)).doubleValue(), 0, now));
    }
    return finals;
  }

  /** Logs a task's structure ({@code structure.json}) and its gate heatmap ({@code plots/gates.png}), written under {@code dir}. */
  private void logStructure(RunRef r, Path dir, TaskResult tr, Map<String, Object> rec) throws IOException {
    Path structure = dir.resolve(tr.task() + "-structure.json");
    AtomicFiles.writeString(structure, ExperimentRunner.json().writeValueAsString(rec.get("structure")));
    Path heat = dir.resolve(tr.task() + "-gates.png");
    heatmap(tr).writePng(heat);
    settings.tracker().logArtifact(r, structure, "structure.json");
    settings.tracker().logArtifact(r, heat, "plots/gates.png");
  }

  /** Logs the export's files under {@link #MODEL_ARTIFACTS} of run {@code r} and, with {@code registry.model}, registers them. */
  private void logModel(RunRef r, Path exportDir, String task, TaskResult tr, ExperimentConfig config, Map<String, Object> rec,
      SweepPoint point) {
    Tracker t = settings.tracker();
    Map<String, Path> modelFiles = new LinkedHashMap<>();
    for (String f : exportDir == null ? List.<String>of() : Exporter.FILES) {
      Path p = exportDir.resolve(f);
      if (Files.isRegularFile(p)) {
        t.logArtifact(r, p, MODEL_ARTIFACTS + "/" + f);
        modelFiles.put(f, p);
      }
    }
    String registered = config.get(ConfigKeys.REGISTRY_MODEL);
    if (!registered.isEmpty() && !modelFiles.isEmpty()) {
      t.registerModel(r, new ModelVersionSpec(registered, MODEL_ARTIFACTS, modelFiles,
          RunPages.versionTags(task, tr, config, rec, point), RunPages.note(tr, config, rec)));
    }
  }

  static Heatmap heatmap(TaskResult tr) {
    List<ModuleGate> s = tr.structure();
    List<String> sites = s.stream().map(ModuleGate::site).distinct().toList();
    List<Integer> layers = s.stream().map(ModuleGate::layer).distinct().sorted().toList();
    double[][] v = new double[layers.size()][sites.size()];
    for (ModuleGate g : s) {
      v[layers.indexOf(g.layer())][sites.indexOf(g.site())] = g.gate();
    }
    return Heatmap.builder().title("Gates — " + tr.task()).rowLabels(layers.stream().map(l -> "layer " + l).toList())
        .columnLabels(sites).values(v).build();
  }

  static TrainingCurve curve(ExperimentRunner.PointResult r, String task, List<double[]> losses) {
    List<Double> steps = new ArrayList<>();
    List<Double> metric = new ArrayList<>();
    for (TrainListener.EvalInfo e : r.result().history()) {
      Map<String, Double> m = e.metrics().get(task);
      if (m != null) {
        steps.add((double) e.step());
        metric.add(m.values().iterator().next());
      }
    }
    long[] x = steps.stream().mapToLong(Double::longValue).toArray();
    double[] y = metric.stream().mapToDouble(Double::doubleValue).toArray();
    List<double[]> l = new ArrayList<>(losses);
    long[] lx = l.stream().mapToLong(p -> (long) p[0]).toArray();
    double[] ly = l.stream().mapToDouble(p -> p[1]).toArray();
    String split = r.result().selectionSplit();
    TrainingCurve.Builder b = TrainingCurve.builder().title("Training — " + task).metricLabel(split + " metric")
        .metric(split, x, y);
    if (lx.length > 0) {
      b.loss("train loss (all tasks)", lx, ly);
    }
    return b.build();
  }
}
