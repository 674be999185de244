package io.slaft.transforms.data;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What a task predicts: an ordered label set (a label's index is its position) or a regression
 * score in a closed range. Immutable.
 */
public final class Target implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ImmutableList<String> labels;
  private final double min;
  private final double max;

  private Target(List<String> labels, double min, double max) {
    this.labels = ImmutableList.copyOf(labels);
    this.min = min;
    this.max = max;
  }

  /**
   * Classification over {@code labels}, compared exactly after stripping surrounding whitespace.
   *
   * @throws IllegalArgumentException when fewer than two labels are given, or a label is blank or
   *     repeated
   */
  public static Target labels(String... labels) {
    checkArgument(labels.length >= 2, "a label set needs at least 2 labels, got %s", labels.length);
    HashSet<String> seen = new HashSet<>();
    for (String l : labels) {
      checkArgument(l != null && !l.isBlank(), "labels must be non-blank: %s", List.of(labels));
      checkArgument(l.strip().equals(l), "labels must not have surrounding whitespace: '%s'", l);
      checkArgument(seen.add(l), "label '%s' appears twice in %s", l, List.of(labels));
    }
    return new Target(List.of(labels), Double.NaN, Double.NaN);
  }

  /**
   * Regression with scores in {@code [min, max]}.
   *
   * @throws IllegalArgumentException unless both bounds are finite and {@code min < max}
   */
  public static Target regression(double min, double max) {
    checkArgument(
        Double.isFinite(min) && Double.isFinite(max) && min < max,
        "a regression range needs finite min < max, got [%s, %s]",
        min,
        max);
    return new Target(List.of(), min, max);
  }

  public boolean isRegression() {
    return labels.isEmpty();
  }

  /** The label set in index order; empty for regression. */
  public List<String> labels() {
    return labels;
  }

  /** The number of classes; 1 for regression (one output). */
  public int outputs() {
    return isRegression() ? 1 : labels.size();
  }

  /** The index of {@code label}, or -1 when it is not in the set. */
  public int indexOf(String label) {
    return labels.indexOf(label);
  }

  public double min() {
    return min;
  }

  public double max() {
    return max;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof Target)) {
      return false;
    }
    Target t = (Target) o;
    return labels.equals(t.labels)
        && Double.compare(min, t.min) == 0
        && Double.compare(max, t.max) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(labels, min, max);
  }

  @Override
  public String toString() {
    return isRegression() ? "regression[" + min + ", " + max + "]" : "labels" + labels;
  }
}
