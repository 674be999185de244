package io.slaft.model.graph;

import io.slaft.model.backbone.BackboneConfig;
import io.slaft.model.backbone.BackboneWeights;
import io.slaft.model.backbone.LayerWeights;
import io.slaft.model.backbone.Pooling;
import io.slaft.model.backbone.Precision;
import io.slaft.model.runtime.CpuFeatures;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Builds a BERT-family encoder in a TensorFlow graph with the backbone weights as frozen
 * constants: word + position + token-type embeddings, LayerNorm, masked multi-head attention, FFN
 * with exact (erf) GELU, post-LayerNorm residuals, and CLS or mean pooling. The math follows the
 * HF/ONNX export op for op (mask bias {@code (1 - mask) * -3.4028235e38}, scores divided by
 * {@code sqrt(headDim)}), so outputs match ONNX Runtime to float rounding.
 *
 * <p>Adapters and noise enter through {@link EncoderHooks}. Inputs are placeholders
 * {@code ids}, {@code type_ids}, {@code mask}: int32 {@code [batch, length]}. The frozen
 * projections compute in the {@link Precision} given at build time (fp32 unless told).
 */
public final class BertEncoderGraph {
  private final Ops tf;
  private final BackboneConfig config;
  private final Placeholder<TInt32> ids;
  private final Placeholder<TInt32> typeIds;
  private final Placeholder<TInt32> mask;
  private final Operand<TFloat32> hidden2d;
  private final Operand<TFloat32> hidden3d;
  private final Operand<TFloat32> maskFloat;
  private final EncoderHooks hooks;
  private final Precision precision;
  private final Placeholder<TFloat32> hiddenIn;

  private BertEncoderGraph(Ops tf, BackboneWeights w, EncoderHooks hooks, Precision precision, int from, int to) {
    this.tf = tf;
    this.precision = precision;
    this.config = w.config();
    if (from < 0 || from > to || to > config.layers()) {
      throw new IllegalArgumentException("layers [" + from + ", " + to + ") of a " + config.layers() + "-layer encoder");
    }
    int h = config.hidden();
    ids = tf.withName("ids").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
    typeIds = tf.withName("type_ids").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
    mask = tf.withName("mask").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
    Operand<TInt32> shape = tf.shape(from == 0 ? ids : mask);
    Operand<TInt32> len = tf.gather(shape, tf.constant(1), tf.constant(0));

    this.hooks = hooks;
    Operand<TFloat32> x;
    if (from == 0) {
      hiddenIn = null;
      Operand<TFloat32> word = tf.gather(matrix("emb.word", w.wordEmbeddings(), config.vocabSize(), h), ids, tf.constant(0));
      Operand<TFloat32> type = tf.gather(matrix("emb.type", w.typeEmbeddings(), config.typeVocabSize(), h), typeIds,
          tf.constant(0));
      Operand<TFloat32> positions = tf.gather(matrix("emb.position", w.positionEmbeddings(), config.maxPositions(), h),
          tf.range(tf.constant(0), len, tf.constant(1)), tf.constant(0));
      Operand<TFloat32> emb = tf.math.add(tf.math.add(word, type), positions);
      x = tf.reshape(emb, tf.constant(new int[] {-1, h}));
      x = layerNorm("emb.norm", x, w.embNormGamma(), w.embNormBeta());
      x = hooks.afterEmbeddings(tf, x);
    } else {
      // the output of layer from - 1, computed elsewhere (e.g. once per example and cached)
      hiddenIn = tf.withName("hidden_in").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, h)));
      x = hiddenIn;
    }

    maskFloat = tf.dtypes.cast(mask, TFloat32.class);
    hooks.onMask(tf, maskFloat);
    Operand<TFloat32> maskBias = tf.math.mul(
        tf.math.sub(tf.constant(1f), tf.reshape(maskFloat, tf.stack(List.of(tf.constant(-1), tf.constant(1),
            tf.constant(1), len)))),
        tf.constant(-3.4028234663852886e+38f));
    Operand<TInt32> headShape = tf.stack(List.of(tf.constant(-1), len, tf.constant(config.heads()),
        tf.constant(config.headDim())));
    for (int i = from; i < to; i++) {
      x = layer(i, w.layers().get(i), x, maskBias, headShape, hooks);
      x = hooks.afterLayer(tf, i, x);
    }
    hidden2d = x;
    hidden3d = tf.reshape(x, tf.stack(List.of(tf.constant(-1), len, tf.constant(h))));
  }

  /** Builds the encoder into {@code tf}'s graph, every matmul in fp32. */
  public static BertEncoderGraph build(Ops tf, BackboneWeights weights, EncoderHooks hooks) {
    return build(tf, weights, hooks, Precision.FP32);
  }

  /** Builds the encoder into {@code tf}'s graph, its frozen projections in {@code precision}. */
  public static BertEncoderGraph build(Ops tf, BackboneWeights weights, EncoderHooks hooks, Precision precision) {
    return build(tf, weights, hooks, precision, 0, weights.config().layers());
  }

  /**
   * Builds layers {@code [from, to)} of the encoder. With {@code from} 0 the input is the token
   * placeholders and the embeddings; otherwise it is {@link #hiddenIn()}, the output of layer {@code
   * from - 1} folded to {@code [batch * length, hidden]}, with {@link #mask()} still giving the
   * attention mask and the length. {@link #hidden()} is then the output of layer {@code to - 1}.
   */
  public static BertEncoderGraph build(Ops tf, BackboneWeights weights, EncoderHooks hooks, Precision precision, int from,
      int to) {
    return new BertEncoderGraph(tf, weights, hooks, java.util.Objects.requireNonNull(precision, "precision"), from, to);
  }

  private Operand<TFloat32> layer(int i, LayerWeights l, Operand<TFloat32> x, Operand<TFloat32> maskBias,
      Operand<TInt32> headShape, EncoderHooks hooks) {
    int h = config.hidden();
    Operand<TFloat32> q = dense(i, "query", x, l.query(), l.queryBias(), h, h);
    Operand<TFloat32> qd = hooks.queryDelta(tf, i, x);
    if (qd != null) {
      q = tf.math.add(q, qd);
    }
    Operand<TFloat32> k = dense(i, "key", x, l.key(), l.keyBias(), h, h);
    Operand<TFloat32> v = dense(i, "value", x, l.value(), l.valueBias(), h, h);
    Operand<TFloat32> vd = hooks.valueDelta(tf, i, x);
    if (vd != null) {
      v = tf.math.add(v, vd);
    }
    Operand<TInt32> perm = tf.constant(new int[] {0, 2, 1, 3});
    Operand<TFloat32> q4 = tf.linalg.transpose(tf.reshape(q, headShape), perm);
    Operand<TFloat32> k4 = tf.linalg.transpose(tf.reshape(k, headShape), perm);
    Operand<TFloat32> v4 = tf.linalg.transpose(tf.reshape(v, headShape), perm);
    Operand<TFloat32> scores = tf.train.batchMatMul(q4, k4, TFloat32.class, BatchMatMul.adjY(true));
    Operand<TFloat32> scale = tf.constant((float) Math.sqrt(config.headDim()));
    scores = tf.math.div(scores, scale);
    scores = tf.math.add(scores, maskBias);
    AttentionPrefix prefix = hooks.prefix(tf, i);
    Operand<TFloat32> ctx = prefix == null
        ? tf.train.batchMatMul(tf.nn.softmax(scores), v4, TFloat32.class)
        : attendWithPrefix(q4, scores, v4, prefix, scale, perm);
    ctx = tf.reshape(tf.linalg.transpose(ctx, perm), tf.constant(new int[] {-1, h}));
    Operand<TFloat32> attn = dense(i, "attention_output", ctx, l.attnOut(), l.attnOutBias(), h, h);
    attn = hooks.afterAttention(tf, i, attn);
    Operand<TFloat32> x1 = layerNorm("l" + i + ".attn_norm", tf.math.add(attn, x), l.attnNormGamma(), l.attnNormBeta());
    int f = config.intermediate();
    Operand<TFloat32> inner = gelu(dense(i, "intermediate", x1, l.ffnIn(), l.ffnInBias(), h, f));
    Operand<TFloat32> out = dense(i, "output", inner, l.ffnOut(), l.ffnOutBias(), f, h);
    out = hooks.afterFfn(tf, i, x1, out);
    return layerNorm("l" + i + ".ffn_norm", tf.math.add(out, x1), l.ffnNormGamma(), l.ffnNormBeta());
  }

  /**
   * Attention over the prefix positions and the sequence together: one softmax over both sets of
   * logits, written as two blocks (the prefix's {@code [batch, heads, length, P]} and the
   * sequence's), shifted by their common row maximum, so no concatenation or split is needed.
   * Prefix keys and values are shared by every example ({@code [1, heads, P, headDim]}, broadcast).
   */
  private Operand<TFloat32> attendWithPrefix(Operand<TFloat32> q4, Operand<TFloat32> scores, Operand<TFloat32> v4,
      AttentionPrefix prefix, Operand<TFloat32> scale, Operand<TInt32> perm) {
    Operand<TInt32> prefixShape = tf.constant(new int[] {1, prefix.length(), config.heads(), config.headDim()});
    Operand<TFloat32> pk = tf.linalg.transpose(tf.reshape(prefix.keys(), prefixShape), perm);
    Operand<TFloat32> pv = tf.linalg.transpose(tf.reshape(prefix.values(), prefixShape), perm);
    Operand<TFloat32> prefixScores = tf.math.div(tf.train.batchMatMul(q4, pk, TFloat32.class, BatchMatMul.adjY(true)), scale);
    if (prefix.logitBias() != null) {
      prefixScores = tf.math.add(prefixScores, prefix.logitBias());
    }
    Operand<TInt32> last = tf.constant(3);
    // softmax is shift-invariant: the shift only keeps exp() finite, so it takes no gradient
    Operand<TFloat32> shift = tf.stopGradient(tf.math.maximum(tf.max(prefixScores, last, Max.keepDims(true)),
        tf.max(scores, last, Max.keepDims(true))));
    Operand<TFloat32> ep = tf.math.exp(tf.math.sub(prefixScores, shift));
    Operand<TFloat32> es = tf.math.exp(tf.math.sub(scores, shift));
    Operand<TFloat32> denom = tf.math.add(tf.reduceSum(ep, last, ReduceSum.keepDims(true)),
        tf.reduceSum(es, last, ReduceSum.keepDims(true)));
    return tf.math.add(tf.train.batchMatMul(tf.math.div(es, denom), v4, TFloat32.class),
        tf.train.batchMatMul(tf.math.div(ep, denom), pv, TFloat32.class));
  }

  /** {@code x · W + b} for the projection {@code role} of {@code layer} (weights {@code l<layer>.<role>.w/.b}). */
  private Operand<TFloat32> dense(int layer, String role, Operand<TFloat32> x, float[] w, float[] b, int in, int out) {
    String name = "l" + layer + "." + role;
    Operand<TFloat32> bias = vector(name + ".b", b);
    Operand<TFloat32> biasDelta = hooks.biasDelta(tf, layer, role);
    if (biasDelta != null) {
      bias = tf.math.add(bias, biasDelta);
    }
    Shape shape = Shape.of(in, out);
    Operand<TFloat32> trained = hooks.weight(tf, name + ".w", shape, w);
    if (trained == null && precision == Precision.BF16) {
      return tf.math.add(bf16MatMul(x, shape, w), bias);
    }
    Operand<TFloat32> weight = trained != null ? trained : tf.constant(shape, DataBuffers.of(w, true, false));
    return tf.math.add(tf.linalg.matMul(x, weight), bias);
  }

  /**
   * {@code x · w} in {@link Precision#BF16}: both operands rounded to bfloat16, products accumulated
   * in fp32, the result rounded to bfloat16 and returned as fp32. Where the CPU has native bf16
   * ({@link CpuFeatures#bf16()}) TensorFlow's bf16 kernel (oneDNN) does exactly this; elsewhere its
   * fallback accumulates with less precision (cosine 0.998 to fp32 over MiniLM on an AVX2-only
   * EPYC), so the same arithmetic is spelled out in fp32 on the rounded operands: the same numbers
   * up to summation order, and no speed-up, which is why {@code auto} picks fp32 there.
   */
  private Operand<TFloat32> bf16MatMul(Operand<TFloat32> x, Shape shape, float[] w) {
    if (CpuFeatures.bf16()) {
      return tf.dtypes.cast(tf.linalg.matMul(tf.dtypes.cast(x, TBfloat16.class), bf16Constant(shape, w)), TFloat32.class);
    }
    Operand<TFloat32> xr = tf.dtypes.cast(tf.dtypes.cast(x, TBfloat16.class), TFloat32.class);
    Operand<TFloat32> wr = tf.dtypes.cast(bf16Constant(shape, w), TFloat32.class);
    return tf.dtypes.cast(tf.dtypes.cast(tf.linalg.matMul(xr, wr), TBfloat16.class), TFloat32.class);
  }

  /** A frozen weight rounded to bfloat16 once, at build time. */
  private Operand<TBfloat16> bf16Constant(Shape shape, float[] values) {
    try (TBfloat16 t = TBfloat16.tensorOf(shape, DataBuffers.of(values, true, false))) {
      return tf.constantOf(t);
    }
  }

  /** Exact GELU as exported: {@code x * (1 + erf(x / sqrt 2)) * 0.5}. */
  public static Operand<TFloat32> gelu(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> e = tf.math.erf(tf.math.div(x, tf.constant(1.4142135f)));
    return tf.math.mul(tf.math.mul(x, tf.math.add(e, tf.constant(1f))), tf.constant(0.5f));
  }

  private Operand<TFloat32> gelu(Operand<TFloat32> x) {
    return gelu(tf, x);
  }

  private Operand<TFloat32> layerNorm(String name, Operand<TFloat32> x, float[] gamma, float[] beta) {
    Operand<TInt32> last = tf.constant(-1);
    Operand<TFloat32> mean = tf.math.mean(x, last, Mean.keepDims(true));
    Operand<TFloat32> d = tf.math.sub(x, mean);
    Operand<TFloat32> var = tf.math.mean(tf.math.square(d), last, Mean.keepDims(true));
    Operand<TFloat32> norm = tf.math.div(d, tf.math.sqrt(tf.math.add(var, tf.constant(config.layerNormEps()))));
    return tf.math.add(tf.math.mul(norm, vector(name + ".gamma", gamma)), vector(name + ".beta", beta));
  }

  private Operand<TFloat32> matrix(String name, float[] values, int rows, int cols) {
    return weight(name, Shape.of(rows, cols), values);
  }

  private Operand<TFloat32> vector(String name, float[] values) {
    return weight(name, Shape.of(values.length), values);
  }

  /** The hook's tensor for weight {@code name}, or the frozen constant. */
  private Operand<TFloat32> weight(String name, Shape shape, float[] values) {
    Operand<TFloat32> w = hooks.weight(tf, name, shape, values);
    return w != null ? w : tf.constant(shape, DataBuffers.of(values, true, false));
  }

  /** Pooled sentence vectors {@code [batch, hidden]}. */
  public Operand<TFloat32> pooled(Pooling pooling) {
    if (pooling == Pooling.CLS) {
      return tf.squeeze(tf.slice(hidden3d, tf.constant(new int[] {0, 0, 0}), tf.constant(new int[] {-1, 1, -1})),
          org.tensorflow.op.core.Squeeze.axis(List.of(1L)));
    }
    Operand<TFloat32> m = tf.expandDims(maskFloat, tf.constant(-1));
    Operand<TFloat32> sum = tf.reduceSum(tf.math.mul(hidden3d, m), tf.constant(1));
    Operand<TFloat32> count = tf.math.maximum(tf.reduceSum(m, tf.constant(1)), tf.constant(1e-9f));
    return tf.math.div(sum, count);
  }

  public Placeholder<TInt32> ids() {
    return ids;
  }

  public Placeholder<TInt32> typeIds() {
    return typeIds;
  }

  public Placeholder<TInt32> mask() {
    return mask;
  }

  /** The input of a graph built from a layer above 0 ({@code [batch * length, hidden]}), else {@code null}. */
  public Placeholder<TFloat32> hiddenIn() {
    return hiddenIn;
  }

  /** Last hidden states {@code [batch, length, hidden]}. */
  public Operand<TFloat32> hidden() {
    return hidden3d;
  }

  /** Last hidden states folded to {@code [batch * length, hidden]}. */
  public Operand<TFloat32> hidden2d() {
    return hidden2d;
  }

  public BackboneConfig config() {
    return config;
  }
}
