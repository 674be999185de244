package io.slaft.model.train;

import com.google.common.base.Preconditions;
import io.slaft.model.adapters.Activation;
import io.slaft.model.adapters.FusionSources;
import io.slaft.model.adapters.GateFamily;
import io.slaft.model.adapters.ModuleLayout.Module;
import io.slaft.model.adapters.ModuleLayout;
import io.slaft.model.adapters.SearchSpace;
import io.slaft.model.adapters.Site;
import io.slaft.model.adapters.SparsityControl;
import io.slaft.model.backbone.BackboneWeights;
import io.slaft.model.backbone.Pooling;
import io.slaft.model.graph.AdapterOps;
import io.slaft.model.graph.AdapterSites;
import io.slaft.model.graph.BertEncoderGraph;
import io.slaft.model.graph.EncoderHooks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The training graph: frozen encoder (constants) + gated adapter pool + task head + losses and
 * their gradients with respect to every trainable {@link Slot}. Trainable tensors are
 * placeholders fed from Java each step, so the graph holds no variables: the optimizer, the
 * checkpoints and all randomness live in Java, which makes runs reproducible and resumable.
 *
 * <p>Gates: {@code z = f(alpha) * gate_mask + gate_fixed}, where f is the family's function of the
 * gate logits and the fed controls ({@code gate_noise} ε, {@code gate_temp} τ/β, {@code gate_shift}
 * b), and {@code gate_fixed} holds the served gate of modules whose structure is committed.
 * Activation weights mix soft (softmax of logits / τ) and hard (fed one-hot) by {@code act_hard}, per
 * bottleneck module.
 */
public final class TrainingGraph {
  /** The smallest gate a prefix module's {@code log z} is taken of: a closed prefix keeps an e^-27.6 share, i.e. none. */
  public static final float PREFIX_MIN_GATE = 1e-12f;
  private final Graph graph;
  private final Ops tf;
  private final ModuleLayout layout;
  private final SparsityControl sparsity;
  private final int maxOutputs;
  private final List<Slot> slots = new ArrayList<>();
  /** The placeholders of the slots the graph uses (a removed module's slots have none), in slot order. */
  private final Map<String, Placeholder<TFloat32>> slotInputs = new LinkedHashMap<>();
  /** Per slot name, the index of its gradient among {@link #ceGrads}' outputs; absent: no gradient. */
  private final Map<String, Integer> gradientIndex = new LinkedHashMap<>();
  private final GraphPlan plan;
  /** Whether any bottleneck mixes its candidate activations (else the activation logits reach no output). */
  private boolean mixesActivations;
  private final BertEncoderGraph encoder;
  /** Initial values that are not random, by slot name: the pretrained backbone (full fine-tuning), fusion sources. */
  private final Map<String, float[]> pretrained = new LinkedHashMap<>();
  /** The module each module slot belongs to (by slot name); absent for shared and structure slots. */
  private final Map<String, Module> slotModules = new LinkedHashMap<>();
  private Module slotOwner;

  final Placeholder<TFloat32> gateNoise;
  final Placeholder<TFloat32> gateTemp;
  final Placeholder<TFloat32> gateShift;
  final Placeholder<TFloat32> gateMask;
  final Placeholder<TFloat32> gateFixed;
  final Placeholder<TFloat32> actHardWeights;
  final Placeholder<TFloat32> actHard;
  final Placeholder<TFloat32> chanMask;
  final Placeholder<TFloat32> lambda;
  final Placeholder<TFloat32> classBias;
  final Placeholder<TInt32> labels;
  final Placeholder<TFloat32> scores;
  final Placeholder<TFloat32> noiseSigma;
  final Placeholder<TFloat32> noise;
  final List<Placeholder<TFloat32>> layerNoise = new ArrayList<>();

  final Operand<TFloat32> gates;
  final Operand<TFloat32> logits;
  final Operand<TFloat32> prediction;
  final Operand<TFloat32> ceLoss;
  final Operand<TFloat32> mseLoss;
  final Operand<TFloat32> penalty;
  final Operand<TFloat32> totalCe;
  final Operand<TFloat32> totalMse;
  final Gradients ceGrads;
  final Gradients mseGrads;
  private final NoiseSite noiseSite;
  private Operand<TFloat32> gateVector;
  private Operand<TFloat32> actWeights;
  private Operand<TFloat32> chanGates;

  TrainingGraph(BackboneWeights weights, ModuleLayout layout, SparsityControl sparsity, int maxOutputs,
      Pooling pooling, NoiseSite noiseSite, io.slaft.model.backbone.Precision precision) {
    this(weights, layout, sparsity, maxOutputs, pooling, noiseSite, precision, GraphPlan.full(layout));
  }

  /**
   * The graph of {@code plan}: every slot of the layout is declared (same order, so parameters,
   * optimizer state and checkpoints do not depend on the plan), but a removed module's slots have
   * no placeholder and no gradient, and a bottleneck with a fixed activation computes just that one.
   */
  TrainingGraph(BackboneWeights weights, ModuleLayout layout, SparsityControl sparsity, int maxOutputs,
      Pooling pooling, NoiseSite noiseSite, io.slaft.model.backbone.Precision precision, GraphPlan plan) {
    this.plan = plan;
    this.graph = new Graph();
    this.tf = io.slaft.model.runtime.TfRuntime.ops(graph);
    this.layout = layout;
    this.sparsity = sparsity;
    this.maxOutputs = maxOutputs;
    this.noiseSite = noiseSite;
    SearchSpace space = layout.space();
    int h = weights.config().hidden();
    int m = layout.size();
    int mb = layout.bottleneckCount();
    int acts = space.activations().size();

    gateNoise = input("gate_noise", Shape.of(m));
    gateTemp = input("gate_temp", Shape.scalar());
    gateShift = input("gate_shift", Shape.scalar());
    gateMask = input("gate_mask", Shape.of(m));
    gateFixed = input("gate_fixed", Shape.of(m));
    actHardWeights = input("act_hard_weights", Shape.of(mb, acts));
    actHard = input("act_hard", Shape.of(mb, 1));
    chanMask = input("chan_mask", Shape.of(mb, space.bottleneck()));
    lambda = input("lambda", Shape.scalar());
    classBias = input("class_bias", Shape.of(maxOutputs));
    labels = tf.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    scores = input("scores", Shape.of(-1));
    noiseSigma = noiseSite == NoiseSite.NONE ? null : input("noise_sigma", Shape.scalar());
    noise = noiseSite == NoiseSite.NONE ? null : input("noise_embeddings", Shape.of(-1, h));
    if (noiseSite == NoiseSite.HIDDEN) {
      for (int l = 0; l < weights.config().layers(); l++) {
        layerNoise.add(input("noise_layer" + l, Shape.of(-1, h)));
      }
    }

    for (Module mod : layout.modules()) {
      slotOwner = mod;
      switch (mod.site().kind()) {
        case BOTTLENECK -> {
          slot(SlotNames.of(mod, SlotNames.DOWN_W), Slot.Group.ADAPTER, false, h, space.bottleneck());
          slot(SlotNames.of(mod, SlotNames.DOWN_B), Slot.Group.ADAPTER_BIAS, false, space.bottleneck());
          slot(SlotNames.of(mod, SlotNames.UP_W), Slot.Group.ADAPTER, false, space.bottleneck(), h);
          slot(SlotNames.of(mod, SlotNames.UP_B), Slot.Group.ADAPTER_BIAS, false, h);
        }
        case LORA -> {
          slot(SlotNames.of(mod, SlotNames.LORA_AQ), Slot.Group.ADAPTER, false, h, space.loraRank());
          slot(SlotNames.of(mod, SlotNames.LORA_BQ), Slot.Group.ADAPTER, false, space.loraRank(), h);
          slot(SlotNames.of(mod, SlotNames.LORA_AV), Slot.Group.ADAPTER, false, h, space.loraRank());
          slot(SlotNames.of(mod, SlotNames.LORA_BV), Slot.Group.ADAPTER, false, space.loraRank(), h);
        }
        case BIAS -> {
          for (String role : EncoderHooks.BIAS_ROLES) {
            slot(SlotNames.biasDelta(mod, role), Slot.Group.ADAPTER_BIAS, false, biasWidth(weights, role));
          }
        }
        case PREFIX -> {
          int p = space.prefixLength();
          int r = space.prefixHidden();
          slot(SlotNames.of(mod, SlotNames.PREFIX_EMB), Slot.Group.ADAPTER, false, p, h);
          slot(SlotNames.of(mod, SlotNames.PREFIX_W1), Slot.Group.ADAPTER, false, h, r);
          slot(SlotNames.of(mod, SlotNames.PREFIX_B1), Slot.Group.ADAPTER_BIAS, false, r);
          slot(SlotNames.of(mod, SlotNames.PREFIX_WK), Slot.Group.ADAPTER, false, r, h);
          slot(SlotNames.of(mod, SlotNames.PREFIX_BK), Slot.Group.ADAPTER_BIAS, false, h);
          slot(SlotNames.of(mod, SlotNames.PREFIX_WV), Slot.Group.ADAPTER, false, r, h);
          slot(SlotNames.of(mod, SlotNames.PREFIX_BV), Slot.Group.ADAPTER_BIAS, false, h);
        }
        case FUSION -> {
          List<FusionSources.Source> sources = space.fusion().sources();
          for (int n = 0; n < sources.size(); n++) {
            FusionSources.Adapter a = sources.get(n).layer(mod.layer());
            Preconditions.checkArgument(a.hidden() == h, "fusion source '%s' has hidden size %s, the backbone %s",
                sources.get(n).name(), a.hidden(), h);
            frozen(mod, n, SlotNames.DOWN_W, a.downW(), h, a.width());
            frozen(mod, n, SlotNames.DOWN_B, a.downB(), a.width());
            frozen(mod, n, SlotNames.UP_W, a.upW(), a.width(), h);
            frozen(mod, n, SlotNames.UP_B, a.upB(), h);
          }
          // each task its own fusion layer over the shared sources, as AdapterFusion learns one per target task
          slot(SlotNames.of(mod, SlotNames.FUSION_QUERY_W), Slot.Group.ADAPTER, true, h, h);
          slot(SlotNames.of(mod, SlotNames.FUSION_QUERY_B), Slot.Group.ADAPTER_BIAS, true, h);
          slot(SlotNames.of(mod, SlotNames.FUSION_KEY_W), Slot.Group.ADAPTER, true, h, h);
          slot(SlotNames.of(mod, SlotNames.FUSION_KEY_B), Slot.Group.ADAPTER_BIAS, true, h);
          slot(SlotNames.of(mod, SlotNames.FUSION_VALUE), Slot.Group.ADAPTER, true, h, h);
        }
      }
      if (space.exampleGates()) {
        slot(SlotNames.of(mod, SlotNames.EXAMPLE_GATE_W), Slot.Group.ADAPTER, false, h, 1);
        slot(SlotNames.of(mod, SlotNames.EXAMPLE_GATE_B), Slot.Group.ADAPTER_BIAS, false, 1);
      }
      slotOwner = null;
    }
    if (space.bitfit()) {
      for (int l = 0; l < weights.config().layers(); l++) {
        for (String role : EncoderHooks.BIAS_ROLES) {
          slot(SlotNames.bitfit(l, role), Slot.Group.ADAPTER_BIAS, false, biasWidth(weights, role));
        }
      }
    }
    boolean learnGates = sparsity.family().learnsGates() && m > 0;
    if (learnGates) {
      slot(SlotNames.GATES, Slot.Group.STRUCTURE, true, m);
    }
    if (acts > 1 && mb > 0) {
      slot(SlotNames.ACTS, Slot.Group.STRUCTURE, true, mb, acts);
    }
    if (space.channelGates() && mb > 0) {
      slot(SlotNames.CHANS, Slot.Group.STRUCTURE, true, mb, space.bottleneck());
    }
    slot(SlotNames.HEAD_W, Slot.Group.HEAD, true, h, maxOutputs);
    slot(SlotNames.HEAD_B, Slot.Group.HEAD_BIAS, true, maxOutputs);

    Operand<TFloat32> pen = tf.constant(0f);
    if (m > 0) {
      Operand<TFloat32> alpha = learnGates ? slotInputs.get(SlotNames.GATES) : tf.zeros(tf.constant(new int[] {m}), TFloat32.class);
      Operand<TFloat32> sizes = tf.constant(toFloat(layout.sizes()));
      GateFamily family = sparsity.family();
      gateVector = family.gateOp(tf, alpha, gateNoise, gateTemp, gateShift);
      Operand<TFloat32> familyPenalty = family.penaltyOp(tf, alpha, gateVector, sizes, layout.poolParams());
      if (familyPenalty != null) {
        pen = familyPenalty;
      }
      gateVector = tf.math.add(tf.math.mul(gateVector, gateMask), gateFixed);
    } else {
      gateVector = tf.zeros(tf.constant(new int[] {1}), TFloat32.class);
    }
    gates = tf.withName("gate_values").identity(gateVector);
    if (mb > 0) {
      Operand<TFloat32> soft = acts > 1
          ? tf.nn.softmax(tf.math.div(slotInputs.get(SlotNames.ACTS), gateTemp))
          : tf.onesLike(actHardWeights);
      actWeights = tf.math.add(tf.math.mul(soft, tf.math.sub(tf.constant(1f), actHard)), tf.math.mul(actHardWeights, actHard));
      if (space.channelGates()) {
        Operand<TFloat32> c = tf.math.sigmoid(tf.math.div(slotInputs.get(SlotNames.CHANS), gateTemp));
        chanGates = tf.math.mul(c, chanMask);
        float perChannel = layout.paramsPerChannel();
        Operand<TFloat32> chanPen = tf.math.div(tf.math.mul(tf.reduceSum(c, tf.constant(new int[] {0, 1})),
            tf.constant(perChannel)), tf.constant((float) layout.poolParams()));
        pen = tf.math.add(pen, chanPen);
      } else {
        chanGates = chanMask;
      }
    }
    penalty = tf.withName("penalty").identity(pen);

    int layers = weights.config().layers();
    if (plan.frozenBelow() > plan.lowestModuleLayer(layout, layers)) {
      throw new IllegalArgumentException(plan + " leaves out layers with modules (the lowest in layer "
          + plan.lowestModuleLayer(layout, layers) + ")");
    }
    encoder = BertEncoderGraph.build(tf, weights, new AdapterHooks(space), precision, plan.frozenBelow(), layers);
    Operand<TFloat32> pooled = encoder.pooled(pooling);
    logits = tf.withName("logits").math.add(tf.math.add(tf.linalg.matMul(pooled, slotInputs.get(SlotNames.HEAD_W)),
        slotInputs.get(SlotNames.HEAD_B)), classBias);
    prediction = tf.withName("prediction").reshape(tf.slice(logits, tf.constant(new int[] {0, 0}),
        tf.constant(new int[] {-1, 1})), tf.constant(new int[] {-1}));
    Operand<TFloat32> onehot = tf.oneHot(labels, tf.constant(maxOutputs), tf.constant(1f), tf.constant(0f));
    ceLoss = tf.withName("ce_loss").math.neg(tf.math.mean(tf.reduceSum(tf.math.mul(onehot, tf.nn.logSoftmax(logits)),
        tf.constant(1)), tf.constant(0)));
    mseLoss = tf.withName("mse_loss").math.mean(tf.math.square(tf.math.sub(prediction, scores)), tf.constant(0));
    totalCe = tf.math.add(ceLoss, tf.math.mul(lambda, penalty));
    totalMse = tf.math.add(mseLoss, tf.math.mul(lambda, penalty));
    // the activation logits reach the outputs only through a bottleneck that mixes its candidates
    // (frozen slots are fed, never trained: no gradient)
    List<Operand<?>> xs = new ArrayList<>();
    for (Slot s : slots) {
      Placeholder<TFloat32> input = slotInputs.get(s.name());
      if (input != null && s.group().trained() && (!s.name().equals(SlotNames.ACTS) || mixesActivations)) {
        gradientIndex.put(s.name(), xs.size());
        xs.add(input);
      }
    }
    ceGrads = tf.gradients(totalCe, xs);
    mseGrads = tf.gradients(totalMse, xs);
  }

  private static int biasWidth(BackboneWeights weights, String role) {
    return role.equals("intermediate") ? weights.config().intermediate() : weights.config().hidden();
  }

  /** A frozen source adapter's part as a {@link Slot.Group#FROZEN} slot, its values the trained ones. */
  private void frozen(Module mod, int n, String part, float[] values, int... shape) {
    String name = SlotNames.fusionSource(mod, n, part);
    slot(name, Slot.Group.FROZEN, false, shape);
    pretrained.put(name, values);
  }

  private Placeholder<TFloat32> input(String name, Shape shape) {
    return tf.withName(name).placeholder(TFloat32.class, Placeholder.shape(shape));
  }

  private void slot(String name, Slot.Group group, boolean perTask, int... shape) {
    Slot s = new Slot(name, shape, group, perTask);
    slots.add(s);
    if (slotOwner != null) {
      slotModules.put(name, slotOwner);
      if (!plan.has(slotOwner)) {
        return;
      }
    }
    long[] dims = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      dims[i] = shape[i];
    }
    slotInputs.put(name, input(name, Shape.of(dims)));
  }

  /** The {@code n × n} identity matrix. */
  static float[][] identity(int n) {
    float[][] eye = new float[n][n];
    for (int i = 0; i < n; i++) {
      eye[i][i] = 1f;
    }
    return eye;
  }

  private static float[] toFloat(long[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = a[i];
    }
    return f;
  }

  /** Adapters of the pool, wired into the encoder's insertion points. */
  private final class AdapterHooks extends AdapterSites {
    private final SearchSpace space;
    private final Map<Integer, Operand<TFloat32>> loraExampleGates = new LinkedHashMap<>();
    private Operand<TFloat32> mask3d;
    private Operand<TFloat32> tokenCounts;
    private Operand<TInt32> shape3d;

    AdapterHooks(SearchSpace space) {
      this.space = space;
    }

    /** {@code m} when the plan computes it, else {@code null} (no module there). */
    private Module computed(Module m) {
      return m == null || !plan.has(m) ? null : m;
    }

    private Operand<TFloat32> gate(Module m) {
      return tf.gather(gateVector, tf.constant(m.index()), tf.constant(0));
    }

    @Override
    public void onMask(Ops ops, Operand<TFloat32> mask) {
      if (!space.exampleGates()) {
        return;
      }
      mask3d = tf.expandDims(mask, tf.constant(-1));
      tokenCounts = tf.math.maximum(tf.reduceSum(mask3d, tf.constant(1)), tf.constant(1f));
      Operand<TInt32> s = tf.shape(mask);
      shape3d = tf.stack(List.of(tf.gather(s, tf.constant(0), tf.constant(0)), tf.gather(s, tf.constant(1), tf.constant(0)),
          tf.constant(layout.backbone().hidden())));
    }

    /** UniPELT gate of module {@code m}: {@code sigmoid(w · masked-mean(input) + b)} per example, {@code [batch, 1, 1]}. */
    private Operand<TFloat32> exampleGate(Module m, Operand<TFloat32> input) {
      Operand<TFloat32> x3 = tf.reshape(input, shape3d);
      Operand<TFloat32> pooled = tf.math.div(tf.reduceSum(tf.math.mul(x3, mask3d), tf.constant(1)), tokenCounts);
      Operand<TFloat32> g = tf.math.sigmoid(tf.math.add(tf.linalg.matMul(pooled, slotInputs.get(SlotNames.of(m, SlotNames.EXAMPLE_GATE_W))),
          slotInputs.get(SlotNames.of(m, SlotNames.EXAMPLE_GATE_B))));
      return tf.expandDims(g, tf.constant(1));
    }

    /** {@code delta} (folded {@code [tokens, hidden]}) scaled per example by {@code gate} ({@code [batch, 1, 1]}). */
    private Operand<TFloat32> scaleByExample(Operand<TFloat32> delta, Operand<TFloat32> gate) {
      return tf.reshape(tf.math.mul(tf.reshape(delta, shape3d), gate),
          tf.constant(new int[] {-1, layout.backbone().hidden()}));
    }

    @Override
    public Operand<TFloat32> weight(Ops ops, String name, Shape shape, float[] values) {
      if (!space.fullModel()) {
        return null;
      }
      boolean matrix = shape.numDimensions() == 2;
      int[] dims = new int[shape.numDimensions()];
      for (int i = 0; i < dims.length; i++) {
        dims[i] = (int) shape.size(i);
      }
      String slotName = SlotNames.backbone(name);
      slot(slotName, matrix ? Slot.Group.BACKBONE : Slot.Group.BACKBONE_BIAS, false, dims);
      pretrained.put(slotName, values);
      return slotInputs.get(slotName);
    }

    @Override
    protected Operand<TFloat32> bottleneck(int layer, Site site, Operand<TFloat32> x) {
      Module m = computed(layout.find(layer, site));
      if (m == null) {
        return null;
      }
      Operand<TFloat32> w = tf.gather(actWeights, tf.constant(m.bottleneckIndex()), tf.constant(0));
      // the module gate scales the middle (with the channel gates) and the up-projection's bias rather than the
      // [tokens, hidden] output: the same function, without a full-width multiply forward and two backward
      Operand<TFloat32> g = gate(m);
      Operand<TFloat32> c = tf.math.mul(tf.gather(chanGates, tf.constant(m.bottleneckIndex()), tf.constant(0)), g);
      List<Activation> acts = space.activations();
      int fixed = plan.activationOf(m);
      mixesActivations |= fixed < 0 && acts.size() > 1;
      Operand<TFloat32> up = AdapterOps.bottleneck(tf, x, slotInputs.get(SlotNames.of(m, SlotNames.DOWN_W)),
          slotInputs.get(SlotNames.of(m, SlotNames.DOWN_B)), slotInputs.get(SlotNames.of(m, SlotNames.UP_W)),
          tf.math.mul(slotInputs.get(SlotNames.of(m, SlotNames.UP_B)), g), d -> {
            if (fixed >= 0) {
              // what the one-hot mix computes, exactly: 1 × f + 0 × each other candidate
              return tf.math.mul(AdapterOps.activate(tf, acts.get(fixed), d), c);
            }
            Operand<TFloat32> mixed = null;
            for (int k = 0; k < acts.size(); k++) {
              Operand<TFloat32> f = AdapterOps.activate(tf, acts.get(k), d);
              Operand<TFloat32> term = acts.size() == 1 ? f : tf.math.mul(f, tf.gather(w, tf.constant(k), tf.constant(0)));
              mixed = mixed == null ? term : tf.math.add(mixed, term);
            }
            return tf.math.mul(mixed, c);
          });
      return space.exampleGates() ? scaleByExample(up, exampleGate(m, x)) : up;
    }

    private Operand<TFloat32> lora(int layer, Operand<TFloat32> x, String a, String b) {
      Module m = computed(layout.find(layer, Site.LORA));
      if (m == null) {
        return null;
      }
      // gate × scale on the rank-r middle, not on the [tokens, hidden] update (the same function, cheaper)
      Operand<TFloat32> delta = AdapterOps.lowRank(tf, x, slotInputs.get(SlotNames.of(m, a)), slotInputs.get(SlotNames.of(m, b)),
          tf.math.mul(gate(m), tf.constant(space.loraScale())));
      if (space.exampleGates()) {
        Operand<TFloat32> eg = loraExampleGates.computeIfAbsent(layer, l -> exampleGate(m, x));
        delta = scaleByExample(delta, eg);
      }
      return delta;
    }

    @Override
    public io.slaft.model.graph.AttentionPrefix prefix(Ops ops, int layer) {
      Module m = computed(layout.find(layer, Site.PREFIX));
      if (m == null) {
        return null;
      }
      List<Operand<TFloat32>> kv = AdapterOps.prefixKeyValues(tf, slotInputs.get(SlotNames.of(m, SlotNames.PREFIX_EMB)),
          slotInputs.get(SlotNames.of(m, SlotNames.PREFIX_W1)), slotInputs.get(SlotNames.of(m, SlotNames.PREFIX_B1)),
          slotInputs.get(SlotNames.of(m, SlotNames.PREFIX_WK)), slotInputs.get(SlotNames.of(m, SlotNames.PREFIX_BK)),
          slotInputs.get(SlotNames.of(m, SlotNames.PREFIX_WV)), slotInputs.get(SlotNames.of(m, SlotNames.PREFIX_BV)));
      // the gate scales the prefix's share of the softmax: log z on its logits (z = 0: gone, up to e^-27.6)
      Operand<TFloat32> logGate = tf.math.log(tf.math.maximum(gate(m), tf.constant(PREFIX_MIN_GATE)));
      return new io.slaft.model.graph.AttentionPrefix(kv.get(0), kv.get(1), layout.space().prefixLength(), logGate);
    }

    @Override
    protected Operand<TFloat32> fusion(int layer, Operand<TFloat32> ffnOut) {
      Module m = computed(layout.find(layer, Site.FUSION));
      if (m == null) {
        return null;
      }
      List<FusionSources.Source> sources = space.fusion().sources();
      List<Operand<TFloat32>> outs = new ArrayList<>();
      for (int n = 0; n < sources.size(); n++) {
        Activation act = sources.get(n).activation();
        outs.add(AdapterOps.bottleneck(tf, ffnOut, slotInputs.get(SlotNames.fusionSource(m, n, SlotNames.DOWN_W)),
            slotInputs.get(SlotNames.fusionSource(m, n, SlotNames.DOWN_B)),
            slotInputs.get(SlotNames.fusionSource(m, n, SlotNames.UP_W)),
            slotInputs.get(SlotNames.fusionSource(m, n, SlotNames.UP_B)), d -> AdapterOps.activate(tf, act, d)));
      }
      int h = layout.backbone().hidden();
      Operand<TFloat32> value = tf.math.add(tf.constant(identity(h)), slotInputs.get(SlotNames.of(m, SlotNames.FUSION_VALUE)));
      Operand<TFloat32> fused = AdapterOps.fusion(tf, ffnOut, outs, slotInputs.get(SlotNames.of(m, SlotNames.FUSION_QUERY_W)),
          slotInputs.get(SlotNames.of(m, SlotNames.FUSION_QUERY_B)), slotInputs.get(SlotNames.of(m, SlotNames.FUSION_KEY_W)),
          slotInputs.get(SlotNames.of(m, SlotNames.FUSION_KEY_B)), value);
      return tf.math.mul(fused, gate(m));
    }

    @Override
    public Operand<TFloat32> queryDelta(Ops ops, int layer, Operand<TFloat32> input) {
      return lora(layer, input, SlotNames.LORA_AQ, SlotNames.LORA_BQ);
    }

    @Override
    public Operand<TFloat32> valueDelta(Ops ops, int layer, Operand<TFloat32> input) {
      return lora(layer, input, SlotNames.LORA_AV, SlotNames.LORA_BV);
    }

    @Override
    public Operand<TFloat32> biasDelta(Ops ops, int layer, String role) {
      Operand<TFloat32> delta = space.bitfit() ? slotInputs.get(SlotNames.bitfit(layer, role)) : null;
      Module m = computed(layout.find(layer, Site.BIAS));
      if (m != null) {
        Operand<TFloat32> gated = tf.math.mul(slotInputs.get(SlotNames.biasDelta(m, role)), gate(m));
        delta = delta == null ? gated : tf.math.add(delta, gated);
      }
      return delta;
    }

    @Override
    public Operand<TFloat32> afterEmbeddings(Ops ops, Operand<TFloat32> embeddings) {
      return noiseSite == NoiseSite.NONE ? embeddings : addNoise(embeddings, noise);
    }

    @Override
    public Operand<TFloat32> afterLayer(Ops ops, int layer, Operand<TFloat32> hidden) {
      return noiseSite == NoiseSite.HIDDEN ? addNoise(hidden, layerNoise.get(layer)) : hidden;
    }

    private Operand<TFloat32> addNoise(Operand<TFloat32> x, Operand<TFloat32> n) {
      Operand<TInt32> all = tf.constant(new int[] {0, 1});
      Operand<TFloat32> mean = tf.math.mean(x, all, Mean.keepDims(true));
      Operand<TFloat32> std = tf.stopGradient(tf.math.sqrt(tf.math.mean(tf.math.square(tf.math.sub(x, mean)), all)));
      return tf.math.add(x, tf.math.mul(n, tf.math.mul(std, noiseSigma)));
    }
  }

  public Graph graph() {
    return graph;
  }

  public List<Slot> slots() {
    return slots;
  }

  /**
   * Initial values that are not drawn at random, by slot name: trainable backbone tensors (full
   * fine-tuning) start as the pretrained weights, a fusion module's frozen sources are their trained adapters.
   */
  Map<String, float[]> pretrained() {
    return pretrained;
  }

  /** The module a slot belongs to (its adapter weights), or {@code null} for head, BitFit, backbone and structure slots. */
  Module moduleOf(Slot s) {
    return slotModules.get(s.name());
  }

  /** The placeholder of slot {@code name}, or {@code null} when the plan removed its module. */
  Placeholder<TFloat32> slotInput(String name) {
    return slotInputs.get(name);
  }

  /** The index of slot {@code s}'s gradient among the gradient outputs, or -1 when the graph has none for it. */
  int gradientIndex(Slot s) {
    return gradientIndex.getOrDefault(s.name(), -1);
  }

  /** The plan this graph was built with. */
  GraphPlan plan() {
    return plan;
  }

  BertEncoderGraph encoder() {
    return encoder;
  }

  ModuleLayout layout() {
    return layout;
  }

  int maxOutputs() {
    return maxOutputs;
  }

  NoiseSite noiseSite() {
    return noiseSite;
  }

  SparsityControl sparsity() {
    return sparsity;
  }
}
