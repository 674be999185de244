package io.slaft.model.eval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GLUE metric conventions: accuracy; F1 (positive class 1) with accuracy for MRPC and QQP;
 * Matthews correlation for CoLA; Pearson and Spearman correlation for STS-B. All pure functions.
 */
public final class GlueMetrics {
  private GlueMetrics() {}

  public static double accuracy(int[] pred, int[] gold) {
    check(pred.length, gold.length);
    int ok = 0;
    for (int i = 0; i < pred.length; i++) {
      ok += pred[i] == gold[i] ? 1 : 0;
    }
    return (double) ok / pred.length;
  }

  /** F1 of the positive class {@code 1}; 0 when there are no true positives. */
  public static double f1(int[] pred, int[] gold) {
    check(pred.length, gold.length);
    int tp = 0;
    int fp = 0;
    int fn = 0;
    for (int i = 0; i < pred.length; i++) {
      if (pred[i] == 1 && gold[i] == 1) {
        tp++;
      } else if (pred[i] == 1) {
        fp++;
      } else if (gold[i] == 1) {
        fn++;
      }
    }
    return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
  }

  /** Matthews correlation coefficient for binary labels; 0 when undefined. */
  public static double matthews(int[] pred, int[] gold) {
    check(pred.length, gold.length);
    double tp = 0;
    double tn = 0;
    double fp = 0;
    double fn = 0;
    for (int i = 0; i < pred.length; i++) {
      if (pred[i] == 1 && gold[i] == 1) {
        tp++;
      } else if (pred[i] == 0 && gold[i] == 0) {
        tn++;
      } else if (pred[i] == 1) {
        fp++;
      } else {
        fn++;
      }
    }
    double den = Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
    return den == 0 ? 0 : (tp * tn - fp * fn) / den;
  }

  public static double pearson(float[] x, float[] y) {
    check(x.length, y.length);
    double mx = 0;
    double my = 0;
    for (int i = 0; i < x.length; i++) {
      mx += x[i];
      my += y[i];
    }
    mx /= x.length;
    my /= y.length;
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxx == 0 || syy == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
  }

  /** Spearman correlation with average ranks for ties. */
  public static double spearman(float[] x, float[] y) {
    return pearson(ranks(x), ranks(y));
  }

  static float[] ranks(float[] v) {
    Integer[] idx = new Integer[v.length];
    for (int i = 0; i < v.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> Float.compare(v[a], v[b]));
    float[] r = new float[v.length];
    int i = 0;
    while (i < v.length) {
      int j = i;
      while (j + 1 < v.length && v[idx[j + 1]] == v[idx[i]]) {
        j++;
      }
      float avg = (i + j) / 2f + 1;
      for (int k = i; k <= j; k++) {
        r[idx[k]] = avg;
      }
      i = j + 1;
    }
    return r;
  }

  /** The metrics GLUE reports for a metric kind, first entry = the task's primary metric. */
  public static Map<String, Double> classification(MetricKind kind, int[] pred, int[] gold) {
    Map<String, Double> m = new LinkedHashMap<>();
    switch (kind) {
      case ACCURACY -> m.put("accuracy", accuracy(pred, gold));
      case F1_ACCURACY -> {
        m.put("f1", f1(pred, gold));
        m.put("accuracy", accuracy(pred, gold));
      }
      case MATTHEWS -> {
        m.put("matthews", matthews(pred, gold));
        m.put("accuracy", accuracy(pred, gold));
      }
      default -> throw new IllegalArgumentException(kind + " is not a classification metric");
    }
    return m;
  }

  public static Map<String, Double> regression(float[] pred, float[] gold) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("pearson", pearson(pred, gold));
    m.put("spearman", spearman(pred, gold));
    return m;
  }

  private static void check(int a, int b) {
    if (a != b || a == 0) {
      throw new IllegalArgumentException("predictions and labels must be non-empty and equal in size: " + a + " vs " + b);
    }
  }
}
