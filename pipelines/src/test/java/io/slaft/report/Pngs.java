package io.slaft.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;

/** Assertions on written PNG files. */
final class Pngs {

  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private Pngs() {}

  /** Reads {@code file} back, checking the PNG signature and the pixel size. */
  static BufferedImage readPng(Path file, int width, int height) throws IOException {
    assertTrue(Files.isRegularFile(file), file + " exists");
    byte[] head = new byte[8];
    try (InputStream in = Files.newInputStream(file)) {
      assertEquals(8, in.read(head));
    }
    assertArrayEquals(SIGNATURE, head, "PNG signature");
    BufferedImage image = ImageIO.read(file.toFile());
    assertNotNull(image, "ImageIO decodes " + file);
    assertEquals(width, image.getWidth());
    assertEquals(height, image.getHeight());
    return image;
  }

  /** The number of distinct RGB colours, a crude measure that something was drawn. */
  static int distinctColours(BufferedImage image) {
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        colours.add(image.getRGB(x, y) & 0xffffff);
      }
    }
    return colours.size();
  }

  /** The number of pixels of exactly colour {@code rgb} inside the rectangle. */
  static int count(BufferedImage image, int rgb, int x0, int y0, int x1, int y1) {
    int n = 0;
    for (int y = Math.max(0, y0); y < Math.min(image.getHeight(), y1); y++) {
      for (int x = Math.max(0, x0); x < Math.min(image.getWidth(), x1); x++) {
        if ((image.getRGB(x, y) & 0xffffff) == (rgb & 0xffffff)) {
          n++;
        }
      }
    }
    return n;
  }
}
