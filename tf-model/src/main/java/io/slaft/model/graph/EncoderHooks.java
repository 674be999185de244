package io.slaft.model.graph;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Insertion points of the encoder graph. {@link BertEncoderGraph} calls each hook while it builds
 * a layer; the defaults change nothing, so {@link #NONE} gives the frozen backbone. All tensors
 * are 2-D {@code [tokens, hidden]} (batch and time folded together) unless stated.
 */
public interface EncoderHooks {
  EncoderHooks NONE = new EncoderHooks() {};

  /**
   * The projections of a layer whose bias {@link #biasDelta} is asked for, in graph order; every
   * one but {@code intermediate} (which is {@code intermediate} wide) is {@code hidden} wide.
   */
  java.util.List<String> BIAS_ROLES =
      java.util.List.of("query", "key", "value", "attention_output", "intermediate", "output");

  /** Added to the query projection of {@code layer} (LoRA site); {@code null} for nothing. */
  default Operand<TFloat32> queryDelta(Ops tf, int layer, Operand<TFloat32> input) {
    return null;
  }

  /** Added to the value projection of {@code layer} (LoRA site); {@code null} for nothing. */
  default Operand<TFloat32> valueDelta(Ops tf, int layer, Operand<TFloat32> input) {
    return null;
  }

  /** Key/value positions prepended to {@code layer}'s attention (prefix-tuning), or {@code null} for none. */
  default AttentionPrefix prefix(Ops tf, int layer) {
    return null;
  }

  /** Rewrites the attention output projection before residual and LayerNorm (series adapter site). */
  default Operand<TFloat32> afterAttention(Ops tf, int layer, Operand<TFloat32> attnOut) {
    return attnOut;
  }

  /**
   * Rewrites the FFN output before residual and LayerNorm; {@code ffnInput} is the FFN's input
   * (series adapter site after the FFN, parallel adapter site beside it).
   */
  default Operand<TFloat32> afterFfn(Ops tf, int layer, Operand<TFloat32> ffnInput, Operand<TFloat32> ffnOut) {
    return ffnOut;
  }

  /** Rewrites the embedding output (after its LayerNorm), e.g. to inject noise. */
  default Operand<TFloat32> afterEmbeddings(Ops tf, Operand<TFloat32> embeddings) {
    return embeddings;
  }

  /** Rewrites a layer's output hidden states, e.g. to inject noise. */
  default Operand<TFloat32> afterLayer(Ops tf, int layer, Operand<TFloat32> hidden) {
    return hidden;
  }

  /**
   * The tensor used for the frozen backbone weight {@code name} (e.g. {@code emb.word},
   * {@code l3.query.w}, {@code l3.ffn_norm.gamma}); {@code null} keeps the constant. Full
   * fine-tuning returns a trainable input here.
   */
  default Operand<TFloat32> weight(Ops tf, String name, Shape shape, float[] values) {
    return null;
  }

  /**
   * Called once before the first layer with the attention mask as float {@code [batch, length]}
   * (1 = token, 0 = padding), for hooks that pool per example.
   */
  default void onMask(Ops tf, Operand<TFloat32> mask) {}

  /**
   * Bias tuning (BitFit, or a gated bias module): a delta added to the frozen bias of projection
   * {@code role} (one of {@link #BIAS_ROLES}), or {@code null}.
   */
  default Operand<TFloat32> biasDelta(Ops tf, int layer, String role) {
    return null;
  }
}
