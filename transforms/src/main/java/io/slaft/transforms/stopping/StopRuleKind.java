package io.slaft.transforms.stopping;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The early-stopping rules of a sweep ({@code sweep.early_stop}). Each compares a point's score at a rung
 * (higher is better) with the scores the other points reported at that rung and gives the cutoff below
 * which the point stops. NaN scores (a diverged run) count as worse than every number.
 */
public enum StopRuleKind {
  /** Never stops a point. */
  NONE("none"),
  /** The median stopping rule (Vizier, Katib): stop below the median of the other points at the rung. */
  MEDIAN("median"),
  /**
   * Asynchronous successive halving (ASHA, Li et al. 2020, as Ray Tune's {@code AsyncHyperBandScheduler}):
   * stop below the {@code (1 - 1/η)} quantile of the other points at the rung, so about the top 1/η go on.
   */
  ASHA("asha");

  private final String id;

  StopRuleKind(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public static StopRuleKind byId(String id) {
    for (StopRuleKind k : values()) {
      if (k.id.equals(id.toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown early-stopping rule '" + id + "'; one of "
        + Arrays.stream(values()).map(StopRuleKind::id).toList());
  }

  /**
   * The score below which a point stops, given the {@code others}' scores at the same rung (NaN ones
   * included as the lowest), or empty when this rule never stops or there are no others.
   *
   * @param reductionFactor ASHA's η (at least 2)
   */
  public OptionalDouble cutoff(List<Double> others, int reductionFactor) {
    if (this == NONE || others.isEmpty()) {
      return OptionalDouble.empty();
    }
    double[] v = others.stream().mapToDouble(d -> Double.isNaN(d) ? Double.NEGATIVE_INFINITY : d).sorted().toArray();
    double q = this == MEDIAN ? 0.5 : 1.0 - 1.0 / reductionFactor;
    return OptionalDouble.of(quantile(v, q));
  }

  /** Whether {@code score} falls below {@code cutoff} (NaN always does). */
  public static boolean below(double score, double cutoff) {
    return Double.isNaN(score) || score < cutoff;
  }

  /** The {@code q} quantile of sorted {@code v} with linear interpolation between ranks (numpy's default). */
  static double quantile(double[] v, double q) {
    double pos = q * (v.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    if (lo == hi || v[lo] == v[hi]) {
      return v[lo];
    }
    if (Double.isInfinite(v[lo])) {
      return v[lo]; // between a diverged point and a number: cut nothing rather than guess
    }
    return v[lo] + (pos - lo) * (v[hi] - v[lo]);
  }
}
