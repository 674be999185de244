package io.slaft.report;

import java.awt.Color;
import java.awt.Paint;
import java.io.Serializable;
import org.jfree.chart.renderer.PaintScale;

/**
 * A perceptually uniform colour scale (matplotlib's viridis, 9 control points, linear in RGB
 * between them) over [lower, upper]; values outside are clipped, NaN is light grey.
 */
final class ColorScale implements PaintScale, Serializable {

  private static final long serialVersionUID = 1L;

  static final Color MISSING = new Color(0xeeeeee);

  private static final int[] VIRIDIS = {
      0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c, 0x28ae80, 0x5ec962, 0xaddc30, 0xfde725};

  private final double lower;
  private final double upper;

  ColorScale(double lower, double upper) {
    if (!(Double.isFinite(lower) && Double.isFinite(upper) && lower < upper)) {
      throw new IllegalArgumentException(
          "colour scale needs finite bounds with lower < upper, got [" + lower + ", " + upper
              + "]");
    }
    this.lower = lower;
    this.upper = upper;
  }

  @Override
  public double getLowerBound() {
    return lower;
  }

  @Override
  public double getUpperBound() {
    return upper;
  }

  @Override
  public Paint getPaint(double value) {
    return colour(value);
  }

  Color colour(double value) {
    if (Double.isNaN(value)) {
      return MISSING;
    }
    double t = (Math.min(upper, Math.max(lower, value)) - lower) / (upper - lower);
    double position = t * (VIRIDIS.length - 1);
    int i = Math.min(VIRIDIS.length - 2, (int) Math.floor(position));
    double f = position - i;
    Color a = new Color(VIRIDIS[i]);
    Color b = new Color(VIRIDIS[i + 1]);
    return new Color(
        (int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
        (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
        (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
  }

  /** Black or white, whichever reads better on {@code background}. */
  static Color textOn(Color background) {
    double luminance = 0.2126 * background.getRed() + 0.7152 * background.getGreen()
        + 0.0722 * background.getBlue();
    return luminance > 140 ? Color.BLACK : Color.WHITE;
  }
}
