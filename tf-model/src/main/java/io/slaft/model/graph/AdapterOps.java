package io.slaft.model.graph;

import io.slaft.model.adapters.Activation;
import java.util.function.UnaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The adapter arithmetic the training graph and the compact inference model share: a bottleneck
 * module ({@link #bottleneck}: down-projection, the middle, up-projection), LoRA's low-rank update
 * ({@link #lowRank}), a prefix module's keys and values ({@link #prefixKeyValues}), the dense projection
 * {@code x @ W + b}, and each candidate activation. Both sides build their modules from these (and
 * place them with {@link AdapterSites}), so a kept module computes the same function in training
 * and in an export ({@code ExportParityTest} checks the whole model).
 */
public final class AdapterOps {
  private AdapterOps() {}

  /**
   * A bottleneck module {@code up(middle(down(x)))}: {@code middle} is the activation (the compact
   * model's fixed one; in training the mix of candidates times the channel gates).
   */
  public static Operand<TFloat32> bottleneck(Ops tf, Operand<TFloat32> x, Operand<TFloat32> downW,
      Operand<TFloat32> downB, Operand<TFloat32> upW, Operand<TFloat32> upB, UnaryOperator<Operand<TFloat32>> middle) {
    return dense(tf, middle.apply(dense(tf, x, downW, downB)), upW, upB);
  }

  /** The low-rank update {@code (x @ a) @ b} of a LoRA module ({@code a [in, r]}, {@code b [r, out]}). */
  public static Operand<TFloat32> lowRank(Ops tf, Operand<TFloat32> x, Operand<TFloat32> a, Operand<TFloat32> b) {
    return tf.linalg.matMul(tf.linalg.matMul(x, a), b);
  }

  /**
   * The low-rank update times the scalar {@code scale}, applied to the rank-r middle: {@code ((x @ a) · scale) @ b}
   * (the same function as scaling the {@code [tokens, out]} update, at a fraction of the cost).
   */
  public static Operand<TFloat32> lowRank(Ops tf, Operand<TFloat32> x, Operand<TFloat32> a, Operand<TFloat32> b,
      Operand<TFloat32> scale) {
    return tf.linalg.matMul(tf.math.mul(tf.linalg.matMul(x, a), scale), b);
  }

  /**
   * A prefix module's reparameterisation: {@code tanh(emb @ w1 + b1)}, then {@code @ wk + bk} for the
   * keys and {@code @ wv + bv} for the values ({@code [prefix_length, hidden]} each). Training runs it
   * every step; the export runs it once and keeps only the result.
   *
   * @return keys, then values
   */
  public static java.util.List<Operand<TFloat32>> prefixKeyValues(Ops tf, Operand<TFloat32> emb, Operand<TFloat32> w1,
      Operand<TFloat32> b1, Operand<TFloat32> wk, Operand<TFloat32> bk, Operand<TFloat32> wv, Operand<TFloat32> bv) {
    Operand<TFloat32> hidden = tf.math.tanh(dense(tf, emb, w1, b1));
    return java.util.List.of(dense(tf, hidden, wk, bk), dense(tf, hidden, wv, bv));
  }

  /**
   * AdapterFusion (Pfeiffer et al., 2021) over the source adapters' outputs {@code adapters} (each
   * {@code [tokens, hidden]}, computed from {@code x}): per token, query {@code q = x Wq + bq}, keys
   * {@code k_n = a_n Wk + bk}, weights {@code softmax_n(q . k_n)}, and the weighted sum of the
   * adapters' outputs times {@code value} ({@code [hidden, hidden]}; the value projection is linear,
   * so it is applied once, after mixing).
   */
  public static Operand<TFloat32> fusion(Ops tf, Operand<TFloat32> x, java.util.List<Operand<TFloat32>> adapters,
      Operand<TFloat32> queryW, Operand<TFloat32> queryB, Operand<TFloat32> keyW, Operand<TFloat32> keyB,
      Operand<TFloat32> value) {
    Operand<TFloat32> q = dense(tf, x, queryW, queryB);
    Operand<TFloat32> stacked = tf.stack(adapters, org.tensorflow.op.core.Stack.axis(1L)); // [tokens, n, hidden]
    Operand<org.tensorflow.types.TInt32> flat = tf.constant(new int[] {-1, (int) keyW.shape().size(0)});
    Operand<TFloat32> keys = tf.reshape(dense(tf, tf.reshape(stacked, flat), keyW, keyB), tf.shape(stacked));
    Operand<TFloat32> scores = tf.reduceSum(tf.math.mul(keys, tf.expandDims(q, tf.constant(1))), tf.constant(2));
    Operand<TFloat32> weights = tf.nn.softmax(scores); // [tokens, n]
    Operand<TFloat32> mixed = tf.reduceSum(tf.math.mul(stacked, tf.expandDims(weights, tf.constant(2))), tf.constant(1));
    return tf.linalg.matMul(mixed, value);
  }

  /** {@code x @ w + b}. */
  public static Operand<TFloat32> dense(Ops tf, Operand<TFloat32> x, Operand<TFloat32> w, Operand<TFloat32> b) {
    return tf.math.add(tf.linalg.matMul(x, w), b);
  }

  /** The activation {@code a} applied to {@code x} (GELU is the exact erf form of the backbone). */
  public static Operand<TFloat32> activate(Ops tf, Activation a, Operand<TFloat32> x) {
    return switch (a) {
      case RELU -> tf.nn.relu(x);
      case GELU -> BertEncoderGraph.gelu(tf, x);
      case SILU -> tf.math.mul(x, tf.math.sigmoid(x));
      case IDENTITY -> x;
    };
  }
}
