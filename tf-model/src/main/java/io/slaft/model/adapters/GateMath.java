package io.slaft.model.adapters;

/**
 * Reference (Java) math of every gate family: the values the TensorFlow graph computes, used by
 * the budget solver, by discretization and by tests.
 */
public final class GateMath {
  private GateMath() {}

  public static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /** Sigmoid gate {@code sigmoid(alpha / tau)}. */
  public static double sigmoidGate(double alpha, double tau) {
    return sigmoid(alpha / tau);
  }

  /**
   * Hard-concrete gate for a logistic noise sample {@code eps = log u - log(1 - u)} (0 at
   * evaluation) and temperature {@code beta} (1 at evaluation):
   * {@code clip(sigmoid((alpha + eps) / beta) * (zeta - gamma) + gamma, 0, 1)}.
   */
  public static double hardConcrete(double alpha, double eps, double beta) {
    double s = sigmoid((alpha + eps) / beta);
    return Math.min(1, Math.max(0, s * (SparsityControl.HC_ZETA - SparsityControl.HC_GAMMA) + SparsityControl.HC_GAMMA));
  }

  /** Probability that a hard-concrete gate is non-zero (expected L0): {@code sigmoid(alpha - beta log(-gamma/zeta))}. */
  public static double expectedL0(double alpha) {
    return sigmoid(alpha - SparsityControl.HC_BETA * Math.log(-SparsityControl.HC_GAMMA / SparsityControl.HC_ZETA));
  }

  /** Logistic noise {@code log u - log(1 - u)} for {@code u} in (0, 1). */
  public static double logisticNoise(double u) {
    double c = Math.min(1 - 1e-6, Math.max(1e-6, u));
    return Math.log(c) - Math.log(1 - c);
  }

  /** Budget gate {@code sigmoid((alpha - shift) / tau)}. */
  public static double budgetGate(double alpha, double shift, double tau) {
    return sigmoid((alpha - shift) / tau);
  }
}
