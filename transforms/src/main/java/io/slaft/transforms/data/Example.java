package io.slaft.transforms.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One validated row of a task: a text (and optional second text) with either a class label index
 * or a regression score, plus where it came from.
 *
 * <p>Immutable and thread-safe. Texts are stripped of leading and trailing whitespace and are never
 * empty. Encoded by {@link ExampleCoder}, which is deterministic.
 */
@DefaultCoder(ExampleCoder.class)
public final class Example implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String task;
  private final Split split;
  private final String id;
  private final String text;
  private final @Nullable String textPair;
  private final boolean regression;
  private final int label;
  private final float score;
  private final String sourceFile;
  private final long line;

  private Example(
      String task,
      Split split,
      String id,
      String text,
      @Nullable String textPair,
      boolean regression,
      int label,
      float score,
      String sourceFile,
      long line) {
    this.task = checkNotNull(task, "task");
    this.split = checkNotNull(split, "split");
    this.id = checkNotNull(id, "id");
    this.text = checkNotNull(text, "text");
    checkArgument(!text.isEmpty(), "example text must not be empty (task %s, line %s)", task, line);
    checkArgument(
        textPair == null || !textPair.isEmpty(),
        "example text pair must be absent or non-empty (task %s, line %s)",
        task,
        line);
    this.textPair = textPair;
    this.regression = regression;
    checkArgument(regression || label >= 0 || label == UNLABELED, "label index must be >= 0, got %s", label);
    checkArgument(!regression || Float.isFinite(score), "score must be finite, got %s", score);
    this.label = regression ? -1 : label;
    this.score = regression ? score : Float.NaN;
    this.sourceFile = checkNotNull(sourceFile, "sourceFile");
    checkArgument(line >= 1, "line numbers start at 1, got %s", line);
    this.line = line;
  }

  /** The label of a row read without one (input to prediction). */
  static final int UNLABELED = -1;

  /**
   * A row read for prediction: its text (and pair), id, file and line, no label or score ({@link
   * #isLabeled()} is false).
   */
  public static Example unlabeled(
      String task, Split split, String id, String text, @Nullable String textPair, String sourceFile, long line) {
    return new Example(task, split, id, text, textPair, false, UNLABELED, Float.NaN, sourceFile, line);
  }

  /** A classification example; {@code label} indexes the task's label set. */
  public static Example classification(
      String task,
      Split split,
      String id,
      String text,
      @Nullable String textPair,
      int label,
      String sourceFile,
      long line) {
    checkArgument(label >= 0, "label index must be >= 0, got %s", label);
    return new Example(task, split, id, text, textPair, false, label, Float.NaN, sourceFile, line);
  }

  /** A regression example with a finite {@code score}. */
  public static Example regression(
      String task,
      Split split,
      String id,
      String text,
      @Nullable String textPair,
      float score,
      String sourceFile,
      long line) {
    return new Example(task, split, id, text, textPair, true, -1, score, sourceFile, line);
  }

  public String task() {
    return task;
  }

  public Split split() {
    return split;
  }

  /** The row's id column(s) when the task maps one, else the JSON key, else the line number. */
  public String id() {
    return id;
  }

  public String text() {
    return text;
  }

  public Optional<String> textPair() {
    return Optional.ofNullable(textPair);
  }

  public boolean isRegression() {
    return regression;
  }

  /** Whether the row carried a label or score ({@code false} for rows read for prediction). */
  public boolean isLabeled() {
    return regression || label != UNLABELED;
  }

  /**
   * The class index into the task's label set.
   *
   * @throws IllegalStateException for a regression or an unlabeled example
   */
  public int label() {
    if (!isLabeled()) {
      throw new IllegalStateException("example " + id + " of task " + task + " was read without a label (for prediction)");
    }
    if (regression) {
      throw new IllegalStateException(
          "example " + id + " of task " + task + " is a regression example: use score()");
    }
    return label;
  }

  /**
   * The regression target.
   *
   * @throws IllegalStateException for a classification example
   */
  public float score() {
    if (!regression) {
      throw new IllegalStateException(
          "example " + id + " of task " + task + " is a classification example: use label()");
    }
    return score;
  }

  /** The file the row was read from, as given to the reader (absolute for resolved task files). */
  public String sourceFile() {
    return sourceFile;
  }

  /** The 1-based physical line on which the row starts; the header, if any, is line 1. */
  public long line() {
    return line;
  }

  @Nullable
  String textPairOrNull() {
    return textPair;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Example)) {
      return false;
    }
    Example e = (Example) o;
    return regression == e.regression
        && label == e.label
        && Float.compare(score, e.score) == 0
        && line == e.line
        && task.equals(e.task)
        && split == e.split
        && id.equals(e.id)
        && text.equals(e.text)
        && Objects.equals(textPair, e.textPair)
        && sourceFile.equals(e.sourceFile);
  }

  @Override
  public int hashCode() {
    return Objects.hash(task, split, id, text, textPair, regression, label, score, sourceFile, line);
  }

  @Override
  public String toString() {
    return "Example{"
        + task
        + "/"
        + split.lowerName()
        + " id="
        + id
        + (regression ? " score=" + score : " label=" + label)
        + " text="
        + text
        + (textPair == null ? "" : " | " + textPair)
        + " @"
        + sourceFile
        + ":"
        + line
        + "}";
  }
}
