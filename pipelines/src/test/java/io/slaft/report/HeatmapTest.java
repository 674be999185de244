package io.slaft.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeatmapTest {

  private static final List<String> LAYERS =
      List.of("layer 0", "layer 1", "layer 2", "layer 3", "layer 4", "layer 5");
  private static final List<String> SITES =
      List.of("attn-series", "ffn-series", "ffn-parallel", "lora-q", "lora-v");

  static Heatmap gates() {
    double[][] z = new double[6][5];
    for (int l = 0; l < 6; l++) {
      for (int s = 0; s < 5; s++) {
        z[l][s] = ((l * 5 + s) * 7 % 29) / 28.0;
      }
    }
    z[0][0] = 0.02;
    z[5][4] = 0.97;
    z[3][2] = Double.NaN;
    return Heatmap.builder().title("SST-2 gate values").rowLabels(LAYERS).columnLabels(SITES)
        .values(z).size(1000, 640).build();
  }

  @Test
  void writesAPngWhoseCellsShowTheirColour(@TempDir Path dir) throws Exception {
    Heatmap heatmap = gates();
    Path file = dir.resolve("plots/gates-sst2.png");
    heatmap.writePng(file);
    BufferedImage image = Pngs.readPng(file, 1000, 640);
    Rectangle2D area = heatmap.renderWithArea().dataArea();

    int low = cellColour(image, area, 0, 0);
    int high = cellColour(image, area, 5, 4);
    int empty = cellColour(image, area, 3, 2);
    assertEquals(heatmap.colour(0.02).getRGB() & 0xffffff, low, "low cell colour");
    assertEquals(heatmap.colour(0.97).getRGB() & 0xffffff, high, "high cell colour");
    assertEquals(ColorScale.MISSING.getRGB() & 0xffffff, empty, "NaN cell colour");
    assertNotEquals(low, high);
    Color lowColour = new Color(low);
    Color highColour = new Color(high);
    assertTrue(lowColour.getRed() + lowColour.getGreen() < highColour.getRed()
        + highColour.getGreen(), "low values are darker than high ones");

    double cellWidth = area.getWidth() / SITES.size();
    double cellHeight = area.getHeight() / LAYERS.size();
    int x0 = (int) (area.getX() + 4 * cellWidth);
    int y0 = (int) (area.getY() + 5 * cellHeight);
    int textPixels = Pngs.count(image, Color.BLACK.getRGB(), x0, y0,
        (int) (x0 + cellWidth), (int) (y0 + cellHeight));
    assertTrue(textPixels > 20, "the bright cell prints its value in black: " + textPixels);
    int whiteText = Pngs.count(image, Color.WHITE.getRGB(), (int) area.getX(), (int) area.getY(),
        (int) (area.getX() + cellWidth), (int) (area.getY() + cellHeight));
    assertTrue(whiteText > 20, "the dark cell prints its value in white: " + whiteText);
  }

  @Test
  void rendersDeterministically() {
    BufferedImage a = gates().render();
    BufferedImage b = gates().render();
    for (int y = 0; y < a.getHeight(); y += 3) {
      for (int x = 0; x < a.getWidth(); x += 3) {
        assertEquals(a.getRGB(x, y), b.getRGB(x, y), "pixel " + x + "," + y);
      }
    }
  }

  @Test
  void colourScaleIsClippedAndOrdered() {
    ColorScale scale = new ColorScale(0, 1);
    assertEquals(scale.colour(0), scale.colour(-3));
    assertEquals(scale.colour(1), scale.colour(7));
    assertEquals(new Color(0x440154), scale.colour(0));
    assertEquals(new Color(0xfde725), scale.colour(1));
    assertEquals(new Color(0x21918c), scale.colour(0.5));
  }

  @Test
  void validatesShapeAndScale() {
    assertEquals("values must have one row per row label: 1 rows for 2 labels", assertThrows(
        IllegalArgumentException.class, () -> Heatmap.builder().title("t")
            .rowLabels(List.of("a", "b")).columnLabels(List.of("x")).values(new double[][] {{1}})
            .build()).getMessage());
    assertEquals("values row 0 must have one value per column label (2)", assertThrows(
        IllegalArgumentException.class, () -> Heatmap.builder().title("t")
            .rowLabels(List.of("a")).columnLabels(List.of("x", "y")).values(new double[][] {{1}})
            .build()).getMessage());
    assertThrows(IllegalArgumentException.class, () -> Heatmap.builder().title("t")
        .rowLabels(List.of("a")).columnLabels(List.of("x")).values(new double[][] {{1}})
        .scale(1, 1).build());
    assertEquals("image size must be within [200, 4000] pixels per side, got 100x600",
        assertThrows(IllegalArgumentException.class, () -> Heatmap.builder().title("t")
            .rowLabels(List.of("a")).columnLabels(List.of("x")).values(new double[][] {{1}})
            .size(100, 600).build()).getMessage());
  }

  /** The colour near the top-left corner of a cell, away from its centred label. */
  private static int cellColour(BufferedImage image, Rectangle2D area, int row, int column) {
    double cellWidth = area.getWidth() / SITES.size();
    double cellHeight = area.getHeight() / LAYERS.size();
    int x = (int) (area.getX() + (column + 0.15) * cellWidth);
    int y = (int) (area.getY() + (row + 0.15) * cellHeight);
    return image.getRGB(x, y) & 0xffffff;
  }
}
