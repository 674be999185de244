package io.slaft.transforms.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.collect.ImmutableList;
import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What a task predicts: an ordered label set (a label's index is its position), a regression
 * score in a closed range, or an ordered label set still to be inferred from the training file
 * ({@link #inferredLabels()}; {@link TaskReader#labelValues} reads it and {@link
 * TaskSpec#withLabels} fixes it, before any row is read as an example). Immutable.
 */
public final class Target implements Serializable {
  private static final long serialVersionUID = 1L;

  private enum Kind { LABELS, REGRESSION, INFERRED_LABELS }

  private final Kind kind;
  private final ImmutableList<String> labels;
  private final double min;
  private final double max;

  private Target(Kind kind, List<String> labels, double min, double max) {
    this.kind = kind;
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
    return new Target(Kind.LABELS, List.of(labels), Double.NaN, Double.NaN);
  }

  /**
   * Classification whose labels are the distinct label values of the training file, in {@link
   * TaskReader#labelValues} order. Until they are fixed ({@link TaskSpec#withLabels}) {@link
   * #labels()} is empty, and reading the task's rows is refused.
   */
  public static Target inferredLabels() {
    return new Target(Kind.INFERRED_LABELS, List.of(), Double.NaN, Double.NaN);
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
    return new Target(Kind.REGRESSION, List.of(), min, max);
  }

  public boolean isRegression() {
    return kind == Kind.REGRESSION;
  }

  /** Whether this is a classification whose labels are still to be inferred ({@link #inferredLabels()}). */
  public boolean isInferred() {
    return kind == Kind.INFERRED_LABELS;
  }

  /** The label set in index order; empty for regression and for labels still to be inferred. */
  public List<String> labels() {
    return labels;
  }

  /**
   * The number of classes; 1 for regression (one output).
   *
   * @throws IllegalStateException when the labels are still to be inferred
   */
  public int outputs() {
    checkState(!isInferred(), "the labels are still to be inferred from the training file");
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
    return kind == t.kind
        && labels.equals(t.labels)
        && Double.compare(min, t.min) == 0
        && Double.compare(max, t.max) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind.ordinal(), labels, min, max);
  }

  @Override
  public String toString() {
    return isRegression() ? "regression[" + min + ", " + max + "]" : isInferred() ? "labels[inferred]" : "labels" + labels;
  }
}
