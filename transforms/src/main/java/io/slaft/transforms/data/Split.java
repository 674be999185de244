package io.slaft.transforms.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** A named portion of a task's data. GLUE test labels are hidden, so {@link #DEV} is the evaluation split. */
public enum Split {
  TRAIN,
  DEV,
  TEST;

  /**
   * Parses a split name case-insensitively; {@code validation} is accepted for {@link #DEV}.
   *
   * @throws IllegalArgumentException naming the allowed values when {@code name} is unknown
   */
  public static Split parse(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    switch (n) {
      case "train":
        return TRAIN;
      case "dev":
      case "validation":
        return DEV;
      case "test":
        return TEST;
      default:
        throw new IllegalArgumentException(
            "unknown split '" + name + "': use one of "
                + Arrays.stream(values()).map(Split::lowerName).collect(Collectors.joining(", ")));
    }
  }

  /** The lower-case name used in file names and metric names, e.g. {@code dev}. */
  public String lowerName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
