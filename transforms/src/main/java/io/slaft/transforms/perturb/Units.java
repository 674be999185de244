package io.slaft.transforms.perturb;

import java.util.SplittableRandom;

/** Ratio validation, unit counting and position selection shared by all perturbations. */
final class Units {

  private Units() {}

  static double checkRatio(double ratio) {
    if (!(ratio >= 0.0 && ratio <= 1.0)) {
      throw new IllegalArgumentException("ratio must be in [0, 1], got " + ratio);
    }
    return ratio;
  }

  /** {@code round(ratio × units)}, the number of units a ratio asks to change. */
  static int count(double ratio, int units) {
    return (int) Math.round(checkRatio(ratio) * units);
  }

  /**
   * Number of disjoint adjacent swaps for a ratio. Each swap displaces two units, so the target
   * {@code x = ratio × units / 2} is rounded stochastically: {@code floor(x)}, plus one with
   * probability {@code frac(x)} decided by one draw of {@code random}. The expected number of
   * displaced units is exactly {@code ratio × units} and always within 2 of it; for one stream the
   * count never decreases as the ratio grows.
   */
  static int swapPairs(double ratio, int units, SplittableRandom random) {
    double x = checkRatio(ratio) * units / 2.0;
    double whole = Math.floor(x);
    return (int) whole + (x - whole > random.nextDouble() ? 1 : 0);
  }

  /**
   * The first {@code k} elements of a uniformly random permutation of {@code [0, n)}, in draw
   * order. Draws are made front to back, so for one stream the result for {@code k} is a prefix of
   * the result for any larger {@code k}.
   */
  static int[] choose(int n, int k, SplittableRandom random) {
    if (k < 0 || k > n) {
      throw new IllegalArgumentException("k must be in [0, n=" + n + "], got " + k);
    }
    Permutation permutation = new Permutation(n, random);
    int[] chosen = new int[k];
    for (int i = 0; i < k; i++) {
      chosen[i] = permutation.next();
    }
    return chosen;
  }

  /** A uniformly random permutation of {@code [0, n)}, drawn lazily front to back. */
  static final class Permutation {
    private final int[] items;
    private final SplittableRandom random;
    private int next;

    Permutation(int n, SplittableRandom random) {
      this.items = new int[n];
      for (int i = 0; i < n; i++) {
        items[i] = i;
      }
      this.random = random;
    }

    boolean hasNext() {
      return next < items.length;
    }

    int next() {
      int j = next + random.nextInt(items.length - next);
      int item = items[j];
      items[j] = items[next];
      items[next] = item;
      next++;
      return item;
    }
  }
}
