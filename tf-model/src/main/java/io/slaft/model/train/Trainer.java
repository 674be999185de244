package io.slaft.model.train;

import io.slaft.model.adapters.GateFamily;
import io.slaft.model.adapters.GateMath;
import io.slaft.model.adapters.ModuleLayout;
import io.slaft.model.adapters.SearchSpace;
import io.slaft.model.adapters.SparsityControl;
import io.slaft.model.backbone.Backbone;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains gated adapters on a frozen backbone: one shared module pool, per-task structure logits
 * and heads, task sampling ∝ size^(1/T), AdamW with warm-up and linear decay, gradient clipping,
 * periodic evaluation with early stopping (best parameters kept) on each task's {@link
 * TrainTask#selection()} — its validation examples held out of the training rows when it has them,
 * and then the official dev set is evaluated once, at the end, on the chosen parameters —, a settle phase that fixes
 * the discrete structure ({@link Settler}; then evaluations before its deadline cannot be the best
 * step, and one evaluation runs at the deadline), and checkpoints from which a killed run resumes to
 * the same result as an uninterrupted one.
 *
 * <p>The loop is the trainer's one job; its parts are separate classes: {@link TrainingSession}
 * (typed feeds and fetches of the graph), {@link AdamW} (update, clipping, decay), {@link
 * TrainState} (best step, early stopping), {@link CheckpointFile} (format, fingerprint), {@link
 * Evaluator} (outputs and metrics), {@link Discretizer} (the discrete structure and the controls
 * that serve it), {@link Settler} (commit-and-freeze) and the {@link io.slaft.model.adapters.GateFamily} (gate function, penalty, λ,
 * temperatures, which modules are kept).
 *
 * <p>Reproducibility: every random draw (initialization, data order, task choice, gate noise,
 * training noise) derives from {@link TrainSpec#seed()} and the step number, and the graph has no
 * random ops; with the same intra-op thread count, the same inputs give the same metrics.
 *
 * <p>Not thread-safe; one trainer per thread. Close it to release the TensorFlow graph.
 */
public final class Trainer implements AutoCloseable {
  private final Backbone backbone;
  private final TrainSpec spec;
  private final List<TrainTask> tasks;
  private final ModuleLayout layout;
  private final int maxOutputs;
  private final NoiseSite noiseSite;
  /** The graph, its session and evaluator: rebuilt when the settle phase takes modules out ({@link #rebuildIfSettled}). */
  private TrainingGraph g;
  private TrainingSession session;
  private Evaluator evaluator;
  private final ParamStore params;
  private final Discretizer discretizer;
  private final Settler settler;
  private boolean rebuildSettled = REBUILD_DEFAULT;
  /** Whether layers below the lowest computed module come from {@link #layerCache} (see {@link #cacheFrozenLayers}). */
  private boolean cacheLayers;
  /** The output of the layers the graph leaves out, per example, or {@code null} when it computes every layer. */
  private LayerCache layerCache;
  /** Every training, validation and dev example of the run's tasks: what the layer cache may keep. */
  private final List<LabeledExample> ownExamples;
  /** Whether caching {@link #ownExamples} stays within {@link LayerCache#limitBytes()}. */
  private final boolean ownExamplesFitCache;
  /** Graphs built after the first one (the settle phase's rebuilds), for progress and tests. */
  private int rebuilds;
  private final AdamW optimizer;
  private final Map<String, BatchIterator> iterators = new LinkedHashMap<>();
  private final double[] taskWeights;
  private final List<String> taskNames;
  /** The split every choice is made on: {@link TrainTask#VALIDATION} for all tasks, or {@link TrainTask#DEV} for all. */
  private final String selectionSplit;
  private Path checkpointDir;
  private TrainListener listener = TrainListener.NONE;
  private StopRule stopRule = StopRule.NEVER;
  private int haltAfter = -1;
  /** Each task's discrete structure under the initial parameters (what the first evaluation's flips compare with). */
  private final Map<String, List<String>> initialStructure = new LinkedHashMap<>();

  private Trainer(Backbone backbone, TrainSpec spec, List<TrainTask> tasks, NoiseSite evalNoise) {
    this.backbone = backbone;
    this.spec = spec;
    this.tasks = List.copyOf(tasks);
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException("at least one task is required");
    }
    this.taskNames = tasks.stream().map(TrainTask::name).toList();
    if (taskNames.stream().distinct().count() != taskNames.size()) {
      throw new IllegalArgumentException("task names must be unique: " + taskNames);
    }
    this.selectionSplit = tasks.get(0).selectionSplit();
    if (tasks.stream().anyMatch(t -> !t.selectionSplit().equals(selectionSplit))) {
      throw new IllegalArgumentException("either every task holds validation examples out of its training rows or none"
          + " does; held out: " + tasks.stream().filter(t -> !t.validation().isEmpty()).map(TrainTask::name).toList()
          + " of " + taskNames);
    }
    String fusedOn = spec.space().fusion().backboneDigest();
    if (!spec.space().fusion().isEmpty() && !fusedOn.equals(backbone.weights().digest())) {
      throw new IllegalArgumentException("the fusion sources " + spec.space().fusion() + " were trained on backbone digest "
          + fusedOn + " but this run trains " + backbone.name() + " (digest " + backbone.weights().digest()
          + "); fuse adapters trained on the same backbone");
    }
    this.layout = new ModuleLayout(spec.space(), backbone.config());
    this.maxOutputs = Math.max(2, tasks.stream().mapToInt(TrainTask::outputs).max().orElse(2));
    this.noiseSite = spec.noiseSite() != NoiseSite.NONE ? spec.noiseSite() : evalNoise;
    this.cacheLayers = LayerCache.limitBytes() > 0;
    this.ownExamples = ownExamples(tasks);
    this.ownExamplesFitCache = LayerCache.bytes(ownExamples, backbone.config().hidden()) <= LayerCache.limitBytes();
    this.g = graph(withCache(GraphPlan.full(layout)));
    this.params = ParamStore.init(g.slots(), taskNames, this::initial, spec.seed());
    install(g.plan());
    this.discretizer = new Discretizer(spec, layout, params, g.slots(), backbone.config().parameterCount());
    for (String t : taskNames) {
      initialStructure.put(t, DiscreteStructure.kept(discretizer.structure(t)));
    }
    this.settler = new Settler(spec, layout, discretizer, taskNames);
    this.evaluator = new Evaluator(session, discretizer, settler, g, spec.evalBatchSize());
    this.optimizer = new AdamW(spec.optimizer());
    this.taskWeights = new double[tasks.size()];
    double sum = 0;
    for (int i = 0; i < tasks.size(); i++) {
      TrainTask t = tasks.get(i);
      taskWeights[i] = Math.pow(t.train().size(), 1.0 / spec.taskTemperature());
      sum += taskWeights[i];
      iterators.put(t.name(), new BatchIterator(t.train(), spec.batchSize(), spec.bucketWindow(),
          spec.seed() * 1_000_003L + t.name().hashCode()));
    }
    for (int i = 0; i < taskWeights.length; i++) {
      taskWeights[i] /= sum;
    }
  }

  /** A trainer for {@code tasks}; builds the graph (a few seconds for a real backbone). */
  public static Trainer create(Backbone backbone, TrainSpec spec, List<TrainTask> tasks) {
    return new Trainer(backbone, spec, tasks, NoiseSite.NONE);
  }

  /** A trainer whose graph also has representation-noise inputs at {@code site}, for robustness evaluation. */
  public static Trainer createWithNoise(Backbone backbone, TrainSpec spec, List<TrainTask> tasks, NoiseSite site) {
    return new Trainer(backbone, spec, tasks, site);
  }

  /** Writes checkpoints into {@code dir} and resumes from the one found there. */
  public Trainer checkpointDir(Path dir) {
    this.checkpointDir = dir;
    return this;
  }

  public Trainer listener(TrainListener l) {
    this.listener = l == null ? TrainListener.NONE : l;
    return this;
  }

  /** Asked after every evaluation whether the run goes on (a sweep's early-stopping rule). */
  public Trainer stopRule(StopRule rule) {
    this.stopRule = rule == null ? StopRule.NEVER : rule;
    return this;
  }

  /**
   * Whether the settle phase rebuilds the training graph without the modules it committed closed
   * and with the activations it fixed ({@link Settler#plan}), so that the rest of the run costs what
   * the settled structure costs. On by default ({@code SLAFT_SETTLE_REBUILD=off} in the environment
   * turns the default off). The model is the same either way up to floating-point rounding ({@link
   * GraphPlan}); a resumed run rebuilds the graph its checkpoint recorded, so it stays bit-exact.
   */
  public Trainer rebuildSettled(boolean on) {
    this.rebuildSettled = on;
    return this;
  }

  /** The default of {@link #rebuildSettled}: on unless {@code SLAFT_SETTLE_REBUILD} says off. */
  private static final boolean REBUILD_DEFAULT =
      io.slaft.model.runtime.TfRuntime.switchFromEnvironment("SLAFT_SETTLE_REBUILD", true);

  /** Whether trainers rebuild their graph for settled structures unless told otherwise ({@code SLAFT_SETTLE_REBUILD}). */
  public static boolean rebuildsSettledByDefault() {
    return REBUILD_DEFAULT;
  }

  /** How many times the settle phase rebuilt the training graph so far. */
  public int graphRebuilds() {
    return rebuilds;
  }

  private TrainingGraph graph(GraphPlan plan) {
    return new TrainingGraph(backbone.weights(), layout, spec.sparsity(), maxOutputs, backbone.pooling(), noiseSite,
        backbone.precision(), plan);
  }

  /**
   * After {@code done} search steps (or on resuming there), replaces the graph by the one {@link
   * Settler#plan} asks for, when it differs: the old session and graph are closed, parameters and
   * optimizer state live in Java and carry over unchanged.
   */
  private void rebuildIfSettled(int done) {
    if (rebuildSettled) {
      rebuild(done, settler.plan(done, g.plan()));
    }
  }

  /** Replaces the graph by one of {@code plan} unless it is the current one (benchmarks); whether it did. */
  boolean rebuildGraph(GraphPlan plan) {
    int before = rebuilds;
    rebuild(0, plan);
    return rebuilds > before;
  }

  /** Replaces the graph by one of {@code next} (its cached layers as {@link #withCache} decides) unless it is the current one. */
  private void rebuild(int done, GraphPlan next) {
    next = withCache(next);
    if (next.equals(g.plan())) {
      return;
    }
    install(next);
    rebuilds++;
    listener.onGraph(new TrainListener.GraphInfo(done, layout.size() - next.removed(), layout.size(),
        next.fixedActivations(), next.frozenBelow()));
  }

  /**
   * Makes {@code plan} the trainer's graph: builds it (closing the one before, if any), its session
   * and evaluator, and the cache of the layers it leaves out (kept while they stay the same).
   */
  private void install(GraphPlan plan) {
    if (session != null) {
      session.close();
    }
    if (g != null && !g.plan().equals(plan)) {
      g.graph().close();
      g = null;
    }
    if (g == null) {
      g = graph(plan);
    }
    if (layerCache != null && layerCache.layers() != plan.frozenBelow()) {
      layerCache.close();
      layerCache = null;
    }
    if (layerCache == null && plan.frozenBelow() > 0) {
      layerCache = new LayerCache(backbone, plan.frozenBelow(), ownExamples);
    }
    session = new TrainingSession(g, backbone, spec, params, layerCache);
    if (discretizer != null) {
      evaluator = new Evaluator(session, discretizer, settler, g, spec.evalBatchSize());
    }
  }

  /**
   * {@code plan} with the layers below its lowest module taken from the {@link LayerCache} when they
   * can be: the cache is on, nothing writes into those layers (no BitFit deltas, no trained backbone,
   * no representation noise) and the run's examples fit in {@link LayerCache#limitBytes()}; else
   * {@code plan} computing every layer.
   */
  private GraphPlan withCache(GraphPlan plan) {
    SearchSpace space = spec.space();
    int below = plan.lowestModuleLayer(layout, backbone.config().layers());
    boolean possible = cacheLayers && ownExamplesFitCache && below > 0 && noiseSite == NoiseSite.NONE && !space.bitfit()
        && !space.fullModel();
    return plan.frozenBelow(possible ? below : 0);
  }

  /** Every training, validation and dev example of {@code tasks}. */
  private static List<LabeledExample> ownExamples(List<TrainTask> tasks) {
    List<LabeledExample> all = new java.util.ArrayList<>();
    for (TrainTask t : tasks) {
      all.addAll(t.train());
      all.addAll(t.validation());
      all.addAll(t.dev());
    }
    return all;
  }

  /**
   * Whether the layers below the lowest module the graph computes run once per example and come
   * from a cache ({@link LayerCache}; on by default unless {@code SLAFT_LAYER_CACHE_MB=0}). The model
   * is the same up to float rounding either way; a resumed run decides it the same way, so it stays
   * bit-exact when the setting is the same.
   */
  public Trainer cacheFrozenLayers(boolean on) {
    this.cacheLayers = on;
    GraphPlan plan = withCache(g.plan());
    if (!plan.equals(g.plan())) {
      install(plan);
    }
    return this;
  }

  /** The layers whose output the trainer takes from its cache now (0: the graph computes every layer). */
  public int cachedLayers() {
    return g.plan().frozenBelow();
  }

  /** How many examples ran through the cached layers so far (each kept example once). */
  int cachedExamplesComputed() {
    return layerCache == null ? 0 : layerCache.computed();
  }

  /** Stops abruptly after this step, as a crash would (tests of resume); {@link #run()} then returns null. */
  public Trainer haltAfter(int step) {
    this.haltAfter = step;
    return this;
  }

  private float[] initial(Slot s, String task, SplittableRandom r) {
    String n = s.name();
    float[] pretrained = g.pretrained().get(n);
    if (pretrained != null) {
      return pretrained.clone();
    }
    float[] a = new float[s.size()];
    float std = spec.space().initScale();
    if (n.endsWith("_" + SlotNames.DOWN_W) || n.endsWith("_" + SlotNames.LORA_AQ) || n.endsWith("_" + SlotNames.LORA_AV)) {
      gaussian(a, std, r);
    } else if (n.endsWith("_" + SlotNames.PREFIX_EMB)) {
      // prefix-tuning's embedding starts as N(0, 1) (as PyTorch's nn.Embedding), its MLP at unit gain; the value
      // projection starts at zero (as LoRA's B), so a new prefix only shares attention and adds nothing yet
      gaussian(a, 1.0, r);
    } else if (n.endsWith("_" + SlotNames.PREFIX_W1) || n.endsWith("_" + SlotNames.PREFIX_WK)) {
      gaussian(a, 1.0 / Math.sqrt(s.shape()[0]), r);
    } else if (n.endsWith("_" + SlotNames.FUSION_QUERY_W) || n.endsWith("_" + SlotNames.FUSION_KEY_W)) {
      gaussian(a, 0.02, r); // as AdapterHub's fusion layers; value starts at the identity (fv = 0)
    } else if (n.equals(SlotNames.HEAD_W)) {
      gaussian(a, 0.02, r);
    } else if (n.equals(SlotNames.GATES)) {
      Arrays.fill(a, spec.sparsity().initLogit());
    } else if (n.equals(SlotNames.CHANS)) {
      Arrays.fill(a, 3f);
    }
    return a;
  }

  private static void gaussian(float[] a, double std, SplittableRandom r) {
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (std * TrainingSession.gaussian(r));
    }
  }

  /**
   * Runs {@code count} training steps starting at {@code firstStep} with no evaluation or
   * checkpoints, and returns the padded tokens processed (benchmarks).
   */
  public long trainSteps(int firstStep, int count) {
    long tokens = 0;
    for (int s = firstStep; s < firstStep + count; s++) {
      tokens += trainStep(s).paddedTokens;
    }
    return tokens;
  }

  /** Trains (resuming from a checkpoint if one exists) and returns the best evaluation's results. */
  public TrainResult run() {
    TrainState st = new TrainState();
    if (checkpointDir != null) {
      CheckpointFile.resumable(checkpointDir).ifPresent(f -> loadCheckpoint(f, st));
    }
    long t0 = System.nanoTime();
    double emaLoss = Double.NaN;
    int step = st.step;
    StopRule.Stop stopped = null;
    for (; step < spec.steps(); step++) {
      long s0 = System.nanoTime();
      StepOut out = trainStep(step);
      settler.afterStep(step + 1);
      rebuildIfSettled(step + 1);
      double secs = (System.nanoTime() - s0) / 1e9;
      st.trainSeconds += secs;
      st.tokens += out.paddedTokens;
      st.realTokens += out.realTokens;
      emaLoss = Double.isNaN(emaLoss) ? out.loss : 0.9 * emaLoss + 0.1 * out.loss;
      if ((step + 1) % spec.logEvery() == 0 || step == 0) {
        double tps = st.tokens / Math.max(1e-9, st.trainSeconds);
        double eta = (spec.steps() - step - 1) * (st.trainSeconds / Math.max(1, step + 1 - st.resumedAt));
        listener.onStep(new TrainListener.StepInfo(step + 1, spec.steps(), out.task, emaLoss, out.penalty, out.lambda,
            out.lr, out.gateMass, out.active, layout.size(), tps, eta));
      }
      boolean last = step == spec.steps() - 1;
      if ((spec.evalEvery() > 0 && (step + 1) % spec.evalEvery() == 0) || last || settler.isDeadline(step + 1)) {
        // once settled, the model trained is the discrete one: evaluate (and choose the best step on) that
        Evaluator.Evaluation ev = evaluator.all(tasks,
            settler.eligibleForBest(step + 1) && settler.active() ? EvalControls.discretized() : EvalControls.search(),
            TrainTask::selection);
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        for (TaskResult tr : ev.results()) {
          metrics.put(tr.task(), tr.metrics());
        }
        st.evalTokensPerSec = ev.tokensPerSec();
        double score = score(metrics);
        boolean best = settler.eligibleForBest(step + 1) && st.offer(step + 1, score, ev.results(), params::snapshot);
        TrainListener.EvalInfo info = evalInfo(st, step + 1, metrics, score, best, ev.results());
        st.history.add(info);
        listener.onEval(info);
        stopped = step + 1 < spec.steps() ? stopRule.after(info).orElse(null) : null;
        if (stopped != null || st.patienceExhausted(spec.patience())) {
          step++;
          break;
        }
      }
      if (checkpointDir != null && spec.checkpointEvery() > 0 && (step + 1) % spec.checkpointEvery() == 0) {
        st.step = step + 1;
        saveCheckpoint(st);
      }
      if (haltAfter >= 0 && step + 1 >= haltAfter) {
        return null;
      }
    }
    if (checkpointDir != null && st.step != step && step == spec.steps()) {
      st.step = step;
      saveCheckpoint(st);
    }
    if (st.best != null) {
      params.restore(st.best);
    }
    EvalControls searchControls = settler.active() ? EvalControls.discretized() : EvalControls.search();
    // the reported model is the discretized one (what active parameters count and the export serves);
    // a settled run's best evaluation already evaluated it
    boolean rediscretize = learnsStructure() && !settler.active();
    List<TaskResult> searchSelected = st.bestResults;
    double evalTps = st.evalTokensPerSec;
    if (searchSelected == null) {
      // the best evaluation happened before a resume: evaluate the restored best parameters again
      Evaluator.Evaluation ev = evaluator.all(tasks, searchControls, TrainTask::selection);
      searchSelected = ev.results();
      evalTps = ev.tokensPerSec();
    }
    List<TaskResult> servedSelected = searchSelected;
    if (rediscretize) {
      Evaluator.Evaluation ev = evaluator.all(tasks, EvalControls.discretized(), TrainTask::selection);
      servedSelected = ev.results();
      evalTps = ev.tokensPerSec();
    }
    List<TaskResult> search = searchSelected;
    List<TaskResult> results = servedSelected;
    List<TaskResult> validation = List.of();
    if (selectionSplit.equals(TrainTask.VALIDATION)) {
      // chosen on validation: the official dev set is evaluated now, once, on the chosen parameters
      validation = servedSelected;
      Evaluator.Evaluation ev = evaluator.all(tasks, searchControls);
      search = ev.results();
      results = search;
      evalTps = ev.tokensPerSec();
      if (rediscretize) {
        ev = evaluator.all(tasks, EvalControls.discretized());
        results = ev.results();
        evalTps = ev.tokensPerSec();
      }
    }
    double tps = st.tokens / Math.max(1e-9, st.trainSeconds);
    return new TrainResult(spec, backbone.name(), results, params.count(), backbone.config().parameterCount(),
        step, st.bestStep, tps, st.realTokens / Math.max(1e-9, st.trainSeconds), st.trainSeconds, evalTps,
        List.copyOf(st.history), search, settledAt(), selectionSplit, validation, stopped);
  }

  /**
   * The record of one evaluation: its metrics, and each task's discrete structure with its flips
   * against the previous evaluation (the first compares with the initial parameters' structure).
   */
  private TrainListener.EvalInfo evalInfo(TrainState st, int step, Map<String, Map<String, Double>> metrics, double score,
      boolean best, List<TaskResult> results) {
    Map<String, List<String>> structure = new LinkedHashMap<>();
    Map<String, Integer> flips = new LinkedHashMap<>();
    for (TaskResult tr : results) {
      List<String> kept = DiscreteStructure.kept(tr.structure());
      List<String> before = st.history.isEmpty() ? initialStructure.get(tr.task())
          : st.history.get(st.history.size() - 1).structure().get(tr.task());
      structure.put(tr.task(), kept);
      flips.put(tr.task(), DiscreteStructure.flips(before == null ? List.of() : before, kept));
    }
    return new TrainListener.EvalInfo(step, selectionSplit, metrics, score, best, structure, flips);
  }

  private double score(Map<String, Map<String, Double>> metrics) {
    double s = 0;
    for (Map<String, Double> m : metrics.values()) {
      s += m.values().iterator().next();
    }
    return s / metrics.size();
  }

  private record StepOut(String task, double loss, double penalty, double lambda, double lr, double gateMass, int active,
      long paddedTokens, long realTokens) {}

  private int sampleTask(SplittableRandom r) {
    double u = r.nextDouble();
    double c = 0;
    for (int i = 0; i < taskWeights.length; i++) {
      c += taskWeights[i];
      if (u < c) {
        return i;
      }
    }
    return taskWeights.length - 1;
  }

  private SplittableRandom stepRandom(int step) {
    return new SplittableRandom(spec.seed() * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L + 7);
  }

  private StepOut trainStep(int step) {
    return trainStep(step, spec.steps(), false);
  }

  /** Seeds of re-training steps are disjoint from search steps. */
  private static final int RETRAIN_STEP_OFFSET = 1 << 24;

  /**
   * One optimizer step. {@code discrete}: the discretized structure is fixed (closed modules masked,
   * argmax activations, removed channels, deterministic gates, λ = 0) and structure logits do not move.
   */
  private StepOut trainStep(int step, int total, boolean discrete) {
    SplittableRandom r = stepRandom(discrete ? RETRAIN_STEP_OFFSET + step : step);
    TrainTask task = tasks.get(sampleTask(r));
    List<LabeledExample> batch = iterators.get(task.name()).next();
    SparsityControl sp = spec.sparsity();
    GateFamily family = sp.family();
    float lambda;
    GateControls c;
    if (discrete) {
      lambda = 0f;
      c = discretizer.controls(task.name(), true, spec.trainNoise(), r);
    } else {
      float tau = sp.temperatureAt(step, spec.steps());
      lambda = family.usesLambda() ? sp.lambdaAt(step) : 0f;
      float[] noise = new float[layout.size()];
      if (family.samplesNoise()) {
        for (int i = 0; i < noise.length; i++) {
          noise[i] = (float) GateMath.logisticNoise(r.nextDouble());
        }
      }
      c = settler.searchControls(task.name(), noise, family.trainTemperature(tau), discretizer.shift(task.name(), tau),
          lambda, spec.trainNoise(), r);
    }
    TrainingSession.StepOutputs out = session.step(task, batch, c, liveSlots(task.name(), c, discrete));
    double lrMul = spec.optimizer().schedule(step, total);
    optimizer.step(params, task.name(), g.slots(), out.grads(), lrMul, discrete,
        discrete ? null : s -> settler.frozen(s, task.name()));
    int active = 0;
    double mass = 0;
    for (float v : out.gates()) {
      mass += v;
      active += v >= sp.threshold() ? 1 : 0;
    }
    return new StepOut(task.name(), out.loss(), out.penalty(), lambda, spec.optimizer().lr() * lrMul,
        out.gates().length == 0 ? 0 : mass / out.gates().length, layout.size() == 0 ? 0 : active, out.paddedTokens(),
        batch.stream().mapToLong(e -> e.tokens().length()).sum());
  }

  /**
   * How gates and activations are set at evaluation.
   *
   * @param discrete apply the discretized structure: gates below threshold closed, activation argmax
   * @param noiseSigma representation noise σ (needs a graph built with a noise site)
   * @param noiseSeed seed of that noise
   */
  public record EvalControls(boolean discrete, float noiseSigma, long noiseSeed) {
    public static EvalControls search() {
      return new EvalControls(false, 0f, 0L);
    }

    public static EvalControls discretized() {
      return new EvalControls(true, 0f, 0L);
    }
  }

  /** Evaluates {@code task}'s head and structure on {@code examples}. */
  public TaskResult evaluate(TrainTask task, List<LabeledExample> examples, EvalControls ec) {
    return evaluator.evaluate(task, examples, ec);
  }

  /**
   * Raw head outputs for {@code examples} (one row per example, in order): the task's logits, or
   * the regression score in column 0.
   */
  public float[][] outputs(TrainTask task, List<LabeledExample> examples, EvalControls ec) {
    return evaluator.outputs(task, examples, ec);
  }

  /**
   * Short re-training of the discretized structure, after {@link #run()}: closed modules stay
   * closed, each bottleneck keeps its argmax activation, removed channels stay removed, gates are
   * deterministic and every structure logit is frozen (λ = 0), so only adapter, BitFit and head
   * weights move, for {@code steps} steps with their own warm-up and decay. Returns
   * {@code searched} with every task evaluated on the discretized structure (the form the export
   * serves) and the extra steps, tokens and time added.
   */
  public TrainResult retrainDiscrete(TrainResult searched, int steps) {
    long tokens = 0;
    long realTokens = 0;
    double secs = 0;
    double emaLoss = Double.NaN;
    for (int s = 0; s < steps; s++) {
      long t0 = System.nanoTime();
      StepOut out = trainStep(s, steps, true);
      secs += (System.nanoTime() - t0) / 1e9;
      tokens += out.paddedTokens;
      realTokens += out.realTokens;
      emaLoss = Double.isNaN(emaLoss) ? out.loss : 0.9 * emaLoss + 0.1 * out.loss;
      if ((s + 1) % spec.logEvery() == 0 || s == steps - 1) {
        listener.onStep(new TrainListener.StepInfo(s + 1, steps, out.task, emaLoss, 0, 0, out.lr, out.gateMass,
            out.active, layout.size(), tokens / Math.max(1e-9, secs), (steps - s - 1) * secs / (s + 1)));
      }
    }
    List<TaskResult> validation = selectionSplit.equals(TrainTask.VALIDATION)
        ? evaluator.all(tasks, EvalControls.discretized(), TrainTask::selection).results() : List.of();
    Evaluator.Evaluation ev = evaluator.all(tasks, EvalControls.discretized());
    double searchTokens = searched.trainTokensPerSec() * searched.trainSeconds();
    double allSecs = searched.trainSeconds() + secs;
    return new TrainResult(spec, backbone.name(), ev.results(), searched.trainableParams(), searched.backboneParams(),
        searched.stepsRun() + steps, searched.bestStep(), (searchTokens + tokens) / Math.max(1e-9, allSecs),
        (searched.trainRealTokensPerSec() * searched.trainSeconds() + realTokens) / Math.max(1e-9, allSecs), allSecs,
        ev.tokensPerSec(), searched.history(), searched.searchTasks(), searched.settledAt(), selectionSplit, validation,
        searched.stoppedEarly());
  }

  /**
   * Which slots move in a step under {@code c}: not the weights of a module that is closed for this
   * step (masked with no fixed gate: it adds nothing, so its gradient is zero), and no structure
   * logits in discrete re-training or once the settle phase froze all of a slot's elements. Their
   * gradients are not computed at all, so the backward pass ends at the lowest open module.
   */
  private boolean[] liveSlots(String task, GateControls c, boolean discrete) {
    List<Slot> slots = g.slots();
    boolean[] live = new boolean[slots.size()];
    for (int i = 0; i < live.length; i++) {
      Slot s = slots.get(i);
      ModuleLayout.Module m = g.moduleOf(s);
      if (g.gradientIndex(s) < 0) {
        live[i] = false;
      } else if (m != null) {
        int k = m.index();
        live[i] = c.gateMask()[k] != 0f || (c.gateFixed() != null && c.gateFixed()[k] != 0f);
      } else if (s.group() == Slot.Group.STRUCTURE) {
        live[i] = !discrete && !settler.fullyFrozen(s, task);
      } else {
        live[i] = true;
      }
    }
    return live;
  }

  /** Per task, the search step after which its whole structure was committed (-1: not settled). */
  private Map<String, Integer> settledAt() {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (String t : taskNames) {
      m.put(t, settler.settledAt(t));
    }
    return m;
  }

  /** Whether gates are learned (so that discretizing, and {@link #retrainDiscrete}, can change the model). */
  public boolean learnsStructure() {
    return spec.sparsity().family().learnsGates() && layout.size() > 0;
  }

  /**
   * The current structure of {@code task} (see {@link Discretizer#structure}): gate values at
   * evaluation, activations, widths, and which modules the discrete model keeps.
   */
  public List<ModuleGate> structure(String task) {
    return discretizer.structure(task);
  }

  /**
   * Channel gate values per bottleneck module for {@code task} at evaluation: the soft value for
   * kept channels and 0 for removed ones; all 1 when channel gates are off.
   */
  public float[][] channelGates(String task) {
    return discretizer.channelGates(task);
  }

  /** The gate temperature used at evaluation (the end of the annealing schedule). */
  public float evalTemperature() {
    return discretizer.evalTemperature();
  }

  /**
   * Takes over the trained state of {@code trained}, a trainer of the same spec and tasks (e.g. one
   * built with another noise site): its parameters and the settle phase's commitments, which decide
   * how committed modules are evaluated, so every evaluation here equals the same one there.
   */
  public Trainer adopt(Trainer trained) {
    if (!trained.taskNames.equals(taskNames) || !trained.layout.modules().equals(layout.modules())) {
      throw new IllegalArgumentException("a trainer adopts the state of a trainer of the same module pool and tasks: "
          + trained.layout.size() + " modules for " + trained.taskNames + " here " + layout.size() + " for " + taskNames);
    }
    params.restore(trained.params.snapshot());
    settler.copyFrom(trained.settler);
    return this;
  }

  /** The live value of a trainable tensor: per-task slots by task, shared slots ignore {@code task}. */
  public float[] value(String slotName, String task) {
    Slot s = g.slots().stream().filter(x -> x.name().equals(slotName)).findFirst().orElse(null);
    if (s == null) {
      throw new IllegalArgumentException("no trainable tensor " + slotName);
    }
    return params.value(s, task);
  }

  /** The shape of a trainable tensor. */
  public int[] slotShape(String slotName) {
    return g.slots().stream().filter(x -> x.name().equals(slotName)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no trainable tensor " + slotName)).shape();
  }

  /** The backbone this trainer adapts. */
  public Backbone backbone() {
    return backbone;
  }

  /** The tasks, in order. */
  public List<TrainTask> tasks() {
    return tasks;
  }

  public ModuleLayout layout() {
    return layout;
  }

  public ParamStore params() {
    return params;
  }

  public TrainSpec spec() {
    return spec;
  }

  private Path checkpointFile() {
    return checkpointDir.resolve(CheckpointFile.NAME);
  }

  private String fingerprint() {
    return CheckpointFile.fingerprint(spec, backbone, tasks);
  }

  private void saveCheckpoint(TrainState st) {
    CheckpointFile.write(checkpointDir, fingerprint(), st, taskNames, iterators, params, settler, g.plan());
    listener.onCheckpoint(st.step, checkpointFile());
  }

  private void loadCheckpoint(Path file, TrainState st) {
    GraphPlan plan = CheckpointFile.read(file, fingerprint(), selectionSplit, st, taskNames, iterators, params, settler,
        GraphPlan.full(layout));
    if (rebuildSettled) {
      // the graph the run had when it wrote the checkpoint, so the resumed steps compute exactly what it would have
      rebuild(st.step, plan);
    }
  }

  @Override
  public void close() {
    session.close();
    g.graph().close();
    if (layerCache != null) {
      layerCache.close();
    }
  }
}
