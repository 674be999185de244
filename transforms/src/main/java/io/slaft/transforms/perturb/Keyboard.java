package io.slaft.transforms.perturb;

/**
 * QWERTY key adjacency for the 26 Latin letters. Two keys are neighbours when they sit next to each
 * other on one row, or on adjacent rows with horizontal centres less than one key width apart
 * (rows staggered by a quarter and three quarters of a key).
 */
final class Keyboard {

  private static final String[] ROWS = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};
  private static final double[] ROW_OFFSET = {0.0, 0.25, 0.75};
  private static final char[][] NEIGHBOURS = new char[26][];

  static {
    for (int r = 0; r < ROWS.length; r++) {
      for (int c = 0; c < ROWS[r].length(); c++) {
        StringBuilder near = new StringBuilder();
        double x = c + ROW_OFFSET[r];
        for (int r2 = Math.max(0, r - 1); r2 <= Math.min(ROWS.length - 1, r + 1); r2++) {
          for (int c2 = 0; c2 < ROWS[r2].length(); c2++) {
            if (r2 == r && c2 == c) {
              continue;
            }
            double distance = Math.abs(c2 + ROW_OFFSET[r2] - x);
            if (r2 == r ? distance == 1.0 : distance < 1.0) {
              near.append(ROWS[r2].charAt(c2));
            }
          }
        }
        NEIGHBOURS[ROWS[r].charAt(c) - 'a'] = near.toString().toCharArray();
      }
    }
  }

  private Keyboard() {}

  /** Whether {@code c} is an ASCII letter, i.e. has a key. */
  static boolean hasKey(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** The neighbours of an ASCII letter, lower case; never empty. */
  static char[] neighbours(char c) {
    if (!hasKey(c)) {
      throw new IllegalArgumentException("no QWERTY key for '" + c + "'");
    }
    return NEIGHBOURS[Character.toLowerCase(c) - 'a'].clone();
  }
}
