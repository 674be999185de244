package io.slaft.transforms.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Carves a validation set out of a task's training rows: a seeded, stratified fraction, capped at a
 * number of rows. Every choice a training run makes (best step, early stopping, settings) is made on
 * it, so the official dev set can be reported once without having been looked at.
 *
 * <p>The rule, declared here once: {@code n = min(cap, round(fraction × rows))}, at least 1 and at
 * most {@code rows − 1}. Strata are the class labels of a classification task and five equal-count
 * score bins of a regression task (ties by line). Each stratum gets its share of {@code n} by
 * largest remainder (ties to the larger, then the earlier stratum), and within a stratum the rows
 * with the smallest {@link #rank seeded rank} of their line number are held out. A row's rank
 * depends only on the seed and its line, so the split does not depend on the order rows were read
 * in (a Beam prepare stage and a direct read give the same split). Both parts keep the input order.
 */
public final class HeldOut {
  /** Score bins a regression task is stratified by. */
  static final int REGRESSION_BINS = 5;

  private HeldOut() {}

  /**
   * The training rows and the held-out validation rows.
   *
   * @param train rows left for training, in input order
   * @param validation held-out rows, in input order
   */
  public record Parts(List<Example> train, List<Example> validation) {
    public Parts {
      train = List.copyOf(train);
      validation = List.copyOf(validation);
    }
  }

  /**
   * Splits {@code rows} as the class documentation says.
   *
   * @param fraction in (0, 1)
   * @param cap at least 1
   * @throws IllegalArgumentException when the fraction or cap is out of range, or there are fewer
   *     than two rows (nothing can be both trained on and held out)
   */
  public static Parts split(List<Example> rows, double fraction, int cap, long seed) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + fraction);
    }
    if (cap < 1) {
      throw new IllegalArgumentException("validation cap must be at least 1, got " + cap);
    }
    if (rows.size() < 2) {
      throw new IllegalArgumentException("cannot hold validation rows out of " + rows.size() + " training row"
          + (rows.size() == 1 ? "" : "s") + ": at least 2 are needed");
    }
    int n = size(rows.size(), fraction, cap);
    Map<Integer, List<Example>> strata = strata(rows);
    Map<Integer, Integer> quota = quotas(strata, rows.size(), n);
    java.util.Set<Example> held = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (Map.Entry<Integer, List<Example>> s : strata.entrySet()) {
      List<Example> members = new ArrayList<>(s.getValue());
      members.sort(byRank(seed));
      held.addAll(members.subList(0, quota.get(s.getKey())));
    }
    List<Example> train = new ArrayList<>(rows.size() - n);
    List<Example> validation = new ArrayList<>(n);
    for (Example e : rows) {
      (held.contains(e) ? validation : train).add(e);
    }
    return new Parts(train, validation);
  }

  /**
   * A seeded sample of {@code n} of {@code rows} (all of them when there are no more than {@code
   * n}): the rows with the {@code n} smallest {@link #rank seeded ranks} of their line numbers, in
   * input order. Like the split, it depends only on the seed and the lines, not on read order.
   *
   * @throws IllegalArgumentException when {@code n} is below 1
   */
  public static List<Example> sample(List<Example> rows, int n, long seed) {
    if (n < 1) {
      throw new IllegalArgumentException("sample size must be at least 1, got " + n);
    }
    if (rows.size() <= n) {
      return List.copyOf(rows);
    }
    List<Example> byRank = new ArrayList<>(rows);
    byRank.sort(byRank(seed));
    java.util.Set<Example> kept = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    kept.addAll(byRank.subList(0, n));
    return rows.stream().filter(kept::contains).toList();
  }

  /** How many of {@code rows} are held out: {@code min(cap, round(fraction × rows))}, within [1, rows − 1]. */
  public static int size(int rows, double fraction, int cap) {
    long n = Math.min(cap, Math.round(fraction * rows));
    return (int) Math.max(1, Math.min(rows - 1L, n));
  }

  /** Rows in order of their {@link #rank seeded rank} (ties, which a 64-bit mix makes rare, by line). */
  private static Comparator<Example> byRank(long seed) {
    return Comparator.comparingLong((Example e) -> rank(seed, e.line())).thenComparingLong(Example::line);
  }

  /** The seeded rank of a line: a 64-bit mix of seed and line (SplitMix64's finalizer). */
  static long rank(long seed, long line) {
    long z = seed * 0x9E3779B97F4A7C15L + line * 0xD1B54A32D192ED03L + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Strata in a fixed order: labels ascending; regression bins 0.. by score. */
  private static Map<Integer, List<Example>> strata(List<Example> rows) {
    Map<Integer, List<Example>> strata = new java.util.TreeMap<>();
    if (rows.get(0).isRegression()) {
      List<Example> byScore = new ArrayList<>(rows);
      byScore.sort(Comparator.comparingDouble(Example::score).thenComparingLong(Example::line));
      for (int i = 0; i < byScore.size(); i++) {
        strata.computeIfAbsent((int) ((long) i * REGRESSION_BINS / byScore.size()), k -> new ArrayList<>()).add(byScore.get(i));
      }
    } else {
      for (Example e : rows) {
        strata.computeIfAbsent(e.label(), k -> new ArrayList<>()).add(e);
      }
    }
    return strata;
  }

  /** Each stratum's share of {@code n} by largest remainder; never more than the stratum has. */
  private static Map<Integer, Integer> quotas(Map<Integer, List<Example>> strata, int rows, int n) {
    Map<Integer, Integer> quota = new LinkedHashMap<>();
    List<Integer> order = new ArrayList<>(strata.keySet());
    int given = 0;
    for (int k : order) {
      int q = (int) ((long) n * strata.get(k).size() / rows);
      quota.put(k, q);
      given += q;
    }
    order.sort(Comparator.comparingLong((Integer k) -> -(((long) n * strata.get(k).size()) % rows))
        .thenComparingInt(k -> -strata.get(k).size()));
    for (int i = 0; given < n; i = (i + 1) % order.size()) {
      int k = order.get(i);
      if (quota.get(k) < strata.get(k).size()) {
        quota.put(k, quota.get(k) + 1);
        given++;
      }
    }
    return quota;
  }
}
