package io.slaft.report;

import io.slaft.files.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.plot.XYPlot;

/** Shared look, headless set-up and PNG output for the charts of this package. */
final class Charts {

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  static final int MIN_SIZE = 200;
  static final int MAX_SIZE = 4000;

  /** Tableau-10: distinguishable, and ordered so the first few survive grey-scale printing. */
  static final Color[] PALETTE = {
      new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
      new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
      new Color(0xbcbd22), new Color(0x17becf)};

  static final Color GRID = new Color(0xdddddd);
  static final String FONT = "DejaVu Sans";

  private Charts() {}

  /** Forces this class's initialisation, which sets headless mode before any AWT use. */
  static void headless() {}

  static Font font(int style, int size) {
    return new Font(FONT, style, size);
  }

  static Color colour(int index) {
    return PALETTE[index % PALETTE.length];
  }

  /** Applies the package theme (fonts, white background, light grid) to {@code chart}. */
  static void style(JFreeChart chart) {
    StandardChartTheme theme = new StandardChartTheme("slaft");
    theme.setExtraLargeFont(font(Font.BOLD, 20));
    theme.setLargeFont(font(Font.PLAIN, 16));
    theme.setRegularFont(font(Font.PLAIN, 14));
    theme.setSmallFont(font(Font.PLAIN, 12));
    theme.setChartBackgroundPaint(Color.WHITE);
    theme.setPlotBackgroundPaint(Color.WHITE);
    theme.setDomainGridlinePaint(GRID);
    theme.setRangeGridlinePaint(GRID);
    theme.setAxisLabelPaint(Color.BLACK);
    theme.setTickLabelPaint(Color.BLACK);
    theme.setLegendBackgroundPaint(Color.WHITE);
    theme.setShadowVisible(false);
    theme.apply(chart);
    chart.setAntiAlias(true);
    chart.setTextAntiAlias(RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    chart.setBackgroundPaint(Color.WHITE);
  }

  static void grid(XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(GRID);
    plot.setRangeGridlinePaint(GRID);
    plot.setDomainGridlineStroke(new BasicStroke(1f));
    plot.setRangeGridlineStroke(new BasicStroke(1f));
    plot.setOutlinePaint(Color.GRAY);
  }

  static void checkSize(int width, int height) {
    if (width < MIN_SIZE || width > MAX_SIZE || height < MIN_SIZE || height > MAX_SIZE) {
      throw new IllegalArgumentException("image size must be within [" + MIN_SIZE + ", "
          + MAX_SIZE + "] pixels per side, got " + width + "x" + height);
    }
  }

  static String requireText(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return value;
  }

  /** An image of {@code chart} with the plot's data area in image coordinates. */
  record Rendered(BufferedImage image, Rectangle2D dataArea) {}

  static Rendered render(JFreeChart chart, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    ChartRenderingInfo info = new ChartRenderingInfo();
    Graphics2D g = image.createGraphics();
    try {
      chart.draw(g, new Rectangle2D.Double(0, 0, width, height), info);
    } finally {
      g.dispose();
    }
    return new Rendered(image, info.getPlotInfo().getDataArea());
  }

  /**
   * Writes {@code image} as a PNG to {@code file}, creating parent directories; the file appears
   * atomically (written next to it, then moved), so readers never see a partial image.
   */
  static void writePng(BufferedImage image, Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    AtomicFiles.to(file).write(out -> {
      if (!ImageIO.write(image, "png", out)) {
        throw new IOException("no PNG writer available");
      }
    });
  }
}
