package io.slaft.model.eval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics tasks are scored by, for GLUE tasks and a config's own tasks alike: accuracy; F1 of
 * class 1 (MRPC, QQP); macro-averaged F1; Matthews correlation (CoLA; multi-class); Pearson and
 * Spearman correlation (STS-B). {@link #classification} and {@link #regression} return a task's
 * metric map for its {@link MetricKind}, primary metric first. All pure functions; predictions
 * and gold labels are class indices ({@code >= 0}) or scores.
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

  /**
   * F1 of the positive class, class index {@code 1} (for a task's labels: the second label in
   * label order): {@code 2·tp / (2·tp + fp + fn)}; 0 when there are no true positives (also when
   * class 1 is never predicted or never occurs).
   */
  public static double f1(int[] pred, int[] gold) {
    check(pred.length, gold.length);
    return f1Of(1, pred, gold);
  }

  /**
   * Macro-averaged F1: the unweighted mean of the per-class F1 ({@code 2·tp / (2·tp + fp + fn)})
   * over the classes that occur in {@code gold} or in {@code pred}; a class that occurs but is
   * never predicted correctly counts 0, a class in neither is left out (its F1 is undefined), as in
   * scikit-learn's {@code f1_score(average="macro")} without an explicit label list.
   */
  public static double macroF1(int[] pred, int[] gold) {
    check(pred.length, gold.length);
    int classes = classes(pred, gold);
    boolean[] present = new boolean[classes];
    for (int i = 0; i < pred.length; i++) {
      present[pred[i]] = true;
      present[gold[i]] = true;
    }
    double sum = 0;
    int n = 0;
    for (int k = 0; k < classes; k++) {
      if (present[k]) {
        sum += f1Of(k, pred, gold);
        n++;
      }
    }
    return sum / n;
  }

  private static double f1Of(int positive, int[] pred, int[] gold) {
    int tp = 0;
    int fp = 0;
    int fn = 0;
    for (int i = 0; i < pred.length; i++) {
      if (pred[i] == positive && gold[i] == positive) {
        tp++;
      } else if (pred[i] == positive) {
        fp++;
      } else if (gold[i] == positive) {
        fn++;
      }
    }
    return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
  }

  /**
   * Matthews correlation coefficient for any number of classes, Gorodkin's R_K (2004): with
   * {@code s} examples, {@code c} correct, {@code t_k} examples of class k and {@code p_k}
   * predictions of class k, {@code (c·s − Σ p_k·t_k) / sqrt((s² − Σ p_k²)(s² − Σ t_k²))}. For two
   * classes it is the binary MCC {@code (tp·tn − fp·fn) / sqrt((tp+fp)(tp+fn)(tn+fp)(tn+fn))}. 0
   * when undefined (every prediction, or every gold label, is one class).
   */
  public static double matthews(int[] pred, int[] gold) {
    check(pred.length, gold.length);
    int classes = classes(pred, gold);
    double[] t = new double[classes];
    double[] p = new double[classes];
    double correct = 0;
    for (int i = 0; i < pred.length; i++) {
      t[gold[i]]++;
      p[pred[i]]++;
      correct += pred[i] == gold[i] ? 1 : 0;
    }
    double s = pred.length;
    double pt = 0;
    double pp = 0;
    double tt = 0;
    for (int k = 0; k < classes; k++) {
      pt += p[k] * t[k];
      pp += p[k] * p[k];
      tt += t[k] * t[k];
    }
    double den = Math.sqrt(s * s - pp) * Math.sqrt(s * s - tt);
    return den == 0 ? 0 : (correct * s - pt) / den;
  }

  /** One more than the largest class index in either array. */
  private static int classes(int[] pred, int[] gold) {
    int max = 0;
    for (int i = 0; i < pred.length; i++) {
      if (pred[i] < 0 || gold[i] < 0) {
        throw new IllegalArgumentException("class indices must be >= 0, got " + Math.min(pred[i], gold[i]) + " at " + i);
      }
      max = Math.max(max, Math.max(pred[i], gold[i]));
    }
    return max + 1;
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

  /**
   * The metrics of a classification task scored by {@code kind}: the primary metric first, then
   * accuracy (accuracy alone for {@link MetricKind#ACCURACY}).
   *
   * @throws IllegalArgumentException when {@code kind} is a regression metric, or the arrays are
   *     empty or differ in size
   */
  public static Map<String, Double> classification(MetricKind kind, int[] pred, int[] gold) {
    if (kind.isRegression()) {
      throw new IllegalArgumentException(kind.id() + " is not a classification metric");
    }
    Map<String, Double> m = new LinkedHashMap<>();
    switch (kind) {
      case F1 -> m.put(kind.id(), f1(pred, gold));
      case MACRO_F1 -> m.put(kind.id(), macroF1(pred, gold));
      case MATTHEWS -> m.put(kind.id(), matthews(pred, gold));
      default -> { }
    }
    m.put(MetricKind.ACCURACY.id(), accuracy(pred, gold));
    return m;
  }

  /**
   * The metrics of a regression task scored by {@code kind}: the primary correlation first, then
   * the other one.
   *
   * @throws IllegalArgumentException when {@code kind} is a classification metric, or the arrays
   *     are empty or differ in size
   */
  public static Map<String, Double> regression(MetricKind kind, float[] pred, float[] gold) {
    if (!kind.isRegression()) {
      throw new IllegalArgumentException(kind.id() + " is not a regression metric");
    }
    double pearson = pearson(pred, gold);
    double spearman = spearman(pred, gold);
    Map<String, Double> m = new LinkedHashMap<>();
    if (kind == MetricKind.SPEARMAN) {
      m.put(MetricKind.SPEARMAN.id(), spearman);
      m.put(MetricKind.PEARSON.id(), pearson);
    } else {
      m.put(MetricKind.PEARSON.id(), pearson);
      m.put(MetricKind.SPEARMAN.id(), spearman);
    }
    return m;
  }

  private static void check(int a, int b) {
    if (a != b || a == 0) {
      throw new IllegalArgumentException("predictions and labels must be non-empty and equal in size: " + a + " vs " + b);
    }
  }
}
