package io.slaft.model.train;

import io.slaft.model.backbone.Backbone;
import io.slaft.model.runtime.TfRuntime;
import io.slaft.model.tokenize.Encoded;
import io.slaft.model.tokenize.TokenBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * The TensorFlow session over a {@link TrainingGraph}, with typed runs: {@link #step} feeds a batch,
 * its {@link GateControls} and every trainable tensor and returns the loss, penalty, gate values
 * and one gradient per slot ({@link StepOutputs}); {@link #logits} returns the head outputs. Every
 * placeholder is fed in one place ({@link #feed}), and fetched values are returned as named fields,
 * not read back by index. Feed tensors are closed after each run. Not thread-safe.
 */
final class TrainingSession implements AutoCloseable {
  private final TrainingGraph g;
  private final Session session;
  private final Backbone backbone;
  private final TrainSpec spec;
  private final ParamStore params;
  /** The output of the layers below the graph's first one, or {@code null} when it computes every layer. */
  private final LayerCache cache;

  /** What a training step fetches: loss, penalty, the gate vector and the gradient of each slot (in slot order; null when not live). */
  record StepOutputs(double loss, double penalty, float[] gates, float[][] grads, long paddedTokens) {}

  /** Head outputs of a batch, {@code [batch, maxOutputs]} row-major, and its padded tokens. */
  record Logits(float[] values, long paddedTokens) {}

  TrainingSession(TrainingGraph g, Backbone backbone, TrainSpec spec, ParamStore params) {
    this(g, backbone, spec, params, null);
  }

  /**
   * A session of {@code g}; {@code cache} gives the output of the layers the graph leaves out
   * ({@link GraphPlan#frozenBelow()}), and must cover them when there are any.
   */
  TrainingSession(TrainingGraph g, Backbone backbone, TrainSpec spec, ParamStore params, LayerCache cache) {
    int below = g.plan().frozenBelow();
    if (below > 0 && (cache == null || cache.layers() != below)) {
      throw new IllegalArgumentException("the graph starts at layer " + below + " but the cache gives "
          + (cache == null ? "nothing" : "layers below " + cache.layers()));
    }
    this.cache = cache;
    this.g = g;
    this.backbone = backbone;
    this.spec = spec;
    this.params = params;
    this.session = TfRuntime.newSession(g.graph());
  }

  /**
   * Runs one training step's forward and backward pass (the loss of the task's kind). Only the
   * gradients of slots with {@code live[i]} are computed (TensorFlow runs just the backward ops they
   * need, so nothing below the lowest live slot); the others are {@code null} in the result. A slot
   * the graph has no gradient for ({@link TrainingGraph#gradientIndex}) must not be live.
   */
  StepOutputs step(TrainTask task, List<LabeledExample> batch, GateControls c, boolean[] live) {
    try (Feeds feeds = new Feeds()) {
      Session.Runner run = session.runner();
      TokenBatch tb = feed(run, feeds, task, batch, c);
      Operand<TFloat32> loss = task.isRegression() ? g.mseLoss : g.ceLoss;
      var grads = task.isRegression() ? g.mseGrads : g.ceGrads;
      List<Slot> slots = g.slots();
      run.fetch(loss).fetch(g.penalty).fetch(g.gates);
      for (int i = 0; i < slots.size(); i++) {
        if (live[i]) {
          int k = g.gradientIndex(slots.get(i));
          if (k < 0) {
            throw new IllegalStateException("slot " + slots.get(i).name() + " is live but the graph (" + g.plan()
                + ") has no gradient for it");
          }
          run.fetch(grads.dy(k));
        }
      }
      try (Result res = run.run()) {
        float[][] gr = new float[slots.size()][];
        int next = 3;
        for (int i = 0; i < slots.size(); i++) {
          gr[i] = live[i] ? read((TFloat32) res.get(next++)) : null;
        }
        return new StepOutputs(((TFloat32) res.get(0)).getFloat(), ((TFloat32) res.get(1)).getFloat(),
            read((TFloat32) res.get(2)), gr, tb.paddedTokens());
      }
    }
  }

  /** The head outputs of {@code batch} under {@code c}. */
  Logits logits(TrainTask task, List<LabeledExample> batch, GateControls c) {
    try (Feeds feeds = new Feeds()) {
      Session.Runner run = session.runner();
      TokenBatch tb = feed(run, feeds, task, batch, c);
      run.fetch(g.logits);
      try (Result res = run.run()) {
        return new Logits(read((TFloat32) res.get(0)), tb.paddedTokens());
      }
    }
  }

  /** Tensors fed to one run, closed together after it. */
  private static final class Feeds implements AutoCloseable {
    private final List<Tensor> tensors = new ArrayList<>();

    <T extends Tensor> T add(T t) {
      tensors.add(t);
      return t;
    }

    @Override
    public void close() {
      tensors.forEach(Tensor::close);
    }
  }

  private TokenBatch feed(Session.Runner run, Feeds feeds, TrainTask task, List<LabeledExample> batch, GateControls c) {
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
    if (g.encoder().hiddenIn() != null) {
      run.feed(g.encoder().hiddenIn(), feeds.add(cachedLayers(batch, tb.length())));
    } else {
      run.feed(g.encoder().ids(), feeds.add(TInt32.tensorOf(bs, DataBuffers.of(tb.ids(), true, false))));
      run.feed(g.encoder().typeIds(), feeds.add(TInt32.tensorOf(bs, DataBuffers.of(tb.typeIds(), true, false))));
    }
    run.feed(g.encoder().mask(), feeds.add(TInt32.tensorOf(bs, DataBuffers.of(tb.mask(), true, false))));
    run.feed(g.labels, feeds.add(TInt32.tensorOf(Shape.of(labels.length), DataBuffers.of(labels, true, false))));
    run.feed(g.scores, feeds.add(vec(scores)));
    int mb = g.layout().bottleneckCount();
    int acts = spec.space().activations().size();
    int width = spec.space().bottleneck();
    run.feed(g.gateNoise, feeds.add(vec(c.noise())));
    run.feed(g.gateTemp, feeds.add(TFloat32.scalarOf(c.gateTemp())));
    run.feed(g.gateShift, feeds.add(TFloat32.scalarOf(c.shift())));
    run.feed(g.gateMask, feeds.add(vec(c.gateMask())));
    run.feed(g.gateFixed, feeds.add(vec(c.gateFixed() != null ? c.gateFixed() : new float[c.gateMask().length])));
    float[] hard = c.actHardWeights() != null ? c.actHardWeights() : new float[mb * acts];
    run.feed(g.actHardWeights, feeds.add(TFloat32.tensorOf(Shape.of(mb, acts), DataBuffers.of(hard, true, false))));
    run.feed(g.actHard, feeds.add(TFloat32.tensorOf(Shape.of(mb, 1), DataBuffers.of(c.actHard(), true, false))));
    float[] chan = c.chanMask() != null ? c.chanMask() : ones(mb * width);
    run.feed(g.chanMask, feeds.add(TFloat32.tensorOf(Shape.of(mb, width), DataBuffers.of(chan, true, false))));
    run.feed(g.lambda, feeds.add(TFloat32.scalarOf(c.lambda())));
    float[] cb = new float[g.maxOutputs()];
    for (int k = task.outputs(); k < cb.length; k++) {
      cb[k] = -1e9f;
    }
    run.feed(g.classBias, feeds.add(vec(cb)));
    if (g.noiseSite() != NoiseSite.NONE) {
      int h = backbone.config().hidden();
      int n = tb.batch() * tb.length();
      run.feed(g.noiseSigma, feeds.add(TFloat32.scalarOf(c.reprNoise())));
      run.feed(g.noise, feeds.add(gaussianTensor(n, h, c.reprNoise(), c.random())));
      for (var p : g.layerNoise) {
        run.feed(p, feeds.add(gaussianTensor(n, h, c.reprNoise(), c.random())));
      }
    }
    for (Slot s : g.slots()) {
      var input = g.slotInput(s.name());
      if (input == null) {
        continue; // the plan removed its module
      }
      float[] v = params.value(s, task.name());
      long[] dims = Arrays.stream(s.shape()).asLongStream().toArray();
      run.feed(input, feeds.add(TFloat32.tensorOf(Shape.of(dims), DataBuffers.of(v, true, false))));
    }
    return tb;
  }

  /**
   * The frozen layers' output for {@code batch} from the cache, {@code [batch * length, hidden]}: each
   * example's rows, then zeros for its padding (padded positions are masked as keys, so no real
   * token reads them, and no output is taken from them).
   */
  private TFloat32 cachedLayers(List<LabeledExample> batch, int length) {
    int h = backbone.config().hidden();
    float[] x = new float[batch.size() * length * h];
    for (int i = 0; i < batch.size(); i++) {
      float[] rows = cache.hidden(batch.get(i));
      System.arraycopy(rows, 0, x, i * length * h, rows.length);
    }
    return TFloat32.tensorOf(Shape.of((long) batch.size() * length, h), DataBuffers.of(x, true, false));
  }

  /** A standard normal draw (Box–Muller) from {@code r}: initialization and representation noise. */
  static double gaussian(SplittableRandom r) {
    double u1 = r.nextDouble();
    double u2 = r.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
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

  static float[] ones(int n) {
    float[] a = new float[n];
    Arrays.fill(a, 1f);
    return a;
  }

  private static TFloat32 vec(float[] a) {
    return TFloat32.tensorOf(Shape.of(a.length), DataBuffers.of(a, true, false));
  }

  private static float[] read(TFloat32 t) {
    return io.slaft.model.runtime.TensorData.floats(t);
  }

  @Override
  public void close() {
    session.close();
  }
}
