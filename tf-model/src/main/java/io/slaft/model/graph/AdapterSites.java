package io.slaft.model.graph;

import io.slaft.model.adapters.Site;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Where the bottleneck sites sit in a layer, written once for the training graph and the compact
 * inference model: {@link Site#ATTN} reads the attention output projection and adds to it (before
 * residual and LayerNorm); {@link Site#FFN} reads the FFN output and adds to it; {@link
 * Site#PARALLEL} reads the FFN input and adds to the FFN output; {@link Site#FUSION} reads the FFN
 * output and adds to it (serial first, then parallel, then fusion).
 * Subclasses say what a module computes ({@link #bottleneck}); which modules exist is theirs too.
 */
public abstract class AdapterSites implements EncoderHooks {
  /**
   * The output of the bottleneck module at {@code layer} / {@code site} for {@code input}, gates
   * and scaling included, or {@code null} when there is no module there.
   */
  protected abstract Operand<TFloat32> bottleneck(int layer, Site site, Operand<TFloat32> input);

  /**
   * The output of the {@link Site#FUSION} module at {@code layer} for the FFN output {@code ffnOut}
   * (added to it after the serial and parallel adapters), or {@code null} when there is none.
   */
  protected Operand<TFloat32> fusion(int layer, Operand<TFloat32> ffnOut) {
    return null;
  }

  @Override
  public final Operand<TFloat32> afterAttention(Ops tf, int layer, Operand<TFloat32> attnOut) {
    Operand<TFloat32> d = bottleneck(layer, Site.ATTN, attnOut);
    return d == null ? attnOut : tf.math.add(attnOut, d);
  }

  @Override
  public final Operand<TFloat32> afterFfn(Ops tf, int layer, Operand<TFloat32> ffnInput, Operand<TFloat32> ffnOut) {
    Operand<TFloat32> out = ffnOut;
    Operand<TFloat32> serial = bottleneck(layer, Site.FFN, ffnOut);
    if (serial != null) {
      out = tf.math.add(out, serial);
    }
    Operand<TFloat32> parallel = bottleneck(layer, Site.PARALLEL, ffnInput);
    if (parallel != null) {
      out = tf.math.add(out, parallel);
    }
    Operand<TFloat32> fused = fusion(layer, ffnOut);
    if (fused != null) {
      out = tf.math.add(out, fused);
    }
    return out;
  }
}
