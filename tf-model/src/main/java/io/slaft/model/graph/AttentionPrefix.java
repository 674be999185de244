package io.slaft.model.graph;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Extra key/value positions of one layer's attention (prefix-tuning): every query also attends to
 * these {@code length} keys and mixes in their values, none of them masked. {@code logitBias}, when
 * given, is added to the prefix's attention logits (a module gate {@code z} enters as {@code log z},
 * which scales the prefix's share of the softmax by {@code z}: {@code z = 0} removes it exactly).
 *
 * @param keys {@code [length, hidden]} in the key projection's space (after bias)
 * @param values {@code [length, hidden]} in the value projection's space (after bias)
 * @param length number of prefix positions
 * @param logitBias scalar added to every prefix logit, or {@code null}
 */
public record AttentionPrefix(Operand<TFloat32> keys, Operand<TFloat32> values, int length, Operand<TFloat32> logitBias) {
  public AttentionPrefix {
    java.util.Objects.requireNonNull(keys, "keys");
    java.util.Objects.requireNonNull(values, "values");
    if (length <= 0) {
      throw new IllegalArgumentException("prefix length must be > 0, got " + length);
    }
  }
}
