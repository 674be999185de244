package io.slaft.model.export;

import io.slaft.model.adapters.Activation;
import io.slaft.model.adapters.ModuleLayout;
import io.slaft.model.adapters.Site;
import io.slaft.model.backbone.Backbone;
import io.slaft.model.backbone.BackboneWeights;
import io.slaft.model.backbone.LayerWeights;
import io.slaft.model.backbone.ModelFileException;
import io.slaft.model.backbone.Pooling;
import io.slaft.model.backbone.Precision;
import io.slaft.model.graph.AdapterOps;
import io.slaft.model.graph.BertEncoderGraph;
import io.slaft.model.graph.AdapterSites;
import io.slaft.model.runtime.TfRuntime;
import io.slaft.model.tokenize.Encoded;
import io.slaft.model.tokenize.TokenBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The compact inference model of one exported task: the frozen backbone with LoRA updates and
 * BitFit deltas merged into its weights, only the kept bottleneck adapters (fixed activation,
 * pruned width, gates folded in), the kept prefix modules' keys and values, a kept fusion module's
 * frozen sources and attention, and the task head. No gates, no closed modules, no structure
 * logits. It computes in the precision the export was trained in ({@code export.json}'s backbone
 * {@code precision}); in bf16, LoRA runs beside the rounded frozen weights instead of being merged
 * into them. Thread-safe for concurrent {@link #outputs} calls; close to release the graph.
 */
public final class CompactModel implements AutoCloseable {
  private final ExportManifest.TaskEntry task;
  private final Backbone backbone;
  private final Graph graph;
  private final Session session;
  private final BertEncoderGraph encoder;
  private final Operand<TFloat32> logits;

  private CompactModel(ExportManifest manifest, ExportManifest.TaskEntry task, Map<String, WeightFile.Tensor> w,
      Backbone backbone) {
    this.task = task;
    this.backbone = backbone;
    if (!backbone.weights().digest().equals(manifest.backbone().digest())) {
      throw new IllegalArgumentException("the export was trained on backbone digest " + manifest.backbone().digest()
          + " but " + backbone.name() + " has " + backbone.weights().digest());
    }
    String t = task.name();
    // Served in the precision it was trained in. In bf16 the frozen weights are rounded, so LoRA is
    // not merged into them (its small delta would round away): it runs beside them in fp32, as in training.
    Precision precision = manifest.backbone().servedPrecision();
    boolean mergeLora = precision == Precision.FP32;
    BackboneWeights merged = merge(backbone.weights(), task, w, mergeLora);
    graph = new Graph();
    Ops tf = io.slaft.model.runtime.TfRuntime.ops(graph);
    Pooling pooling = Pooling.valueOf(manifest.backbone().pooling());
    encoder = BertEncoderGraph.build(tf, merged, new Hooks(tf, task, w, !mergeLora), precision);
    WeightFile.Tensor hw = w.get(TensorNames.head(t, "head_w"));
    WeightFile.Tensor hb = w.get(TensorNames.head(t, "head_b"));
    logits = tf.math.add(tf.linalg.matMul(encoder.pooled(pooling),
        tf.constant(Shape.of(hw.shape()[0], hw.shape()[1]), DataBuffers.of(hw.values(), true, false))),
        tf.constant(Shape.of(hb.shape()[0]), DataBuffers.of(hb.values(), true, false)));
    session = TfRuntime.newInferenceSession(graph, precision);
  }

  /** Loads {@code task} from an export directory, loading its backbone (shared per JVM). */
  public static CompactModel load(Path dir, String task) {
    ExportManifest.BackboneRef ref = manifest(dir).backbone();
    return load(dir, task, Backbone.shared(ref.source(dir), ref.maxLength()));
  }

  /** Loads {@code task} on an already loaded backbone. */
  public static CompactModel load(Path dir, String task, Backbone backbone) {
    ExportManifest m = manifest(dir);
    ExportManifest.TaskEntry entry = task(dir, m, task);
    try {
      return new CompactModel(m, entry, WeightFile.read(dir.resolve(WeightFile.NAME)), backbone);
    } catch (IOException e) {
      throw new ModelFileException(dir.resolve(WeightFile.NAME), "cannot read: " + e.getMessage(), "re-export the model", e);
    }
  }

  /**
   * The entry of {@code task} in the export at {@code dir} (any spelling {@link io.slaft.model.train.TaskNames}
   * accepts).
   *
   * @throws IllegalArgumentException naming the tasks the export has
   */
  public static ExportManifest.TaskEntry task(Path dir, String task) {
    return task(dir, manifest(dir), task);
  }

  private static ExportManifest.TaskEntry task(Path dir, ExportManifest m, String task) {
    return m.tasks().stream().filter(e -> io.slaft.model.train.TaskNames.same(e.name(), task)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("task '" + task + "' is not in the export " + dir + "; it has "
            + m.tasks().stream().map(ExportManifest.TaskEntry::name).toList()));
  }

  /** Reads {@code export.json}. */
  public static ExportManifest manifest(Path dir) {
    Path f = dir.resolve(ExportManifest.FILE);
    if (!Files.isRegularFile(f)) {
      throw new ModelFileException(f, "no export.json: not a slaft export directory",
          "use a directory that holds an export (export.json, structure.json, weights.bin), such as a run's model/<point>");
    }
    try {
      ExportManifest m = Exporter.JSON.readValue(f.toFile(), ExportManifest.class);
      if (!ExportManifest.FORMAT.equals(m.format()) || m.version() > ExportManifest.VERSION) {
        throw new ModelFileException(f, "format " + m.format() + " v" + m.version() + " is not readable by this slaft (reads "
            + ExportManifest.FORMAT + " v" + ExportManifest.VERSION + ")", "use a newer slaft");
      }
      return m;
    } catch (IOException e) {
      throw new ModelFileException(f, "cannot parse: " + e.getMessage(), "re-export the model", e);
    }
  }

  private static BackboneWeights merge(BackboneWeights base, ExportManifest.TaskEntry task, Map<String, WeightFile.Tensor> w,
      boolean mergeLora) {
    int h = base.config().hidden();
    List<LayerWeights> layers = new ArrayList<>();
    for (int l = 0; l < base.config().layers(); l++) {
      LayerWeights lw = base.layers().get(l);
      String lora = TensorNames.module(task.name(), ModuleLayout.Module.idOf(l, Site.LORA));
      float[] q = lw.query();
      float[] v = lw.value();
      if (mergeLora && w.containsKey(lora + TensorNames.LORA_AQ)) {
        q = addLowRank(q, w.get(lora + TensorNames.LORA_AQ), w.get(lora + TensorNames.LORA_BQ), h);
        v = addLowRank(v, w.get(lora + TensorNames.LORA_AV), w.get(lora + TensorNames.LORA_BV), h);
      }
      BiasDeltas b = new BiasDeltas(task.name(), l, w);
      layers.add(new LayerWeights(q, b.plus(lw.queryBias(), "query"), lw.key(), b.plus(lw.keyBias(), "key"),
          v, b.plus(lw.valueBias(), "value"), lw.attnOut(), b.plus(lw.attnOutBias(), "attention_output"),
          lw.attnNormGamma(), lw.attnNormBeta(), lw.ffnIn(), b.plus(lw.ffnInBias(), "intermediate"),
          lw.ffnOut(), b.plus(lw.ffnOutBias(), "output"), lw.ffnNormGamma(), lw.ffnNormBeta()));
    }
    return new BackboneWeights(base.config(), base.wordEmbeddings(), base.positionEmbeddings(), base.typeEmbeddings(),
        base.embNormGamma(), base.embNormBeta(), layers);
  }

  /** {@code W + A B} for {@code W [h, h]}, {@code A [h, r]}, {@code B [r, h]} (B carries the scale). */
  static float[] addLowRank(float[] weight, WeightFile.Tensor a, WeightFile.Tensor b, int h) {
    int r = a.shape()[1];
    float[] out = weight.clone();
    for (int i = 0; i < h; i++) {
      for (int k = 0; k < r; k++) {
        float aik = a.values()[i * r + k];
        for (int j = 0; j < h; j++) {
          out[i * h + j] += aik * b.values()[k * h + j];
        }
      }
    }
    return out;
  }

  /**
   * The bias deltas of one layer of a task: BitFit's ({@code <task>/bitfit/l<L>.<role>}) and a kept
   * bias module's ({@code <task>/l<L>.bias/<role>}, gate folded in), either, both or none.
   */
  private record BiasDeltas(String task, int layer, Map<String, WeightFile.Tensor> w) {
    float[] plus(float[] bias, String role) {
      float[] out = bias;
      for (String key : List.of(TensorNames.bitfit(task, layer, role),
          TensorNames.module(task, ModuleLayout.Module.idOf(layer, Site.BIAS)) + role)) {
        WeightFile.Tensor delta = w.get(key);
        if (delta != null) {
          out = out == bias ? bias.clone() : out;
          for (int i = 0; i < out.length; i++) {
            out[i] += delta.values()[i];
          }
        }
      }
      return out;
    }
  }

  /** The kept bottleneck modules with their fixed activation, placed by {@link AdapterSites}. */
  private static final class Hooks extends AdapterSites {
    private final Ops tf;
    private final ExportManifest.TaskEntry task;
    private final Map<String, WeightFile.Tensor> w;
    private final boolean loraBeside;

    /** {@code loraBeside}: LoRA was not merged into the frozen weights and runs as {@code x A B} beside them. */
    Hooks(Ops tf, ExportManifest.TaskEntry task, Map<String, WeightFile.Tensor> w, boolean loraBeside) {
      this.tf = tf;
      this.task = task;
      this.w = w;
      this.loraBeside = loraBeside;
    }

    @Override
    public Operand<TFloat32> queryDelta(Ops ops, int layer, Operand<TFloat32> input) {
      return lora(layer, input, TensorNames.LORA_AQ, TensorNames.LORA_BQ);
    }

    @Override
    public Operand<TFloat32> valueDelta(Ops ops, int layer, Operand<TFloat32> input) {
      return lora(layer, input, TensorNames.LORA_AV, TensorNames.LORA_BV);
    }

    /** The layer's kept prefix module: its folded keys and values, and {@code log z} when its gate is not 1. */
    @Override
    public io.slaft.model.graph.AttentionPrefix prefix(Ops ops, int layer) {
      String p = TensorNames.module(task.name(), ModuleLayout.Module.idOf(layer, Site.PREFIX));
      WeightFile.Tensor k = w.get(p + TensorNames.PREFIX_K);
      if (k == null) {
        return null;
      }
      WeightFile.Tensor logGate = w.get(p + TensorNames.PREFIX_LOG_GATE);
      return new io.slaft.model.graph.AttentionPrefix(matrix(k), matrix(w.get(p + TensorNames.PREFIX_V)), k.shape()[0],
          logGate == null ? null : tf.constant(logGate.values()[0]));
    }

    /** {@code x A B} of the layer's kept LoRA module (B carries scale and gate), or {@code null}. */
    private Operand<TFloat32> lora(int layer, Operand<TFloat32> x, String a, String b) {
      String p = TensorNames.module(task.name(), ModuleLayout.Module.idOf(layer, Site.LORA));
      if (!loraBeside || !w.containsKey(p + a)) {
        return null;
      }
      return AdapterOps.lowRank(tf, x, matrix(w.get(p + a)), matrix(w.get(p + b)));
    }

    /** The layer's kept fusion module over its frozen sources (value projection with the gate folded in), or {@code null}. */
    @Override
    protected Operand<TFloat32> fusion(int layer, Operand<TFloat32> ffnOut) {
      for (ExportManifest.ModuleEntry m : task.modules()) {
        if (m.layer() == layer && m.site().equals(Site.FUSION.id())) {
          String p = TensorNames.module(task.name(), m.module());
          String[] acts = m.activation().split(",");
          List<Operand<TFloat32>> outs = new ArrayList<>();
          for (int n = 0; n < m.width(); n++) {
            Activation act = Activation.byId(acts[n]);
            outs.add(AdapterOps.bottleneck(tf, ffnOut, matrix(w.get(p + TensorNames.fusionSource(n, TensorNames.DOWN_W))),
                vector(w.get(p + TensorNames.fusionSource(n, TensorNames.DOWN_B))),
                matrix(w.get(p + TensorNames.fusionSource(n, TensorNames.UP_W))),
                vector(w.get(p + TensorNames.fusionSource(n, TensorNames.UP_B))), d -> AdapterOps.activate(tf, act, d)));
          }
          return AdapterOps.fusion(tf, ffnOut, outs, matrix(w.get(p + TensorNames.FUSION_QUERY_W)),
              vector(w.get(p + TensorNames.FUSION_QUERY_B)), matrix(w.get(p + TensorNames.FUSION_KEY_W)),
              vector(w.get(p + TensorNames.FUSION_KEY_B)), matrix(w.get(p + TensorNames.FUSION_VALUE)));
        }
      }
      return null;
    }

    @Override
    protected Operand<TFloat32> bottleneck(int layer, Site site, Operand<TFloat32> x) {
      for (ExportManifest.ModuleEntry m : task.modules()) {
        if (m.layer() == layer && m.site().equals(site.id())) {
          String p = TensorNames.module(task.name(), m.module());
          Activation act = Activation.byId(m.activation());
          return AdapterOps.bottleneck(tf, x, matrix(w.get(p + TensorNames.DOWN_W)), vector(w.get(p + TensorNames.DOWN_B)),
              matrix(w.get(p + TensorNames.UP_W)), vector(w.get(p + TensorNames.UP_B)), d -> AdapterOps.activate(tf, act, d));
        }
      }
      return null;
    }

    private Operand<TFloat32> matrix(WeightFile.Tensor t) {
      return tf.constant(Shape.of(t.shape()[0], t.shape()[1]), DataBuffers.of(t.values(), true, false));
    }

    private Operand<TFloat32> vector(WeightFile.Tensor t) {
      return tf.constant(Shape.of(t.shape()[0]), DataBuffers.of(t.values(), true, false));
    }
  }

  /** Head outputs (logits, or the score in column 0) for already encoded rows. */
  public float[][] outputs(List<Encoded> rows) {
    TokenBatch b = TokenBatch.pad(rows, backbone.padId());
    Shape s = Shape.of(b.batch(), b.length());
    try (TInt32 ids = TInt32.tensorOf(s, DataBuffers.of(b.ids(), true, false));
         TInt32 types = TInt32.tensorOf(s, DataBuffers.of(b.typeIds(), true, false));
         TInt32 mask = TInt32.tensorOf(s, DataBuffers.of(b.mask(), true, false));
         Result r = session.runner().feed(encoder.ids(), ids).feed(encoder.typeIds(), types)
             .feed(encoder.mask(), mask).fetch(logits).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      int outs = (int) t.shape().get(1);
      float[] flat = io.slaft.model.runtime.TensorData.floats(t);
      float[][] out = new float[rows.size()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = java.util.Arrays.copyOfRange(flat, i * outs, (i + 1) * outs);
      }
      return out;
    }
  }

  /**
   * A prediction: the label (or the score as text for regression), its score (the winning class's
   * probability, or the regression output), and every class's probability by label, in class order
   * (empty for regression).
   */
  public record Prediction(String label, double score, Map<String, Double> probabilities) {}

  /** Tokenizes and predicts texts; each row is {text} or {text, pair}. */
  public List<Prediction> predict(List<String[]> texts) {
    List<Encoded> enc = new ArrayList<>();
    for (String[] t : texts) {
      enc.add(encode(t[0], t.length > 1 ? t[1] : null));
    }
    return predictEncoded(enc);
  }

  /** {@code text} (and {@code pair}, or {@code null}) tokenized as this model's backbone does. */
  public Encoded encode(String text, String pair) {
    return backbone.tokenizer().encode(text, pair);
  }

  /** Predicts already tokenized rows (one batch, padded to its longest row). */
  public List<Prediction> predictEncoded(List<Encoded> rows) {
    List<Prediction> out = new ArrayList<>();
    if (rows.isEmpty()) {
      return out;
    }
    for (float[] row : outputs(rows)) {
      if (task.regression()) {
        out.add(new Prediction(String.format(java.util.Locale.ROOT, "%.4f", row[0]), row[0], Map.of()));
        continue;
      }
      int arg = 0;
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < row.length; k++) {
        if (row[k] > max) {
          max = row[k];
          arg = k;
        }
      }
      double sum = 0;
      for (float v : row) {
        sum += Math.exp(v - max);
      }
      int classes = Math.min(row.length, Math.max(1, task.labels().size()));
      Map<String, Double> probs = new java.util.LinkedHashMap<>();
      for (int k = 0; k < classes; k++) {
        probs.put(labelOf(k), Math.exp(row[k] - max) / sum);
      }
      out.add(new Prediction(labelOf(arg), 1.0 / sum, java.util.Collections.unmodifiableMap(probs)));
    }
    return out;
  }

  /** The name of class {@code k}: its label, or the index for a class the export names no label for. */
  private String labelOf(int k) {
    return k < task.labels().size() ? task.labels().get(k) : Integer.toString(k);
  }

  public ExportManifest.TaskEntry task() {
    return task;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
