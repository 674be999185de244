package io.slaft.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * A labelled matrix of values in colour, with each value printed in its cell: used for the gate
 * values of every (layer, site) per task. Row 0 is drawn at the top. Values are coloured on a
 * viridis scale over [scale minimum, scale maximum] (default [0, 1]) and clipped to it; NaN marks
 * an empty cell (light grey, no text), for example a site that does not exist in a layer.
 *
 * <p>Immutable and thread-safe; validation happens in {@link Builder#build()}.
 */
public final class Heatmap {

  static {
    Charts.headless();
  }

  private final String title;
  private final String rowAxisLabel;
  private final String columnAxisLabel;
  private final List<String> rowLabels;
  private final List<String> columnLabels;
  private final double[][] values;
  private final double scaleMin;
  private final double scaleMax;
  private final int decimals;
  private final int width;
  private final int height;

  private Heatmap(Builder b) {
    this.title = Charts.requireText(b.title, "title");
    this.rowAxisLabel = Charts.requireText(b.rowAxisLabel, "row axis label");
    this.columnAxisLabel = Charts.requireText(b.columnAxisLabel, "column axis label");
    this.rowLabels = List.copyOf(Objects.requireNonNull(b.rowLabels, "row labels"));
    this.columnLabels = List.copyOf(Objects.requireNonNull(b.columnLabels, "column labels"));
    Objects.requireNonNull(b.values, "values");
    this.scaleMin = b.scaleMin;
    this.scaleMax = b.scaleMax;
    this.decimals = b.decimals;
    this.width = b.width;
    this.height = b.height;
    Charts.checkSize(width, height);
    if (rowLabels.isEmpty() || columnLabels.isEmpty()) {
      throw new IllegalArgumentException("a heatmap needs at least one row and one column label");
    }
    if (b.values.length != rowLabels.size()) {
      throw new IllegalArgumentException("values must have one row per row label: "
          + b.values.length + " rows for " + rowLabels.size() + " labels");
    }
    this.values = new double[rowLabels.size()][];
    for (int r = 0; r < b.values.length; r++) {
      if (b.values[r] == null || b.values[r].length != columnLabels.size()) {
        throw new IllegalArgumentException("values row " + r + " must have one value per column"
            + " label (" + columnLabels.size() + ")");
      }
      values[r] = b.values[r].clone();
      for (int c = 0; c < values[r].length; c++) {
        if (Double.isInfinite(values[r][c])) {
          throw new IllegalArgumentException("values must be finite or NaN, got "
              + values[r][c] + " at (" + r + ", " + c + ")");
        }
      }
    }
    if (!(Double.isFinite(scaleMin) && Double.isFinite(scaleMax) && scaleMin < scaleMax)) {
      throw new IllegalArgumentException("colour scale needs finite bounds with min < max, got ["
          + scaleMin + ", " + scaleMax + "]");
    }
    if (decimals < 0 || decimals > 6) {
      throw new IllegalArgumentException("decimals must be in [0, 6], got " + decimals);
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

  /** The value at (row, column). */
  public double value(int row, int column) {
    return values[row][column];
  }

  /**
   * Renders the heatmap to {@code file} as a PNG of {@link #width()} × {@link #height()} pixels,
   * creating parent directories and replacing an existing file atomically.
   *
   * @throws IOException if the file cannot be written
   */
  public void writePng(Path file) throws IOException {
    Charts.writePng(render(), file);
  }

  /** Renders the heatmap to a new image of {@link #width()} × {@link #height()} pixels. */
  public BufferedImage render() {
    return renderWithArea().image();
  }

  Charts.Rendered renderWithArea() {
    return Charts.render(chart(), width, height);
  }

  /** The colour a value is drawn in. */
  Color colour(double value) {
    return new ColorScale(scaleMin, scaleMax).colour(value);
  }

  JFreeChart chart() {
    int rows = rowLabels.size();
    int columns = columnLabels.size();
    double[][] xyz = new double[3][rows * columns];
    int k = 0;
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        xyz[0][k] = c;
        xyz[1][k] = r;
        xyz[2][k] = values[r][c];
        k++;
      }
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("values", xyz);

    SymbolAxis xAxis = new SymbolAxis(columnAxisLabel, columnLabels.toArray(new String[0]));
    xAxis.setRange(-0.5, columns - 0.5);
    xAxis.setGridBandsVisible(false);
    SymbolAxis yAxis = new SymbolAxis(rowAxisLabel, rowLabels.toArray(new String[0]));
    yAxis.setRange(-0.5, rows - 0.5);
    yAxis.setInverted(true);
    yAxis.setGridBandsVisible(false);

    ColorScale scale = new ColorScale(scaleMin, scaleMax);
    XYBlockRenderer renderer = new XYBlockRenderer();
    renderer.setPaintScale(scale);
    renderer.setBlockWidth(1.0);
    renderer.setBlockHeight(1.0);

    XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlinePaint(Color.GRAY);
    plot.setAxisOffset(RectangleInsets.ZERO_INSETS);

    JFreeChart chart = new JFreeChart(title, Charts.font(Font.BOLD, 20), plot, false);
    NumberAxis legendAxis = new NumberAxis();
    legendAxis.setRange(scaleMin, scaleMax);
    PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
    legend.setPosition(RectangleEdge.RIGHT);
    legend.setStripWidth(18);
    legend.setSubdivisionCount(256);
    legend.setMargin(new RectangleInsets(10, 10, 10, 10));
    legend.setBackgroundPaint(Color.WHITE);
    chart.addSubtitle(legend);
    Charts.style(chart);
    int fontSize = Math.max(10, Math.min(16, (int) (0.35 * Math.min(
        (width - 250.0) / columns, (height - 200.0) / rows))));
    Font cellFont = Charts.font(Font.BOLD, fontSize);
    String format = "%." + decimals + "f";
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        double v = values[r][c];
        if (Double.isNaN(v)) {
          continue;
        }
        XYTextAnnotation text = new XYTextAnnotation(String.format(Locale.ROOT, format, v), c, r);
        text.setFont(cellFont);
        text.setPaint(ColorScale.textOn(scale.colour(v)));
        plot.addAnnotation(text);
      }
    }
    legendAxis.setTickLabelFont(Charts.font(Font.PLAIN, 12));
    xAxis.setTickLabelFont(Charts.font(Font.PLAIN, 14));
    yAxis.setTickLabelFont(Charts.font(Font.PLAIN, 14));
    return chart;
  }

  /** Collects the settings of a {@link Heatmap}; not thread-safe. */
  public static final class Builder {
    private String title;
    private String rowAxisLabel = "layer";
    private String columnAxisLabel = "site";
    private List<String> rowLabels;
    private List<String> columnLabels;
    private double[][] values;
    private double scaleMin = 0.0;
    private double scaleMax = 1.0;
    private int decimals = 2;
    private int width = 900;
    private int height = 600;

    private Builder() {}

    public Builder title(String title) {
      this.title = title;
      return this;
    }

    /** Axis titles; default "layer" for rows and "site" for columns. */
    public Builder axisLabels(String rowAxisLabel, String columnAxisLabel) {
      this.rowAxisLabel = rowAxisLabel;
      this.columnAxisLabel = columnAxisLabel;
      return this;
    }

    public Builder rowLabels(List<String> rowLabels) {
      this.rowLabels = rowLabels;
      return this;
    }

    public Builder columnLabels(List<String> columnLabels) {
      this.columnLabels = columnLabels;
      return this;
    }

    /** {@code values[row][column]}, copied on build; NaN marks an empty cell. */
    public Builder values(double[][] values) {
      this.values = values;
      return this;
    }

    /** The value range the colours span; default [0, 1]. */
    public Builder scale(double min, double max) {
      this.scaleMin = min;
      this.scaleMax = max;
      return this;
    }

    /** Decimals of the printed cell values, in [0, 6]; default 2. */
    public Builder decimals(int decimals) {
      this.decimals = decimals;
      return this;
    }

    /** Image size in pixels, each side within [200, 4000]; default 900 × 600. */
    public Builder size(int width, int height) {
      this.width = width;
      this.height = height;
      return this;
    }

    /**
     * Builds the heatmap.
     *
     * @throws IllegalArgumentException if a label is blank, the matrix shape does not match the
     *     labels, a value is infinite, the scale is empty, or the size is out of range
     */
    public Heatmap build() {
      return new Heatmap(this);
    }
  }
}
