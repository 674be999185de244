package io.slaft.transforms.perturb;

import java.util.SplittableRandom;

/**
 * A perturbation of raw text (character or word level).
 *
 * <p>Callers that need per-example determinism should not build the random stream themselves but
 * use {@link TextPerturber}, which derives it from (global seed, perturbation name, example key).
 */
public interface TextPerturbation extends Perturbation {

  /**
   * Perturbs {@code text}.
   *
   * @param text the input; never null
   * @param ratio fraction of units to change, in [0, 1]
   * @param random the source of randomness; consumed, so pass a fresh stream per call for
   *     reproducible results
   * @return the perturbed text; {@code text} itself at ratio 0
   * @throws IllegalArgumentException if {@code ratio} is outside [0, 1] or not finite
   * @throws NullPointerException if {@code text} or {@code random} is null
   */
  String apply(String text, double ratio, SplittableRandom random);
}
