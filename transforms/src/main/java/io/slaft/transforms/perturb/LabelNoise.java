package io.slaft.transforms.perturb;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Training-label noise keyed by example, for the data-level robustness and sensitivity studies.
 *
 * <p>Which examples are affected and how depends only on (seed, example key): the examples are
 * ranked by {@link ExampleRandom#seed ExampleRandom.seed(seed, "label-noise", key, 0)}, so
 * permuting the input (keys and labels together) permutes the output the same way, and the examples
 * flipped at a lower ratio are a subset of those flipped at a higher one. Stateless and
 * thread-safe; inputs are never modified.
 */
public final class LabelNoise {

  private static final String RANK_SCOPE = "label-noise";
  private static final String VALUE_SCOPE = "label-noise-value";

  private LabelNoise() {}

  /**
   * Flips exactly {@code round(ratio × n)} class labels, each to a class drawn uniformly from the
   * other {@code numClasses - 1} classes.
   *
   * @param keys distinct example keys, one per label
   * @param labels class indexes in [0, numClasses)
   * @throws IllegalArgumentException if the sizes differ, keys repeat, {@code numClasses < 2}, a
   *     label is out of range, or the ratio is outside [0, 1]
   */
  public static int[] flipClasses(
      List<String> keys, int[] labels, int numClasses, double ratio, long seed) {
    Objects.requireNonNull(labels, "labels");
    Units.checkRatio(ratio);
    checkKeys(keys, labels.length);
    if (numClasses < 2) {
      throw new IllegalArgumentException("numClasses must be at least 2, got " + numClasses);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= numClasses) {
        throw new IllegalArgumentException("label " + labels[i] + " at index " + i
            + " is outside [0, numClasses=" + numClasses + ")");
      }
    }
    int[] out = labels.clone();
    for (int i : ranked(keys, seed, Units.count(ratio, labels.length))) {
      SplittableRandom random = ExampleRandom.of(seed, VALUE_SCOPE, keys.get(i), 0);
      out[i] = (labels[i] + 1 + random.nextInt(numClasses - 1)) % numClasses;
    }
    return out;
  }

  /**
   * Adds Gaussian noise with {@code σ = ratio × (max − min)} to every score and clips the result to
   * [min, max]. Ratio 0 returns a copy of the input.
   *
   * @param keys distinct example keys, one per score
   * @param scores values in [min, max]
   * @throws IllegalArgumentException if the sizes differ, keys repeat, the range is empty or not
   *     finite, a score is outside it, or the ratio is outside [0, 1]
   */
  public static double[] jitterScores(
      List<String> keys, double[] scores, double min, double max, double ratio, long seed) {
    Objects.requireNonNull(scores, "scores");
    Units.checkRatio(ratio);
    checkKeys(keys, scores.length);
    if (!(Double.isFinite(min) && Double.isFinite(max) && min < max)) {
      throw new IllegalArgumentException(
          "score range must be finite with min < max, got [" + min + ", " + max + "]");
    }
    for (int i = 0; i < scores.length; i++) {
      if (!(scores[i] >= min && scores[i] <= max)) {
        throw new IllegalArgumentException("score " + scores[i] + " at index " + i
            + " is outside [" + min + ", " + max + "]");
      }
    }
    double sigma = ratio * (max - min);
    double[] out = scores.clone();
    if (sigma == 0.0) {
      return out;
    }
    for (int i = 0; i < scores.length; i++) {
      SplittableRandom random = ExampleRandom.of(seed, VALUE_SCOPE, keys.get(i), 0);
      out[i] = Math.min(max, Math.max(min, scores[i] + sigma * random.nextGaussian()));
    }
    return out;
  }

  private static int[] ranked(List<String> keys, long seed, int count) {
    long[] rank = new long[keys.size()];
    for (int i = 0; i < rank.length; i++) {
      rank[i] = ExampleRandom.seed(seed, RANK_SCOPE, keys.get(i), 0);
    }
    Comparator<Integer> order = Comparator.<Integer>comparingLong(i -> rank[i])
        .thenComparing(keys::get);
    return IntStream.range(0, rank.length).boxed().sorted(order).limit(count)
        .mapToInt(Integer::intValue).toArray();
  }

  private static void checkKeys(List<String> keys, int n) {
    Objects.requireNonNull(keys, "keys");
    if (keys.size() != n) {
      throw new IllegalArgumentException(
          "need one key per label: " + keys.size() + " keys for " + n + " labels");
    }
    Set<String> seen = new HashSet<>();
    for (String key : keys) {
      if (!seen.add(Objects.requireNonNull(key, "key"))) {
        throw new IllegalArgumentException("example keys must be distinct, '" + key + "' repeats");
      }
    }
  }
}
