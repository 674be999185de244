package io.slaft.transforms.perturb;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A text perturbation bound to a ratio and a global seed: the unit a Beam {@code DoFn} holds.
 *
 * <p>Each text is perturbed with the stream {@link ExampleRandom#of ExampleRandom.of(seed,
 * perturbation name, example key, segment)}, so the output for an example depends only on (seed,
 * perturbation, ratio, example key, segment, text): not on processing order, parallelism or other
 * examples. The ratio is deliberately not part of the stream, so for one example the units changed
 * at a lower ratio are a subset of those changed at a higher one. Immutable and thread-safe.
 *
 * @param perturbation the perturbation
 * @param ratio fraction of units to change, in [0, 1]
 * @param seed the global seed
 */
public record TextPerturber(TextPerturbation perturbation, double ratio, long seed)
    implements Serializable {

  /**
   * Validates the configuration.
   *
   * @throws IllegalArgumentException if {@code ratio} is outside [0, 1]
   */
  public TextPerturber {
    Objects.requireNonNull(perturbation, "perturbation");
    Units.checkRatio(ratio);
  }

  /** Resolves {@code name} through {@link Perturbations#text(String)}. */
  public static TextPerturber of(String name, double ratio, long seed) {
    return new TextPerturber(Perturbations.text(name), ratio, seed);
  }

  /** Perturbs the single text (segment 0) of the example {@code exampleKey}. */
  public String apply(String exampleKey, String text) {
    return apply(exampleKey, 0, text);
  }

  /** Perturbs segment {@code segment} (0 for the first text of a pair, 1 for the second). */
  public String apply(String exampleKey, int segment, String text) {
    return perturbation.apply(
        text, ratio, ExampleRandom.of(seed, perturbation.name(), exampleKey, segment));
  }

  /**
   * Perturbs every text of one example (a sentence pair has two), each with its own stream; element
   * {@code i} equals {@code apply(exampleKey, i, texts.get(i))}.
   */
  public List<String> applyAll(String exampleKey, List<String> texts) {
    List<String> out = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      out.add(apply(exampleKey, i, texts.get(i)));
    }
    return List.copyOf(out);
  }
}
