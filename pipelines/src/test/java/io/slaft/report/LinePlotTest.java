package io.slaft.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinePlotTest {

  private static final double[] SEVERITY = {0, 0.05, 0.10, 0.15, 0.20};

  static LinePlot severityCurves(LinePlot.ErrorStyle style) {
    return LinePlot.builder().title("SST-2 accuracy under perturbation").xLabel("severity")
        .yLabel("accuracy").errorStyle(style).size(900, 600)
        .series(LinePlot.Series.of("char-swap", SEVERITY,
            new double[] {0.91, 0.88, 0.84, 0.80, 0.77},
            new double[] {0.004, 0.006, 0.008, 0.010, 0.012}))
        .series(LinePlot.Series.of("word-dropout", SEVERITY,
            new double[] {0.91, 0.90, 0.89, 0.87, 0.86},
            new double[] {0.004, 0.005, 0.005, 0.007, 0.008}))
        .series(LinePlot.Series.of("token-mask", SEVERITY,
            new double[] {0.91, 0.89, 0.86, 0.83, 0.81}))
        .build();
  }

  @Test
  void writesSeverityCurvesWithBands(@TempDir Path dir) throws Exception {
    LinePlot plot = severityCurves(LinePlot.ErrorStyle.BAND);
    Path file = dir.resolve("robustness-sst2.png");
    plot.writePng(file);
    BufferedImage image = Pngs.readPng(file, 900, 600);
    Rectangle2D area = plot.renderWithArea().dataArea();
    int blue = Charts.colour(0).getRGB();
    int orange = Charts.colour(1).getRGB();
    int green = Charts.colour(2).getRGB();
    int x0 = (int) area.getX();
    int y0 = (int) area.getY();
    int x1 = (int) area.getMaxX();
    int y1 = (int) area.getMaxY();
    assertTrue(Pngs.count(image, blue, x0, y0, x1, y1) > 300, "char-swap line drawn");
    assertTrue(Pngs.count(image, orange, x0, y0, x1, y1) > 300, "word-dropout line drawn");
    assertTrue(Pngs.count(image, green, x0, y0, x1, y1) > 300, "token-mask line drawn");
    assertTrue(Pngs.distinctColours(image) > 30, "bands blend colours");
  }

  @Test
  void writesSweepWithSecondaryAxisErrorBarsAndLogX(@TempDir Path dir) throws Exception {
    double[] lambda = {0.01, 0.1, 0.5, 1.0, 2.0, 5.0};
    LinePlot plot = LinePlot.builder().title("λ sweep on SST-2").xLabel("sparsity weight λ")
        .yLabel("accuracy").secondaryYLabel("trainable / backbone params").logX(true)
        .errorStyle(LinePlot.ErrorStyle.BARS).size(1000, 560)
        .series(LinePlot.Series.of("accuracy", lambda,
            new double[] {0.905, 0.908, 0.910, 0.912, 0.897, 0.861},
            new double[] {0.003, 0.004, 0.003, 0.004, 0.006, 0.012}))
        .series(LinePlot.Series.of("compression", lambda,
            new double[] {0.031, 0.027, 0.019, 0.014, 0.008, 0.003},
            new double[] {0.001, 0.001, 0.002, 0.001, 0.001, 0.0005}).onSecondaryAxis())
        .build();
    Path file = dir.resolve("sweep-lambda.png");
    plot.writePng(file);
    BufferedImage image = Pngs.readPng(file, 1000, 560);
    Rectangle2D area = plot.renderWithArea().dataArea();
    assertTrue(area.getMaxX() < 1000 - 60, "room for the right-hand axis: " + area);
    assertTrue(Pngs.count(image, Charts.colour(1).getRGB(), (int) area.getX(), (int) area.getY(),
        (int) area.getMaxX(), (int) area.getMaxY()) > 200, "secondary series drawn");
  }

  @Test
  void validatesItsConfiguration() {
    assertEquals("a log x axis needs x > 0, series 's' has 0.0", assertThrows(
        IllegalArgumentException.class, () -> LinePlot.builder().title("t").xLabel("x")
            .yLabel("y").logX(true)
            .series(LinePlot.Series.of("s", new double[] {0, 1}, new double[] {1, 2})).build())
        .getMessage());
    assertEquals("series on the secondary y axis need a secondary y label", assertThrows(
        IllegalArgumentException.class, () -> LinePlot.builder().title("t").xLabel("x")
            .yLabel("y")
            .series(LinePlot.Series.of("a", new double[] {1}, new double[] {1}))
            .series(LinePlot.Series.of("b", new double[] {1}, new double[] {1}).onSecondaryAxis())
            .build()).getMessage());
    assertEquals("series names must be distinct, 'a' repeats", assertThrows(
        IllegalArgumentException.class, () -> LinePlot.builder().title("t").xLabel("x")
            .yLabel("y")
            .series(LinePlot.Series.of("a", new double[] {1}, new double[] {1}))
            .series(LinePlot.Series.of("a", new double[] {2}, new double[] {1})).build())
        .getMessage());
    assertEquals("series 'a' must have finite non-negative stds, got -0.1 at index 0",
        assertThrows(IllegalArgumentException.class, () -> LinePlot.Series.of("a",
            new double[] {1}, new double[] {1}, new double[] {-0.1})).getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> LinePlot.Series.of("a", new double[] {1, 2}, new double[] {1}));
    assertThrows(IllegalArgumentException.class,
        () -> LinePlot.builder().title("t").xLabel("x").yLabel("y").build());
    assertEquals("title must not be blank", assertThrows(IllegalArgumentException.class,
        () -> LinePlot.builder().title(" ").xLabel("x").yLabel("y")
            .series(LinePlot.Series.of("a", new double[] {1}, new double[] {1})).build())
        .getMessage());
  }
}
