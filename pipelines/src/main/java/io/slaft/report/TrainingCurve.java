package io.slaft.report;

import java.awt.BasicStroke;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Loss (top panel) and task metric (bottom panel) against training step, sharing the step axis.
 * Each panel holds one or more named curves, for example train and dev loss. A NaN value (a
 * diverged step) leaves a gap in its curve; points are drawn as markers when a curve has at most
 * 60 of them.
 *
 * <p>Immutable and thread-safe; validation happens in {@link Builder#build()}.
 */
public final class TrainingCurve {

  static {
    Charts.headless();
  }

  private static final int MARKER_LIMIT = 60;

  /** One named curve of (step, value) points with strictly increasing non-negative steps. */
  record Curve(String name, long[] steps, double[] values) {
    Curve {
      Charts.requireText(name, "curve name");
      steps = Objects.requireNonNull(steps, "steps").clone();
      values = Objects.requireNonNull(values, "values").clone();
      if (steps.length == 0 || steps.length != values.length) {
        throw new IllegalArgumentException("curve '" + name
            + "' needs at least one point and as many values as steps, got " + steps.length
            + " steps and " + values.length + " values");
      }
      for (int i = 0; i < steps.length; i++) {
        if (steps[i] < 0 || (i > 0 && steps[i] <= steps[i - 1])) {
          throw new IllegalArgumentException("curve '" + name
              + "' needs strictly increasing non-negative steps, got " + steps[i] + " at index "
              + i);
        }
        if (Double.isInfinite(values[i])) {
          throw new IllegalArgumentException("curve '" + name
              + "' values must be finite or NaN, got " + values[i] + " at step " + steps[i]);
        }
      }
    }
  }

  private final String title;
  private final String lossLabel;
  private final String metricLabel;
  private final List<Curve> losses;
  private final List<Curve> metrics;
  private final boolean logLoss;
  private final int width;
  private final int height;

  private TrainingCurve(Builder b) {
    this.title = Charts.requireText(b.title, "title");
    this.lossLabel = Charts.requireText(b.lossLabel, "loss label");
    this.metricLabel = Charts.requireText(b.metricLabel, "metric label");
    this.losses = List.copyOf(b.losses);
    this.metrics = List.copyOf(b.metrics);
    this.logLoss = b.logLoss;
    this.width = b.width;
    this.height = b.height;
    Charts.checkSize(width, height);
    if (losses.isEmpty() || metrics.isEmpty()) {
      throw new IllegalArgumentException("a training curve needs at least one loss curve and one"
          + " metric curve, got " + losses.size() + " and " + metrics.size());
    }
    Set<String> names = new HashSet<>();
    for (Curve c : losses) {
      if (!names.add(c.name())) {
        throw new IllegalArgumentException("loss curve names must be distinct, '" + c.name()
            + "' repeats");
      }
      if (logLoss) {
        for (double v : c.values()) {
          if (v <= 0) {
            throw new IllegalArgumentException("a log loss axis needs losses > 0, curve '"
                + c.name() + "' has " + v);
          }
        }
      }
    }
    names.clear();
    for (Curve c : metrics) {
      if (!names.add(c.name())) {
        throw new IllegalArgumentException("metric curve names must be distinct, '" + c.name()
            + "' repeats");
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /**
   * Renders the chart to {@code file} as a PNG of {@link #width()} × {@link #height()} pixels,
   * creating parent directories and replacing an existing file atomically.
   *
   * @throws IOException if the file cannot be written
   */
  public void writePng(Path file) throws IOException {
    Charts.writePng(render(), file);
  }

  /** Renders the chart to a new image of {@link #width()} × {@link #height()} pixels. */
  public BufferedImage render() {
    return Charts.render(chart(), width, height).image();
  }

  JFreeChart chart() {
    NumberAxis step = new NumberAxis("step");
    step.setAutoRangeIncludesZero(false);
    CombinedDomainXYPlot combined = new CombinedDomainXYPlot(step);
    combined.setGap(14);
    combined.add(panel(losses, lossAxis()), 1);
    NumberAxis metricAxis = new NumberAxis(metricLabel);
    metricAxis.setAutoRangeIncludesZero(false);
    combined.add(panel(metrics, metricAxis), 1);
    JFreeChart chart = new JFreeChart(title, Charts.font(Font.BOLD, 20), combined, true);
    Charts.style(chart);
    int colour = 0;
    for (XYPlot panel : combined.getSubplots()) {
      XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) panel.getRenderer();
      for (int i = 0; i < panel.getDataset().getSeriesCount(); i++) {
        renderer.setSeriesPaint(i, Charts.colour(colour++));
        renderer.setSeriesStroke(i, new BasicStroke(2f));
        renderer.setSeriesShapesVisible(i, panel.getDataset().getItemCount(i) <= MARKER_LIMIT);
        renderer.setSeriesShape(i, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
      }
    }
    LegendTitle legend = chart.getLegend();
    legend.setPosition(RectangleEdge.BOTTOM);
    legend.setItemFont(Charts.font(Font.PLAIN, 14));
    return chart;
  }

  private ValueAxis lossAxis() {
    if (logLoss) {
      return new LogAxis(lossLabel);
    }
    NumberAxis axis = new NumberAxis(lossLabel);
    axis.setAutoRangeIncludesZero(false);
    return axis;
  }

  private static XYPlot panel(List<Curve> curves, ValueAxis axis) {
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    for (int i = 0; i < curves.size(); i++) {
      Curve c = curves.get(i);
      XYSeries series = new XYSeries(c.name(), false, false);
      for (int p = 0; p < c.steps().length; p++) {
        series.add((double) c.steps()[p], c.values()[p]);
      }
      data.addSeries(series);
    }
    XYPlot plot = new XYPlot(data, null, axis, renderer);
    Charts.grid(plot);
    return plot;
  }

  /** Collects the settings of a {@link TrainingCurve}; not thread-safe. */
  public static final class Builder {
    private String title;
    private String lossLabel = "loss";
    private String metricLabel;
    private final List<Curve> losses = new ArrayList<>();
    private final List<Curve> metrics = new ArrayList<>();
    private boolean logLoss;
    private int width = 900;
    private int height = 700;

    private Builder() {}

    public Builder title(String title) {
      this.title = title;
      return this;
    }

    /** Y-axis title of the loss panel; default "loss". */
    public Builder lossLabel(String lossLabel) {
      this.lossLabel = lossLabel;
      return this;
    }

    /** Y-axis title of the metric panel, for example "dev accuracy"; required. */
    public Builder metricLabel(String metricLabel) {
      this.metricLabel = metricLabel;
      return this;
    }

    /** Adds a loss curve; arrays are copied. */
    public Builder loss(String name, long[] steps, double[] values) {
      losses.add(new Curve(name, steps, values));
      return this;
    }

    /** Adds a metric curve; arrays are copied. */
    public Builder metric(String name, long[] steps, double[] values) {
      metrics.add(new Curve(name, steps, values));
      return this;
    }

    /** Logarithmic loss axis; requires every loss > 0. Default linear. */
    public Builder logLoss(boolean logLoss) {
      this.logLoss = logLoss;
      return this;
    }

    /** Image size in pixels, each side within [200, 4000]; default 900 × 700. */
    public Builder size(int width, int height) {
      this.width = width;
      this.height = height;
      return this;
    }

    /**
     * Builds the chart.
     *
     * @throws IllegalArgumentException if a label is blank, a panel has no curve, names repeat
     *     within a panel, steps are not strictly increasing, a value is infinite, a log loss axis
     *     meets a loss ≤ 0, or the size is out of range
     */
    public TrainingCurve build() {
      return new TrainingCurve(this);
    }
  }
}
