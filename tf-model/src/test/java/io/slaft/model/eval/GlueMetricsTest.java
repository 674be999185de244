package io.slaft.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GlueMetricsTest {
  @Test
  void accuracyF1AndMatthewsByHand() {
    int[] pred = {1, 1, 0, 0, 1, 0};
    int[] gold = {1, 0, 0, 1, 1, 0};
    assertEquals(4 / 6.0, GlueMetrics.accuracy(pred, gold), 1e-12);
    assertEquals(2 * 2 / (2.0 * 2 + 1 + 1), GlueMetrics.f1(pred, gold), 1e-12);
    double tp = 2, tn = 2, fp = 1, fn = 1;
    assertEquals((tp * tn - fp * fn) / Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)),
        GlueMetrics.matthews(pred, gold), 1e-12);
    assertEquals(0.0, GlueMetrics.matthews(new int[] {1, 1}, new int[] {1, 0}), 0.0);
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
  void taskConventions() {
    assertEquals(MetricKind.F1_ACCURACY, MetricKind.forTask("MRPC", false));
    assertEquals(MetricKind.MATTHEWS, MetricKind.forTask("cola", false));
    assertEquals(MetricKind.PEARSON_SPEARMAN, MetricKind.forTask("sts-b", true));
    assertEquals(MetricKind.ACCURACY, MetricKind.forTask("sst2", false));
  }
}
