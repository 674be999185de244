package io.slaft.model.adapters;

/**
 * Solves the shift {@code b} of budget gates so that the expected active parameters meet a
 * budget: {@code Σ_i sigmoid((alpha_i - b) / tau) · n_i = budget}. The left side falls strictly
 * with b, so bisection converges; when the budget is at least the whole pool the shift opens
 * every gate as far as a finite shift can.
 */
public final class BudgetSolver {
  private BudgetSolver() {}

  /**
   * @param alpha gate logits
   * @param sizes parameters behind each gate (> 0)
   * @param budget target active parameters
   * @param tau temperature
   * @return the shift b
   */
  public static double solve(float[] alpha, long[] sizes, double budget, double tau) {
    if (alpha.length != sizes.length || alpha.length == 0) {
      throw new IllegalArgumentException("alpha and sizes must be non-empty and equal in length");
    }
    double lo = -1e3;
    double hi = 1e3;
    for (float a : alpha) {
      lo = Math.min(lo, a - 60 * tau);
      hi = Math.max(hi, a + 60 * tau);
    }
    for (int it = 0; it < 200; it++) {
      double mid = (lo + hi) / 2;
      if (active(alpha, sizes, mid, tau) > budget) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }

  /** Expected active parameters at shift {@code b}. */
  public static double active(float[] alpha, long[] sizes, double b, double tau) {
    double s = 0;
    for (int i = 0; i < alpha.length; i++) {
      s += GateMath.budgetGate(alpha[i], b, tau) * sizes[i];
    }
    return s;
  }
}
