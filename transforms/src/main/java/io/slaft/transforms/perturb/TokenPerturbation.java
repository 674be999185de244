package io.slaft.transforms.perturb;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A perturbation of token ids. Positions whose attention-mask entry is 0 and positions holding a
 * protected token of the {@link TokenVocabulary} ([CLS], [SEP], [PAD], reserved ids) are never
 * touched; every other position is a unit.
 */
public interface TokenPerturbation extends Perturbation {

  /** The vocabulary this perturbation samples from and protects. */
  TokenVocabulary vocabulary();

  /**
   * Perturbs {@code ids}; the arrays passed in are not modified.
   *
   * @param ids token ids, each in [0, vocabulary size)
   * @param attentionMask same length as {@code ids}, entries 0 (padding) or 1 (real token)
   * @param ratio fraction of eligible positions to change, in [0, 1]
   * @param random the source of randomness; consumed
   * @return a new array of the same length
   * @throws IllegalArgumentException if the lengths differ, a mask entry is not 0/1, an id is
   *     outside the vocabulary, or the ratio is outside [0, 1]
   */
  int[] apply(int[] ids, int[] attentionMask, double ratio, SplittableRandom random);

  /**
   * Perturbs the first {@code length} positions of {@code ids}; positions from {@code length} on
   * are treated as padding.
   *
   * @throws IllegalArgumentException if {@code length} is outside [0, ids.length], or as
   *     {@link #apply(int[], int[], double, SplittableRandom)}
   */
  default int[] apply(int[] ids, int length, double ratio, SplittableRandom random) {
    if (length < 0 || length > ids.length) {
      throw new IllegalArgumentException(
          "length must be in [0, ids.length=" + ids.length + "], got " + length);
    }
    int[] mask = new int[ids.length];
    Arrays.fill(mask, 0, length, 1);
    return apply(ids, mask, ratio, random);
  }
}
