package io.slaft.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingCurveTest {

  @Test
  void writesTwoPanels(@TempDir Path dir) throws Exception {
    long[] steps = LongStream.rangeClosed(1, 300).map(s -> s * 10).toArray();
    double[] loss = IntStream.rangeClosed(1, 300)
        .mapToDouble(s -> 0.25 + 0.45 * Math.exp(-s / 60.0) + 0.03 * Math.sin(s * 0.7)).toArray();
    long[] evalSteps = LongStream.rangeClosed(1, 10).map(s -> s * 300).toArray();
    double[] devLoss = IntStream.rangeClosed(1, 10)
        .mapToDouble(s -> 0.32 + 0.35 * Math.exp(-s / 2.0)).toArray();
    double[] accuracy = IntStream.rangeClosed(1, 10)
        .mapToDouble(s -> 0.91 - 0.25 * Math.exp(-s / 2.0)).toArray();
    TrainingCurve curve = TrainingCurve.builder().title("SST-2 training (sla, λ = 1.0)")
        .metricLabel("dev accuracy").loss("train loss", steps, loss)
        .loss("dev loss", evalSteps, devLoss).metric("dev accuracy", evalSteps, accuracy)
        .size(900, 700).build();
    Path file = dir.resolve("training.png");
    curve.writePng(file);
    BufferedImage image = Pngs.readPng(file, 900, 700);
    int blue = Charts.colour(0).getRGB();
    int green = Charts.colour(2).getRGB();
    int blueTop = Pngs.count(image, blue, 0, 0, 900, 350);
    int blueBottom = Pngs.count(image, blue, 0, 350, 900, 700);
    int greenTop = Pngs.count(image, green, 0, 0, 900, 350);
    int greenBottom = Pngs.count(image, green, 0, 350, 900, 700);
    assertTrue(blueTop > 300 && blueBottom < blueTop / 10,
        "train loss in the top panel: " + blueTop + " vs " + blueBottom);
    assertTrue(greenBottom > 300 && greenTop < greenBottom / 10,
        "metric in the bottom panel: " + greenBottom + " vs " + greenTop);
  }

  @Test
  void validatesCurves() {
    assertEquals("curve 'loss' needs strictly increasing non-negative steps, got 5 at index 1",
        assertThrows(IllegalArgumentException.class, () -> TrainingCurve.builder()
            .loss("loss", new long[] {5, 5}, new double[] {1, 1})).getMessage());
    assertEquals("a training curve needs at least one loss curve and one metric curve, got 1 and 0",
        assertThrows(IllegalArgumentException.class, () -> TrainingCurve.builder().title("t")
            .metricLabel("acc").loss("loss", new long[] {1}, new double[] {1}).build())
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> TrainingCurve.builder()
        .loss("loss", new long[] {1}, new double[] {Double.POSITIVE_INFINITY}));
    assertThrows(IllegalArgumentException.class, () -> TrainingCurve.builder().title("t")
        .metricLabel("acc").logLoss(true).loss("loss", new long[] {1}, new double[] {0})
        .metric("acc", new long[] {1}, new double[] {0.5}).build());
  }
}
