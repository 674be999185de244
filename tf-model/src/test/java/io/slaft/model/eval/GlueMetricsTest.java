package io.slaft.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GlueMetricsTest {
  @Test
  void accuracyF1MacroF1AndMatthewsByHand() {
    int[] pred = {1, 1, 0, 0, 1, 0};
    int[] gold = {1, 0, 0, 1, 1, 0};
    // tp 2, fp 1, fn 1, tn 2
    assertEquals(4 / 6.0, GlueMetrics.accuracy(pred, gold), 1e-12);
    assertEquals(4 / 6.0, GlueMetrics.f1(pred, gold), 1e-12);
    assertEquals(3 / 9.0, GlueMetrics.matthews(pred, gold), 1e-12);
    // class 0: tp 2, fp 1, fn 1 -> 2/3; class 1 the same
    assertEquals(2 / 3.0, GlueMetrics.macroF1(pred, gold), 1e-12);
    assertEquals(0.0, GlueMetrics.matthews(new int[] {1, 1}, new int[] {1, 0}), 0.0);
    assertEquals(-1.0, GlueMetrics.matthews(new int[] {1, 0, 1, 0}, new int[] {0, 1, 0, 1}), 1e-12);
  }

  @Test
  void threeClassesByHand() {
    int[] gold = {0, 0, 0, 1, 1, 2};
    int[] pred = {0, 0, 1, 1, 2, 2};
    // s 6, correct 4, t (3,2,1), p (2,2,2): (4*6 - 12) / sqrt((36 - 12)(36 - 14))
    assertEquals(12 / Math.sqrt(24 * 22), GlueMetrics.matthews(pred, gold), 1e-12);
    // F1 per class: 0.8, 0.5, 2/3
    assertEquals(59 / 90.0, GlueMetrics.macroF1(pred, gold), 1e-12);
    assertEquals(4 / 6.0, GlueMetrics.accuracy(pred, gold), 1e-12);
  }

  @Test
  void aClassNeverPredicted() {
    // binary: class 1 never predicted
    int[] gold = {0, 1, 1, 0};
    int[] pred = {0, 0, 0, 0};
    assertEquals(0.5, GlueMetrics.accuracy(pred, gold), 1e-12);
    assertEquals(0.0, GlueMetrics.f1(pred, gold), 0.0);
    assertEquals((2 / 3.0 + 0) / 2, GlueMetrics.macroF1(pred, gold), 1e-12);
    assertEquals(0.0, GlueMetrics.matthews(pred, gold), 0.0, "every prediction is one class: undefined, 0");
    // three classes, class 2 never predicted: t (1,1,2), p (1,3,0), correct 2
    int[] gold3 = {0, 1, 2, 2};
    int[] pred3 = {0, 1, 1, 1};
    assertEquals((2 * 4 - 4) / Math.sqrt((16 - 10) * (16 - 6)), GlueMetrics.matthews(pred3, gold3), 1e-12);
    assertEquals((1 + 0.5 + 0) / 3, GlueMetrics.macroF1(pred3, gold3), 1e-12);
  }

  @Test
  void allOneClass() {
    int[] ones = {1, 1, 1};
    assertEquals(1.0, GlueMetrics.accuracy(ones, ones), 0.0);
    assertEquals(1.0, GlueMetrics.f1(ones, ones), 1e-12);
    assertEquals(1.0, GlueMetrics.macroF1(ones, ones), 1e-12, "only class 1 occurs; class 0 is left out");
    assertEquals(0.0, GlueMetrics.matthews(ones, ones), 0.0);
    int[] zeros = {0, 0, 0};
    assertEquals(0.0, GlueMetrics.f1(zeros, zeros), 0.0, "no positive class at all");
    assertEquals(1.0, GlueMetrics.macroF1(zeros, zeros), 1e-12);
    assertEquals(0.0, GlueMetrics.matthews(zeros, zeros), 0.0);
    // gold all one class, predictions mixed
    assertEquals(0.0, GlueMetrics.matthews(new int[] {0, 1, 1}, ones), 0.0);
    assertEquals((0 + 0.8) / 2, GlueMetrics.macroF1(new int[] {0, 1, 1}, ones), 1e-12);
  }

  @Test
  void multiClassMatthewsIsTheBinaryMccForTwoClasses() {
    SplittableRandom r = new SplittableRandom(7);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + r.nextInt(40);
      int[] pred = new int[n];
      int[] gold = new int[n];
      double tp = 0;
      double tn = 0;
      double fp = 0;
      double fn = 0;
      for (int i = 0; i < n; i++) {
        pred[i] = r.nextInt(2);
        gold[i] = r.nextInt(2);
        tp += pred[i] == 1 && gold[i] == 1 ? 1 : 0;
        tn += pred[i] == 0 && gold[i] == 0 ? 1 : 0;
        fp += pred[i] == 1 && gold[i] == 0 ? 1 : 0;
        fn += pred[i] == 0 && gold[i] == 1 ? 1 : 0;
      }
      double den = Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
      assertEquals(den == 0 ? 0 : (tp * tn - fp * fn) / den, GlueMetrics.matthews(pred, gold), 1e-12);
    }
  }

  @Test
  void correlationsWithTies() {
    float[] x = {1, 2, 2, 4};
    float[] y = {10, 20, 30, 40};
    assertEquals(1.0, GlueMetrics.pearson(y, y), 1e-9);
    float[] r = GlueMetrics.ranks(x);
    assertEquals(2.5f, r[1]);
    assertEquals(2.5f, r[2]);
    double expected = GlueMetrics.pearson(new float[] {1, 2.5f, 2.5f, 4}, new float[] {1, 2, 3, 4});
    assertEquals(expected, GlueMetrics.spearman(x, y), 1e-9);
  }

  @Test
  void metricMapsPutThePrimaryMetricFirst() {
    int[] pred = {1, 1, 0, 0, 1, 0};
    int[] gold = {1, 0, 0, 1, 1, 0};
    assertEquals(List.of("accuracy"), List.copyOf(GlueMetrics.classification(MetricKind.ACCURACY, pred, gold).keySet()));
    assertEquals(List.of("f1", "accuracy"), List.copyOf(GlueMetrics.classification(MetricKind.F1, pred, gold).keySet()));
    assertEquals(List.of("macro-f1", "accuracy"), List.copyOf(GlueMetrics.classification(MetricKind.MACRO_F1, pred, gold).keySet()));
    assertEquals(List.of("matthews", "accuracy"), List.copyOf(GlueMetrics.classification(MetricKind.MATTHEWS, pred, gold).keySet()));
    assertEquals(3 / 9.0, GlueMetrics.classification(MetricKind.MATTHEWS, pred, gold).get("matthews"), 1e-12);
    float[] p = {1, 2, 2, 4};
    float[] g = {10, 20, 30, 40};
    assertEquals(List.of("pearson", "spearman"), List.copyOf(GlueMetrics.regression(MetricKind.PEARSON, p, g).keySet()));
    assertEquals(List.of("spearman", "pearson"), List.copyOf(GlueMetrics.regression(MetricKind.SPEARMAN, p, g).keySet()));
    assertEquals(GlueMetrics.spearman(p, g), GlueMetrics.regression(MetricKind.SPEARMAN, p, g).get("spearman"), 0.0);
    assertThrows(IllegalArgumentException.class, () -> GlueMetrics.classification(MetricKind.PEARSON, pred, gold));
    assertThrows(IllegalArgumentException.class, () -> GlueMetrics.regression(MetricKind.F1, p, g));
    assertThrows(IllegalArgumentException.class, () -> GlueMetrics.macroF1(new int[] {-1}, new int[] {0}));
  }

  @Test
  void taskConventionsAndIds() {
    assertEquals(MetricKind.F1, MetricKind.forTask("MRPC", false));
    assertEquals(MetricKind.MATTHEWS, MetricKind.forTask("cola", false));
    assertEquals(MetricKind.PEARSON, MetricKind.forTask("sts-b", true));
    assertEquals(MetricKind.ACCURACY, MetricKind.forTask("sst2", false));
    assertEquals(MetricKind.MACRO_F1, MetricKind.of("macro-f1"));
    for (MetricKind k : MetricKind.values()) {
      assertEquals(k, MetricKind.of(k.id()));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetricKind.of("auc"));
    assertTrue(e.getMessage().contains("'auc'") && e.getMessage().contains("macro-f1, matthews, pearson"), e.getMessage());
  }
}
