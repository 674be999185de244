package io.slaft.transforms.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableSortedMap;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Counts from reading one task file. Invariant, checked at construction: {@code rowsRead ==
 * examples + deadLetters}, and the per-reason counts sum to {@code deadLetters}.
 *
 * <p>A row is every non-blank physical line after the header (for CSV, every record, which may span
 * lines; for JSON documents, every entry). Blank lines are counted separately and are not rows.
 * Immutable.
 */
public final class ReadReport implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String task;
  private final Split split;
  private final String file;
  private final long rowsRead;
  private final long examples;
  private final long deadLetters;
  private final ImmutableSortedMap<DeadLetter.Reason, Long> byReason;
  private final long blankLines;
  private final boolean limitReached;

  ReadReport(
      String task,
      Split split,
      String file,
      long rowsRead,
      long examples,
      long deadLetters,
      Map<DeadLetter.Reason, Long> byReason,
      long blankLines,
      boolean limitReached) {
    this.task = checkNotNull(task);
    this.split = checkNotNull(split);
    this.file = checkNotNull(file);
    checkArgument(
        rowsRead == examples + deadLetters,
        "rows read (%s) must equal examples (%s) + dead letters (%s) for %s",
        rowsRead,
        examples,
        deadLetters,
        file);
    checkArgument(
        byReason.values().stream().mapToLong(Long::longValue).sum() == deadLetters,
        "per-reason counts %s must sum to %s dead letters",
        byReason,
        deadLetters);
    this.rowsRead = rowsRead;
    this.examples = examples;
    this.deadLetters = deadLetters;
    this.byReason = ImmutableSortedMap.copyOf(byReason);
    this.blankLines = blankLines;
    this.limitReached = limitReached;
  }

  public String task() {
    return task;
  }

  public Split split() {
    return split;
  }

  public String file() {
    return file;
  }

  public long rowsRead() {
    return rowsRead;
  }

  public long examples() {
    return examples;
  }

  public long deadLetters() {
    return deadLetters;
  }

  /** Dead-letter counts per reason; reasons that did not occur are absent. */
  public Map<DeadLetter.Reason, Long> deadLettersByReason() {
    return byReason;
  }

  public long blankLines() {
    return blankLines;
  }

  /** True when reading stopped at the row limit before the end of the file. */
  public boolean limitReached() {
    return limitReached;
  }

  /** {@code deadLetters / rowsRead}, and 0 when no rows were read. */
  public double deadLetterFraction() {
    return rowsRead == 0 ? 0.0 : (double) deadLetters / rowsRead;
  }

  /**
   * The report as a one-line JSON object with fields {@code task, split, file, rowsRead, examples,
   * deadLetters, deadLettersByReason, blankLines, limitReached, deadLetterFraction}, for pipelines
   * that write it beside their results.
   */
  public String toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("task", task);
    n.put("split", split.lowerName());
    n.put("file", file);
    n.put("rowsRead", rowsRead);
    n.put("examples", examples);
    n.put("deadLetters", deadLetters);
    ObjectNode reasons = n.putObject("deadLettersByReason");
    byReason.forEach((r, c) -> reasons.put(r.name(), c));
    n.put("blankLines", blankLines);
    n.put("limitReached", limitReached);
    n.put("deadLetterFraction", deadLetterFraction());
    return n.toString();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof ReadReport)) {
      return false;
    }
    ReadReport r = (ReadReport) o;
    return rowsRead == r.rowsRead
        && examples == r.examples
        && deadLetters == r.deadLetters
        && blankLines == r.blankLines
        && limitReached == r.limitReached
        && task.equals(r.task)
        && split == r.split
        && file.equals(r.file)
        && byReason.equals(r.byReason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(task, split, file, rowsRead, examples, deadLetters, byReason, blankLines, limitReached);
  }

  @Override
  public String toString() {
    return task
        + "/"
        + split.lowerName()
        + " "
        + file
        + ": rows="
        + rowsRead
        + " examples="
        + examples
        + " deadLetters="
        + deadLetters
        + (byReason.isEmpty() ? "" : " " + byReason)
        + " blankLines="
        + blankLines
        + (limitReached ? " (limit reached)" : "");
  }

  /** Mutable tally used while reading; not thread-safe. */
  static final class Tally {
    private long examples;
    private long deadLetters;
    private long blankLines;
    private boolean limitReached;
    private final EnumMap<DeadLetter.Reason, Long> byReason = new EnumMap<>(DeadLetter.Reason.class);

    void example() {
      examples++;
    }

    void deadLetter(DeadLetter.Reason reason) {
      deadLetters++;
      byReason.merge(reason, 1L, Long::sum);
    }

    void blankLine() {
      blankLines++;
    }

    void limitReached() {
      limitReached = true;
    }

    long rows() {
      return examples + deadLetters;
    }

    ReadReport build(String task, Split split, String file) {
      return new ReadReport(
          task, split, file, examples + deadLetters, examples, deadLetters, byReason, blankLines, limitReached);
    }
  }
}
