package io.slaft.transforms.perturb;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The perturbation ratios a robustness evaluation visits, strictly increasing in [0, 1].
 *
 * @param levels the ratios; copied
 */
public record SeveritySchedule(List<Double> levels) implements Serializable {

  /** The default schedule 0, 5, 10, 15, 20 %. */
  public static final SeveritySchedule DEFAULT = of(0.0, 0.05, 0.10, 0.15, 0.20);

  /**
   * Validates the levels.
   *
   * @throws IllegalArgumentException if there are none, one is outside [0, 1] or not finite, or
   *     they are not strictly increasing
   */
  public SeveritySchedule {
    levels = List.copyOf(Objects.requireNonNull(levels, "levels"));
    if (levels.isEmpty()) {
      throw new IllegalArgumentException("a severity schedule needs at least one level");
    }
    for (int i = 0; i < levels.size(); i++) {
      double level = levels.get(i);
      if (!(level >= 0.0 && level <= 1.0)) {
        throw new IllegalArgumentException(
            "severity levels must be in [0, 1], got " + level + " at index " + i);
      }
      if (i > 0 && level <= levels.get(i - 1)) {
        throw new IllegalArgumentException("severity levels must be strictly increasing, got "
            + levels.get(i - 1) + " then " + level);
      }
    }
  }

  /** A schedule of the given levels. */
  public static SeveritySchedule of(double... levels) {
    List<Double> list = new ArrayList<>(levels.length);
    for (double level : levels) {
      list.add(level);
    }
    return new SeveritySchedule(list);
  }

  /**
   * Parses a comma-separated list such as {@code "0, 0.05, 0.1"}; a value ending in {@code %} is a
   * percentage ({@code "5%"} = 0.05).
   *
   * @throws IllegalArgumentException if an entry is not a number, or as the constructor
   */
  public static SeveritySchedule parse(String text) {
    Objects.requireNonNull(text, "text");
    List<Double> levels = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String entry = part.trim();
      boolean percent = entry.endsWith("%");
      String number = percent ? entry.substring(0, entry.length() - 1).trim() : entry;
      try {
        double value = Double.parseDouble(number);
        levels.add(percent ? value / 100.0 : value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "severity levels must be numbers or percentages, got '" + entry + "' in '" + text
                + "'");
      }
    }
    return new SeveritySchedule(levels);
  }

  /** The number of levels. */
  public int size() {
    return levels.size();
  }

  /** The level at {@code index}. */
  public double level(int index) {
    return levels.get(index);
  }

  /** Whether the first level is 0, i.e. the schedule includes the clean evaluation. */
  public boolean includesClean() {
    return levels.get(0) == 0.0;
  }

  /** The levels as a primitive array, for {@link RobustnessMetrics}. */
  public double[] toArray() {
    return levels.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
