package io.slaft.model.train;

import io.slaft.model.adapters.Activation;
import io.slaft.model.adapters.BudgetSolver;
import io.slaft.model.adapters.GateFamily;
import io.slaft.model.adapters.GateMath;
import io.slaft.model.adapters.ModuleLayout.Module;
import io.slaft.model.adapters.ModuleLayout;
import io.slaft.model.adapters.SparsityControl;
import io.slaft.model.backbone.Backbone;
import io.slaft.model.eval.GlueMetrics;
import io.slaft.model.runtime.TfRuntime;
import io.slaft.model.tokenize.Encoded;
import io.slaft.model.tokenize.TokenBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Trains gated adapters on a frozen backbone: one shared module pool, per-task structure logits
 * and heads, task sampling ∝ size^(1/T), AdamW with warm-up and linear decay, gradient clipping,
 * periodic dev evaluation with early stopping (best parameters kept), and checkpoints from which
 * a killed run resumes to the same result as an uninterrupted one.
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
  private final TrainingGraph g;
  private final Session session;
  private final ParamStore params;
  private final AdamW optimizer;
  private final Map<String, BatchIterator> iterators = new LinkedHashMap<>();
  private final double[] taskWeights;
  private final List<String> taskNames;
  private Path checkpointDir;
  private TrainListener listener = TrainListener.NONE;
  private int haltAfter = -1;
  private long evalTokens;

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
    this.layout = new ModuleLayout(spec.space(), backbone.config());
    int maxOut = tasks.stream().mapToInt(TrainTask::outputs).max().orElse(2);
    NoiseSite site = spec.noiseSite() != NoiseSite.NONE ? spec.noiseSite() : evalNoise;
    this.g = new TrainingGraph(backbone.weights(), layout, spec.sparsity(), Math.max(2, maxOut), backbone.pooling(), site);
    this.session = TfRuntime.newSession(g.graph());
    this.params = ParamStore.init(g.slots(), taskNames, this::initial, spec.seed());
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

  /** Stops abruptly after this step, as a crash would (tests of resume); {@link #run()} then returns null. */
  public Trainer haltAfter(int step) {
    this.haltAfter = step;
    return this;
  }

  private float[] initial(Slot s, String task, SplittableRandom r) {
    String n = s.name();
    float[] pretrained = g.backboneInit().get(n);
    if (pretrained != null) {
      return pretrained.clone();
    }
    float[] a = new float[s.size()];
    float std = spec.space().initScale();
    if (n.endsWith("_dw") || n.endsWith("_aq") || n.endsWith("_av")) {
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) (std * gaussian(r));
      }
    } else if (n.equals("head_w")) {
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) (0.02 * gaussian(r));
      }
    } else if (n.equals("gates")) {
      Arrays.fill(a, spec.sparsity().initLogit());
    } else if (n.equals("chans")) {
      Arrays.fill(a, 3f);
    }
    return a;
  }

  private static double gaussian(SplittableRandom r) {
    double u1 = r.nextDouble();
    double u2 = r.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
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
    if (checkpointDir != null && Files.isRegularFile(checkpointFile())) {
      loadCheckpoint(st);
    }
    long t0 = System.nanoTime();
    double emaLoss = Double.NaN;
    int step = st.step;
    for (; step < spec.steps(); step++) {
      long s0 = System.nanoTime();
      StepOut out = trainStep(step);
      double secs = (System.nanoTime() - s0) / 1e9;
      st.trainSeconds += secs;
      st.tokens += out.paddedTokens;
      emaLoss = Double.isNaN(emaLoss) ? out.loss : 0.9 * emaLoss + 0.1 * out.loss;
      if ((step + 1) % spec.logEvery() == 0 || step == 0) {
        double tps = st.tokens / Math.max(1e-9, st.trainSeconds);
        double eta = (spec.steps() - step - 1) * (st.trainSeconds / Math.max(1, step + 1 - st.resumedAt));
        listener.onStep(new TrainListener.StepInfo(step + 1, spec.steps(), out.task, emaLoss, out.penalty, out.lambda,
            out.lr, out.gateMass, out.active, layout.size(), tps, eta));
      }
      boolean last = step == spec.steps() - 1;
      if ((spec.evalEvery() > 0 && (step + 1) % spec.evalEvery() == 0) || last) {
        Evaluation ev = evaluateAll(EvalControls.search());
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        for (TaskResult tr : ev.results()) {
          metrics.put(tr.task(), tr.metrics());
        }
        st.evalTokensPerSec = ev.tokensPerSec();
        double score = score(metrics);
        boolean best = st.offer(step + 1, score, ev.results(), params::snapshot);
        TrainListener.EvalInfo info = new TrainListener.EvalInfo(step + 1, metrics, score, best);
        st.history.add(info);
        listener.onEval(info);
        if (st.patienceExhausted(spec.patience())) {
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
    List<TaskResult> search = st.bestResults;
    if (search == null) {
      // the best evaluation happened before a resume: evaluate the restored best parameters again
      Evaluation ev = evaluateAll(EvalControls.search());
      search = ev.results();
      st.evalTokensPerSec = ev.tokensPerSec();
    }
    List<TaskResult> results = search;
    double evalTps = st.evalTokensPerSec;
    if (learnsStructure()) {
      // the reported model is the discretized one (what active parameters count and the export serves)
      Evaluation ev = evaluateAll(EvalControls.discretized());
      results = ev.results();
      evalTps = ev.tokensPerSec();
    }
    double tps = st.tokens / Math.max(1e-9, st.trainSeconds);
    return new TrainResult(spec, backbone.name(), results, params.count(), backbone.config().parameterCount(),
        step, st.bestStep, tps, st.trainSeconds, evalTps, List.copyOf(st.history), search);
  }

  private double score(Map<String, Map<String, Double>> metrics) {
    double s = 0;
    for (Map<String, Double> m : metrics.values()) {
      s += m.values().iterator().next();
    }
    return s / metrics.size();
  }

  private record StepOut(String task, double loss, double penalty, double lambda, double lr, double gateMass, int active,
      long paddedTokens) {}

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
    float lambda;
    Controls c;
    if (discrete) {
      lambda = 0f;
      c = controls(task.name(), true, spec.trainNoise(), r);
    } else {
      float tau = sp.temperatureAt(step, spec.steps());
      lambda = sp.family().usesLambda() ? sp.lambdaAt(step) : 0f;
      float[] noise = new float[layout.size()];
      float gateTemp = tau;
      if (sp.family() == GateFamily.HARD_CONCRETE) {
        for (int i = 0; i < noise.length; i++) {
          noise[i] = (float) GateMath.logisticNoise(r.nextDouble());
        }
        gateTemp = (float) SparsityControl.HC_BETA;
      }
      c = new Controls(noise, gateTemp, shift(task.name(), tau), ones(layout.size()), 0f, null, lambda,
          spec.trainNoise(), r, null);
    }
    List<Tensor> feeds = new ArrayList<>();
    try {
      Session.Runner run = session.runner();
      TokenBatch tb = feedBatch(run, feeds, task, batch, c);
      Operand<TFloat32> loss = task.isRegression() ? g.mseLoss : g.ceLoss;
      run.fetch(loss).fetch(g.penalty).fetch(g.gates);
      var grads = task.isRegression() ? g.mseGrads : g.ceGrads;
      List<Slot> slots = g.slots();
      for (int i = 0; i < slots.size(); i++) {
        run.fetch(grads.dy(i));
      }
      try (Result res = run.run()) {
        double l = ((TFloat32) res.get(0)).getFloat();
        double pen = ((TFloat32) res.get(1)).getFloat();
        float[] z = read((TFloat32) res.get(2));
        float[][] gr = new float[slots.size()][];
        for (int i = 0; i < slots.size(); i++) {
          gr[i] = read((TFloat32) res.get(3 + i));
        }
        double lrMul = spec.optimizer().schedule(step, total);
        optimizer.step(params, task.name(), slots, gr, lrMul, discrete);
        int active = 0;
        double mass = 0;
        for (float v : z) {
          mass += v;
          active += v >= sp.threshold() ? 1 : 0;
        }
        return new StepOut(task.name(), l, pen, lambda, spec.optimizer().lr() * lrMul,
            z.length == 0 ? 0 : mass / z.length, layout.size() == 0 ? 0 : active, tb.paddedTokens());
      }
    } finally {
      feeds.forEach(Tensor::close);
    }
  }

  private float shift(String task, float tau) {
    if (spec.sparsity().family() != GateFamily.BUDGET || layout.size() == 0) {
      return 0f;
    }
    float[] alpha = params.value(slot("gates"), task);
    double budget = spec.sparsity().budget() * backbone.config().parameterCount();
    return (float) BudgetSolver.solve(alpha, layout.sizes(), budget, tau);
  }

  private Slot slot(String name) {
    for (Slot s : g.slots()) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    return null;
  }

  private static float[] ones(int n) {
    float[] a = new float[n];
    Arrays.fill(a, 1f);
    return a;
  }

  /** Gate controls fed with a batch. */
  private record Controls(float[] noise, float gateTemp, float shift, float[] gateMask, float actHard,
      float[] actHardWeights, float lambda, float reprNoise, SplittableRandom random, float[] chanMask) {}

  private TokenBatch feedBatch(Session.Runner run, List<Tensor> feeds, TrainTask task, List<LabeledExample> batch,
      Controls c) {
    List<Encoded> enc = new ArrayList<>(batch.size());
    int[] labels = new int[batch.size()];
    float[] scores = new float[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      LabeledExample e = batch.get(i);
      enc.add(e.tokens());
      labels[i] = Math.max(0, e.label());
      scores[i] = e.score();
    }
    TokenBatch tb = TokenBatch.pad(enc, backbone.padId());
    Shape bs = Shape.of(tb.batch(), tb.length());
    run.feed(g.encoder().ids(), track(feeds, TInt32.tensorOf(bs, DataBuffers.of(tb.ids(), true, false))));
    run.feed(g.encoder().typeIds(), track(feeds, TInt32.tensorOf(bs, DataBuffers.of(tb.typeIds(), true, false))));
    run.feed(g.encoder().mask(), track(feeds, TInt32.tensorOf(bs, DataBuffers.of(tb.mask(), true, false))));
    run.feed(g.labels, track(feeds, TInt32.tensorOf(Shape.of(labels.length), DataBuffers.of(labels, true, false))));
    run.feed(g.scores, track(feeds, vec(scores)));
    int m = layout.size();
    int mb = layout.bottleneckCount();
    int acts = spec.space().activations().size();
    run.feed(g.gateNoise, track(feeds, vec(c.noise())));
    run.feed(g.gateTemp, track(feeds, TFloat32.scalarOf(c.gateTemp())));
    run.feed(g.gateShift, track(feeds, TFloat32.scalarOf(c.shift())));
    run.feed(g.gateMask, track(feeds, vec(c.gateMask())));
    float[] hard = c.actHardWeights() != null ? c.actHardWeights() : new float[mb * acts];
    run.feed(g.actHardWeights, track(feeds, TFloat32.tensorOf(Shape.of(mb, acts), DataBuffers.of(hard, true, false))));
    run.feed(g.actHard, track(feeds, TFloat32.scalarOf(c.actHard())));
    float[] chan = c.chanMask() != null ? c.chanMask() : ones(mb * spec.space().bottleneck());
    run.feed(g.chanMask, track(feeds, TFloat32.tensorOf(Shape.of(mb, spec.space().bottleneck()), DataBuffers.of(chan, true, false))));
    run.feed(g.lambda, track(feeds, TFloat32.scalarOf(c.lambda())));
    float[] cb = new float[g.maxOutputs()];
    for (int k = task.outputs(); k < cb.length; k++) {
      cb[k] = -1e9f;
    }
    run.feed(g.classBias, track(feeds, vec(cb)));
    if (g.noiseSite() != NoiseSite.NONE) {
      int h = backbone.config().hidden();
      int n = tb.batch() * tb.length();
      run.feed(g.noiseSigma, track(feeds, TFloat32.scalarOf(c.reprNoise())));
      run.feed(g.noise, track(feeds, gaussianTensor(n, h, c.reprNoise(), c.random())));
      for (var p : g.layerNoise) {
        run.feed(p, track(feeds, gaussianTensor(n, h, c.reprNoise(), c.random())));
      }
    }
    for (Slot s : g.slots()) {
      float[] v = params.value(s, task.name());
      long[] dims = Arrays.stream(s.shape()).asLongStream().toArray();
      run.feed(g.slotInput(s.name()), track(feeds, TFloat32.tensorOf(Shape.of(dims), DataBuffers.of(v, true, false))));
    }
    return tb;
  }

  private static TFloat32 gaussianTensor(int n, int h, float sigma, SplittableRandom r) {
    float[] a = new float[n * h];
    if (sigma > 0) {
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) gaussian(r);
      }
    }
    return TFloat32.tensorOf(Shape.of(n, h), DataBuffers.of(a, true, false));
  }

  private static <T extends Tensor> T track(List<Tensor> feeds, T t) {
    feeds.add(t);
    return t;
  }

  private static TFloat32 vec(float[] a) {
    return TFloat32.tensorOf(Shape.of(a.length), DataBuffers.of(a, true, false));
  }

  private static float[] read(TFloat32 t) {
    float[] a = new float[(int) t.size()];
    t.copyTo(DataBuffers.of(a, false, false));
    return a;
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
    List<ModuleGate> structure = structure(task.name());
    float[][] out = outputs(task, examples, ec);
    float[] preds = new float[examples.size()];
    for (int i = 0; i < preds.length; i++) {
      if (task.isRegression()) {
        preds[i] = out[i][0];
      } else {
        int arg = 0;
        for (int k = 1; k < task.numLabels(); k++) {
          if (out[i][k] > out[i][arg]) {
            arg = k;
          }
        }
        preds[i] = arg;
      }
    }
    Map<String, Double> metrics;
    if (task.isRegression()) {
      float[] gold = new float[examples.size()];
      for (int i = 0; i < gold.length; i++) {
        gold[i] = examples.get(i).score();
      }
      metrics = GlueMetrics.regression(preds, gold);
    } else {
      int[] p = new int[preds.length];
      int[] gold = new int[preds.length];
      for (int i = 0; i < p.length; i++) {
        p[i] = (int) preds[i];
        gold[i] = examples.get(i).label();
      }
      metrics = GlueMetrics.classification(task.metric(), p, gold);
    }
    return new TaskResult(task.name(), metrics, structure, activeParams(task, structure), preds);
  }

  /**
   * Raw head outputs for {@code examples} (one row per example, in order): the task's logits, or
   * the regression score in column 0.
   */
  public float[][] outputs(TrainTask task, List<LabeledExample> examples, EvalControls ec) {
    Controls c = controls(task.name(), ec.discrete(), ec.noiseSigma(), new SplittableRandom(ec.noiseSeed()));
    if (ec.noiseSigma() > 0 && g.noiseSite() == NoiseSite.NONE) {
      throw new IllegalStateException("representation noise needs a trainer created with createWithNoise");
    }
    return batchedOutputs(task, examples, c);
  }

  /**
   * Gate controls of evaluation (and of discrete re-training): deterministic gates at the end
   * temperature; {@code discrete} also closes modules below the threshold, fixes each bottleneck's
   * argmax activation and removes channels below the threshold.
   */
  private Controls controls(String task, boolean discrete, float reprNoise, SplittableRandom random) {
    float[] mask = ones(layout.size());
    float[] hard = null;
    if (discrete) {
      List<ModuleGate> structure = structure(task);
      int acts = spec.space().activations().size();
      hard = new float[layout.bottleneckCount() * acts];
      for (Module m : layout.modules()) {
        ModuleGate mg = structure.get(m.index());
        mask[m.index()] = mg.active() ? 1f : 0f;
        if (m.bottleneckIndex() >= 0) {
          int k = spec.space().activations().indexOf(Activation.byId(mg.activation()));
          hard[m.bottleneckIndex() * acts + k] = 1f;
        }
      }
    }
    float tau = evalTemperature();
    float gateTemp = spec.sparsity().family() == GateFamily.HARD_CONCRETE ? 1f : tau;
    float[] chanMask = null;
    if (discrete) {
      float[][] cg = channelGates(task);
      chanMask = new float[layout.bottleneckCount() * spec.space().bottleneck()];
      for (int b = 0; b < cg.length; b++) {
        for (int k = 0; k < cg[b].length; k++) {
          chanMask[b * cg[b].length + k] = cg[b][k] > 0 ? 1f : 0f;
        }
      }
    }
    // Kept modules served fully on (GateFamily.servesKeptModulesFullyOn, the budget family): a shift
    // of -inf makes every gate exactly 1 before the mask closes the others.
    float shift = discrete && spec.sparsity().family().servesKeptModulesFullyOn() ? Float.NEGATIVE_INFINITY
        : shift(task, tau);
    return new Controls(new float[layout.size()], gateTemp, shift, mask, discrete ? 1f : 0f, hard, 0f,
        reprNoise, random, chanMask);
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
    double secs = 0;
    double emaLoss = Double.NaN;
    for (int s = 0; s < steps; s++) {
      long t0 = System.nanoTime();
      StepOut out = trainStep(s, steps, true);
      secs += (System.nanoTime() - t0) / 1e9;
      tokens += out.paddedTokens;
      emaLoss = Double.isNaN(emaLoss) ? out.loss : 0.9 * emaLoss + 0.1 * out.loss;
      if ((s + 1) % spec.logEvery() == 0 || s == steps - 1) {
        listener.onStep(new TrainListener.StepInfo(s + 1, steps, out.task, emaLoss, 0, 0, out.lr, out.gateMass,
            out.active, layout.size(), tokens / Math.max(1e-9, secs), (steps - s - 1) * secs / (s + 1)));
      }
    }
    Evaluation ev = evaluateAll(EvalControls.discretized());
    double searchTokens = searched.trainTokensPerSec() * searched.trainSeconds();
    double allSecs = searched.trainSeconds() + secs;
    return new TrainResult(spec, backbone.name(), ev.results(), searched.trainableParams(), searched.backboneParams(),
        searched.stepsRun() + steps, searched.bestStep(), (searchTokens + tokens) / Math.max(1e-9, allSecs), allSecs,
        ev.tokensPerSec(), searched.history(), searched.searchTasks());
  }

  /** Whether gates are learned (so that discretizing, and {@link #retrainDiscrete}, can change the model). */
  public boolean learnsStructure() {
    return spec.sparsity().family() != GateFamily.FIXED && layout.size() > 0;
  }

  /** Every task's dev evaluation and its throughput in padded tokens per second. */
  private record Evaluation(List<TaskResult> results, double tokensPerSec) {}

  private Evaluation evaluateAll(EvalControls ec) {
    List<TaskResult> results = new ArrayList<>();
    long tokens0 = evalTokens;
    long t0 = System.nanoTime();
    for (TrainTask t : tasks) {
      results.add(evaluate(t, t.dev(), ec));
    }
    return new Evaluation(results, (evalTokens - tokens0) / Math.max(1e-9, (System.nanoTime() - t0) / 1e9));
  }

  private float[][] batchedOutputs(TrainTask task, List<LabeledExample> examples, Controls c) {
    Integer[] order = new Integer[examples.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Integer.compare(examples.get(a).tokens().length(), examples.get(b).tokens().length()));
    float[][] rows = new float[examples.size()][];
    int bs = spec.evalBatchSize();
    int width = g.maxOutputs();
    for (int start = 0; start < order.length; start += bs) {
      List<LabeledExample> batch = new ArrayList<>();
      for (int i = start; i < Math.min(order.length, start + bs); i++) {
        batch.add(examples.get(order[i]));
      }
      List<Tensor> feeds = new ArrayList<>();
      try {
        Session.Runner run = session.runner();
        evalTokens += feedBatch(run, feeds, task, batch, c).paddedTokens();
        run.fetch(g.logits);
        try (Result res = run.run()) {
          float[] out = read((TFloat32) res.get(0));
          for (int i = 0; i < batch.size(); i++) {
            rows[order[start + i]] = Arrays.copyOfRange(out, i * width, i * width + task.outputs());
          }
        }
      } finally {
        feeds.forEach(Tensor::close);
      }
    }
    return rows;
  }

  /**
   * The current structure of {@code task}: gate values at evaluation, activations, widths. A
   * module is active when its gate reaches the threshold; for the budget family, when it is among
   * the largest gates that fit in the budget. Gate values are those of the search; the discrete model
   * applies {@link ModuleGate#servedGate} to a kept module.
   */
  public List<ModuleGate> structure(String task) {
    SparsityControl sp = spec.sparsity();
    float tau = sp.temperatureAt(spec.steps() - 1, spec.steps());
    Slot gs = slot("gates");
    float[] alpha = gs == null ? null : params.value(gs, task);
    double shift = shift(task, tau);
    Slot as = slot("acts");
    float[] actLogits = as == null ? null : params.value(as, task);
    Slot cs = slot("chans");
    float[] chans = cs == null ? null : params.value(cs, task);
    List<Activation> acts = spec.space().activations();
    double[] gate = new double[layout.size()];
    for (Module m : layout.modules()) {
      gate[m.index()] = switch (sp.family()) {
        case FIXED -> 1.0;
        case SIGMOID -> GateMath.sigmoidGate(alpha[m.index()], tau);
        case HARD_CONCRETE -> GateMath.hardConcrete(alpha[m.index()], 0, 1);
        case BUDGET -> GateMath.budgetGate(alpha[m.index()], shift, tau);
      };
    }
    boolean[] inBudget = sp.family() == GateFamily.BUDGET ? withinBudget(gate) : null;
    List<ModuleGate> out = new ArrayList<>();
    for (Module m : layout.modules()) {
      double z = gate[m.index()];
      boolean active = inBudget != null ? inBudget[m.index()] : z >= sp.threshold();
      String act = null;
      Map<String, Double> weights = new LinkedHashMap<>();
      int width = switch (m.site().kind()) {
        case BOTTLENECK -> spec.space().bottleneck();
        case LORA -> spec.space().loraRank();
        case BIAS -> (int) m.params();
      };
      if (m.bottleneckIndex() >= 0) {
        double[] w = new double[acts.size()];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < w.length; k++) {
          w[k] = actLogits == null ? 0 : actLogits[m.bottleneckIndex() * acts.size() + k] / tau;
          max = Math.max(max, w[k]);
        }
        double sum = 0;
        for (int k = 0; k < w.length; k++) {
          w[k] = Math.exp(w[k] - max);
          sum += w[k];
        }
        int arg = 0;
        for (int k = 0; k < w.length; k++) {
          weights.put(acts.get(k).id(), w[k] / sum);
          if (w[k] > w[arg]) {
            arg = k;
          }
        }
        act = acts.get(arg).id();
        if (chans != null) {
          int kept = 0;
          int r = spec.space().bottleneck();
          for (int k = 0; k < r; k++) {
            kept += GateMath.sigmoidGate(chans[m.bottleneckIndex() * r + k], tau) >= sp.threshold() ? 1 : 0;
          }
          width = kept;
        }
      }
      out.add(new ModuleGate(m.id(), m.layer(), m.site().id(), z, active && width > 0, act, weights, width));
    }
    return out;
  }

  /**
   * Discretization of the budget family: its shift spreads the budget over every module as small
   * gate values, so a threshold would drop them all. Instead the modules with the largest gates
   * are kept, largest first, while their parameters fit in {@code budget × backbone parameters}.
   */
  private boolean[] withinBudget(double[] gate) {
    long[] sizes = layout.sizes();
    Integer[] order = new Integer[gate.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(gate[b], gate[a]));
    double budget = spec.sparsity().budget() * backbone.config().parameterCount();
    boolean[] kept = new boolean[gate.length];
    double used = 0;
    for (int i : order) {
      if (gate[i] > 0 && used + sizes[i] <= budget) {
        kept[i] = true;
        used += sizes[i];
      }
    }
    return kept;
  }

  /**
   * Channel gate values per bottleneck module for {@code task} at evaluation: the soft value
   * {@code sigmoid(c / tau)} for kept channels (at or above the threshold) and 0 for removed ones;
   * all 1 when channel gates are off.
   */
  public float[][] channelGates(String task) {
    int r = spec.space().bottleneck();
    float[][] out = new float[layout.bottleneckCount()][r];
    Slot cs = slot("chans");
    float tau = evalTemperature();
    for (int b = 0; b < out.length; b++) {
      for (int k = 0; k < r; k++) {
        if (cs == null) {
          out[b][k] = 1f;
        } else {
          double v = GateMath.sigmoidGate(params.value(cs, task)[b * r + k], tau);
          out[b][k] = v >= spec.sparsity().threshold() ? (float) v : 0f;
        }
      }
    }
    return out;
  }

  /** The gate temperature used at evaluation (the end of the annealing schedule). */
  public float evalTemperature() {
    return spec.sparsity().temperatureAt(spec.steps() - 1, spec.steps());
  }

  /** The live value of a trainable tensor: per-task slots by task, shared slots ignore {@code task}. */
  public float[] value(String slotName, String task) {
    Slot s = slot(slotName);
    if (s == null) {
      throw new IllegalArgumentException("no trainable tensor " + slotName);
    }
    return params.value(s, task);
  }

  /** The backbone this trainer adapts. */
  public Backbone backbone() {
    return backbone;
  }

  /** The tasks, in order. */
  public List<TrainTask> tasks() {
    return tasks;
  }

  private long activeParams(TrainTask task, List<ModuleGate> structure) {
    int h = backbone.config().hidden();
    long n = (long) h * task.outputs() + task.outputs() + layout.bitfitParams();
    for (Module m : layout.modules()) {
      ModuleGate mg = structure.get(m.index());
      if (!mg.active()) {
        continue;
      }
      n += m.site().isBottleneck() ? (long) mg.width() * (2L * h + 1) + h : m.params();
      n += spec.space().exampleGates() ? h + 1 : 0;
    }
    return n + (spec.space().fullModel() ? backbone.config().parameterCount() : 0);
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
    return CheckpointFile.fingerprint(spec, backbone.name(), tasks);
  }

  private void saveCheckpoint(TrainState st) {
    CheckpointFile.write(checkpointDir, fingerprint(), st, taskNames, iterators, params);
    listener.onCheckpoint(st.step, checkpointFile());
  }

  private void loadCheckpoint(TrainState st) {
    CheckpointFile.read(checkpointFile(), fingerprint(), st, taskNames, iterators, params);
  }

  @Override
  public void close() {
    session.close();
    g.graph().close();
  }
}
