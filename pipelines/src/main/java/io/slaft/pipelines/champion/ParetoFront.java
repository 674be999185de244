package io.slaft.pipelines.champion;

import java.util.ArrayList;
import java.util.List;

/**
 * The non-dominated points of a set, every objective maximised (negate one to minimise it): point a dominates b
 * when a is at least as good on every objective and better on one. Equal points do not dominate each other, so
 * both stay on the front. Objectives must not be NaN.
 */
public final class ParetoFront {
  private ParetoFront() {}

  /** Indexes, in input order, of the points no other point dominates. */
  public static List<Integer> of(List<double[]> objectives) {
    List<Integer> front = new ArrayList<>();
    for (int i = 0; i < objectives.size(); i++) {
      boolean dominated = false;
      for (int j = 0; j < objectives.size() && !dominated; j++) {
        dominated = j != i && dominates(objectives.get(j), objectives.get(i));
      }
      if (!dominated) {
        front.add(i);
      }
    }
    return front;
  }

  /** Whether {@code a} dominates {@code b}. */
  public static boolean dominates(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("points of " + a.length + " and " + b.length + " objectives");
    }
    boolean better = false;
    for (int k = 0; k < a.length; k++) {
      if (Double.isNaN(a[k]) || Double.isNaN(b[k])) {
        throw new IllegalArgumentException("an objective is NaN");
      }
      if (a[k] < b[k]) {
        return false;
      }
      better |= a[k] > b[k];
    }
    return better;
  }
}
