package io.slaft.transforms.perturb;

import java.io.Serializable;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A token perturbation bound to a ratio and a global seed. Each sequence is perturbed with
 * {@link ExampleRandom#of ExampleRandom.of(seed, perturbation name, example key, 0)}; a sentence
 * pair is one sequence ({@code [CLS] a [SEP] b [SEP]}), so both sides are perturbed and the special
 * tokens between them are kept. Determinism and nesting across ratios are as for
 * {@link TextPerturber}. Immutable and thread-safe.
 *
 * @param perturbation the perturbation
 * @param ratio fraction of eligible positions to change, in [0, 1]
 * @param seed the global seed
 */
public record TokenPerturber(TokenPerturbation perturbation, double ratio, long seed)
    implements Serializable {

  /**
   * Validates the configuration.
   *
   * @throws IllegalArgumentException if {@code ratio} is outside [0, 1]
   */
  public TokenPerturber {
    Objects.requireNonNull(perturbation, "perturbation");
    Units.checkRatio(ratio);
  }

  /** Resolves {@code name} through {@link Perturbations#token(String, TokenVocabulary)}. */
  public static TokenPerturber of(
      String name, TokenVocabulary vocabulary, double ratio, long seed) {
    return new TokenPerturber(Perturbations.token(name, vocabulary), ratio, seed);
  }

  /** Perturbs the ids of example {@code exampleKey}; see {@link TokenPerturbation}. */
  public int[] apply(String exampleKey, int[] ids, int[] attentionMask) {
    return perturbation.apply(ids, attentionMask, ratio, random(exampleKey));
  }

  /** Perturbs the first {@code length} ids of example {@code exampleKey}. */
  public int[] apply(String exampleKey, int[] ids, int length) {
    return perturbation.apply(ids, length, ratio, random(exampleKey));
  }

  private SplittableRandom random(String exampleKey) {
    return ExampleRandom.of(seed, perturbation.name(), exampleKey, 0);
  }
}
