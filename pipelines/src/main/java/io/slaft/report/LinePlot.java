package io.slaft.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * A line chart of one or more series of (x, mean, optional standard deviation), drawn as lines with
 * markers and either a shaded ±std band or ±std error bars. Used for metric-versus-severity curves
 * and for sweep plots (metric against the swept value, optionally with a second quantity such as
 * compression on a right-hand y axis).
 *
 * <p>Immutable and thread-safe; every render builds a fresh chart. Validation happens in
 * {@link Builder#build()}, whose messages name the violated rule.
 */
public final class LinePlot {

  static {
    Charts.headless();
  }

  /** How the standard deviation of a series is drawn. */
  public enum ErrorStyle {
    /** A translucent band from mean − std to mean + std. */
    BAND,
    /** A vertical bar from mean − std to mean + std at every point. */
    BARS
  }

  /**
   * One named curve: points {@code (x[i], mean[i])} with optional {@code std[i] >= 0}. Immutable;
   * arrays are copied in and out.
   */
  public static final class Series {
    private final String name;
    private final double[] x;
    private final double[] mean;
    private final double[] std;
    private final boolean secondaryAxis;
    private final boolean markersOnly;

    private Series(String name, double[] x, double[] mean, double[] std, boolean secondaryAxis) {
      this(name, x, mean, std, secondaryAxis, false);
    }

    private Series(String name, double[] x, double[] mean, double[] std, boolean secondaryAxis, boolean markersOnly) {
      this.name = Charts.requireText(name, "series name");
      this.x = Objects.requireNonNull(x, "x").clone();
      this.mean = Objects.requireNonNull(mean, "mean").clone();
      this.std = std == null ? null : std.clone();
      this.secondaryAxis = secondaryAxis;
      this.markersOnly = markersOnly;
      if (this.x.length == 0) {
        throw new IllegalArgumentException("series '" + name + "' needs at least one point");
      }
      if (this.mean.length != this.x.length
          || (this.std != null && this.std.length != this.x.length)) {
        throw new IllegalArgumentException("series '" + name + "' must have as many means"
            + (std == null ? "" : " and stds") + " as x values (" + this.x.length + ")");
      }
      for (int i = 0; i < this.x.length; i++) {
        if (!Double.isFinite(this.x[i]) || !Double.isFinite(this.mean[i])) {
          throw new IllegalArgumentException("series '" + name
              + "' must have finite x and mean values, got (" + this.x[i] + ", " + this.mean[i]
              + ") at index " + i);
        }
        if (this.std != null && !(this.std[i] >= 0 && Double.isFinite(this.std[i]))) {
          throw new IllegalArgumentException("series '" + name
              + "' must have finite non-negative stds, got " + this.std[i] + " at index " + i);
        }
      }
    }

    /** A series without error information. */
    public static Series of(String name, double[] x, double[] mean) {
      return new Series(name, x, mean, null, false);
    }

    /** A series with a standard deviation per point (for example over seeds). */
    public static Series of(String name, double[] x, double[] mean, double[] std) {
      return new Series(name, x, mean, Objects.requireNonNull(std, "std"), false);
    }

    /** This series, plotted against the secondary (right-hand) y axis. */
    public Series onSecondaryAxis() {
      return new Series(name, x, mean, std, true, markersOnly);
    }

    /** This series as markers without a connecting line (a scatter of points in no particular order). */
    public Series markersOnly() {
      return new Series(name, x, mean, std, secondaryAxis, true);
    }

    public String name() {
      return name;
    }

    public double[] x() {
      return x.clone();
    }

    public double[] mean() {
      return mean.clone();
    }

    /** The standard deviations, or an empty array when the series has none. */
    public double[] std() {
      return std == null ? new double[0] : std.clone();
    }

    public boolean hasStd() {
      return std != null;
    }

    public boolean secondaryAxis() {
      return secondaryAxis;
    }
  }

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final String secondaryYLabel;
  private final boolean logX;
  private final ErrorStyle errorStyle;
  private final int width;
  private final int height;
  private final List<Series> series;

  private LinePlot(Builder b) {
    this.title = Charts.requireText(b.title, "title");
    this.xLabel = Charts.requireText(b.xLabel, "x label");
    this.yLabel = Charts.requireText(b.yLabel, "y label");
    this.secondaryYLabel = b.secondaryYLabel;
    this.logX = b.logX;
    this.errorStyle = Objects.requireNonNull(b.errorStyle, "errorStyle");
    this.width = b.width;
    this.height = b.height;
    this.series = List.copyOf(b.series);
    Charts.checkSize(width, height);
    if (series.isEmpty()) {
      throw new IllegalArgumentException("a line plot needs at least one series");
    }
    Set<String> names = new HashSet<>();
    boolean anySecondary = false;
    boolean anyPrimary = false;
    for (Series s : series) {
      if (!names.add(s.name)) {
        throw new IllegalArgumentException("series names must be distinct, '" + s.name
            + "' repeats");
      }
      anySecondary |= s.secondaryAxis;
      anyPrimary |= !s.secondaryAxis;
      if (logX) {
        for (double x : s.x) {
          if (x <= 0) {
            throw new IllegalArgumentException("a log x axis needs x > 0, series '" + s.name
                + "' has " + x);
          }
        }
      }
    }
    if (!anyPrimary) {
      throw new IllegalArgumentException("at least one series must use the primary y axis");
    }
    if (anySecondary && (secondaryYLabel == null || secondaryYLabel.isBlank())) {
      throw new IllegalArgumentException(
          "series on the secondary y axis need a secondary y label");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public String title() {
    return title;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public List<Series> series() {
    return series;
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
    return renderWithArea().image();
  }

  Charts.Rendered renderWithArea() {
    return Charts.render(chart(), width, height);
  }

  /** The series drawn against the primary ({@code axis} 0) or secondary (1) y axis, in order. */
  private List<Series> onAxis(int axis) {
    return series.stream().filter(s -> s.secondaryAxis == (axis == 1)).toList();
  }

  JFreeChart chart() {
    ValueAxis domain = logX ? logAxis() : new NumberAxis(xLabel);
    if (domain instanceof NumberAxis number) {
      number.setAutoRangeIncludesZero(false);
    }
    NumberAxis range = new NumberAxis(yLabel);
    range.setAutoRangeIncludesZero(false);
    XYPlot plot = new XYPlot();
    plot.setDomainAxis(domain);
    plot.setRangeAxis(0, range);
    for (int axis = 0; axis < 2; axis++) {
      boolean secondary = axis == 1;
      YIntervalSeriesCollection data = new YIntervalSeriesCollection();
      boolean any = false;
      for (Series s : series) {
        if (s.secondaryAxis == secondary) {
          YIntervalSeries curve = new YIntervalSeries(s.name, false, true);
          for (int i = 0; i < s.x.length; i++) {
            double sd = s.std == null ? 0 : s.std[i];
            curve.add(s.x[i], s.mean[i], s.mean[i] - sd, s.mean[i] + sd);
          }
          data.addSeries(curve);
          any = true;
        }
      }
      if (!any) {
        continue;
      }
      plot.setDataset(axis, data);
      plot.setRenderer(axis, renderer());
      if (secondary) {
        NumberAxis right = new NumberAxis(secondaryYLabel);
        right.setAutoRangeIncludesZero(false);
        plot.setRangeAxis(1, right);
        plot.mapDatasetToRangeAxis(1, 1);
      }
    }
    Charts.grid(plot);
    JFreeChart chart = new JFreeChart(title, Charts.font(Font.BOLD, 20), plot, true);
    Charts.style(chart);
    int colour = 0;
    for (int axis = 0; axis < plot.getDatasetCount(); axis++) {
      XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer(axis);
      if (renderer == null) {
        continue;
      }
      for (int i = 0; i < plot.getDataset(axis).getSeriesCount(); i++) {
        Color c = Charts.colour(colour++);
        renderer.setSeriesPaint(i, c);
        renderer.setSeriesFillPaint(i, c);
        renderer.setSeriesShape(i, new Ellipse2D.Double(-4, -4, 8, 8));
        renderer.setSeriesLinesVisible(i, !onAxis(axis).get(i).markersOnly);
        renderer.setSeriesStroke(i, axis == 1
            ? new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f,
                new float[] {8f, 5f}, 0f)
            : new BasicStroke(2.5f));
      }
      if (renderer instanceof XYErrorRenderer bars) {
        bars.setErrorPaint(null);
      }
    }
    LegendTitle legend = chart.getLegend();
    legend.setPosition(RectangleEdge.BOTTOM);
    legend.setItemFont(Charts.font(Font.PLAIN, 14));
    return chart;
  }

  /** A log axis labelled in plain numbers, with one tick per decade when the data spans one. */
  private LogAxis logAxis() {
    LogAxis axis = new LogAxis(xLabel);
    axis.setNumberFormatOverride(
        new DecimalFormat("0.######", DecimalFormatSymbols.getInstance(Locale.ROOT)));
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (double x : s.x) {
        min = Math.min(min, x);
        max = Math.max(max, x);
      }
    }
    if (Math.log10(max / min) >= 1.0) {
      axis.setTickUnit(new NumberTickUnit(1.0));
    }
    return axis;
  }

  private XYLineAndShapeRenderer renderer() {
    if (errorStyle == ErrorStyle.BARS) {
      XYErrorRenderer bars = new XYErrorRenderer();
      bars.setDrawXError(false);
      bars.setDrawYError(true);
      bars.setDefaultLinesVisible(true);
      bars.setDefaultShapesVisible(true);
      bars.setCapLength(8);
      bars.setErrorStroke(new BasicStroke(1.5f));
      return bars;
    }
    DeviationRenderer band = new DeviationRenderer(true, true);
    band.setAlpha(0.2f);
    return band;
  }

  /** Collects the settings of a {@link LinePlot}; not thread-safe. */
  public static final class Builder {
    private String title;
    private String xLabel;
    private String yLabel;
    private String secondaryYLabel;
    private boolean logX;
    private ErrorStyle errorStyle = ErrorStyle.BAND;
    private int width = 900;
    private int height = 600;
    private final List<Series> series = new ArrayList<>();

    private Builder() {}

    public Builder title(String title) {
      this.title = title;
      return this;
    }

    public Builder xLabel(String xLabel) {
      this.xLabel = xLabel;
      return this;
    }

    public Builder yLabel(String yLabel) {
      this.yLabel = yLabel;
      return this;
    }

    /** Label of the right-hand y axis; required when a series is on the secondary axis. */
    public Builder secondaryYLabel(String secondaryYLabel) {
      this.secondaryYLabel = secondaryYLabel;
      return this;
    }

    /** Logarithmic x axis (for learning rates, λ); requires every x > 0. Default linear. */
    public Builder logX(boolean logX) {
      this.logX = logX;
      return this;
    }

    /** How standard deviations are drawn; default {@link ErrorStyle#BAND}. */
    public Builder errorStyle(ErrorStyle errorStyle) {
      this.errorStyle = errorStyle;
      return this;
    }

    /** Image size in pixels, each side within [200, 4000]; default 900 × 600. */
    public Builder size(int width, int height) {
      this.width = width;
      this.height = height;
      return this;
    }

    public Builder series(Series series) {
      this.series.add(Objects.requireNonNull(series, "series"));
      return this;
    }

    /**
     * Builds the plot.
     *
     * @throws IllegalArgumentException if a label is blank, the size is out of range, there is no
     *     primary series, names repeat, a log axis meets x ≤ 0, or secondary series lack a label
     */
    public LinePlot build() {
      return new LinePlot(this);
    }
  }

  @Override
  public String toString() {
    return "LinePlot[" + title + ", " + series.size() + " series, " + width + "x" + height + "]";
  }
}
