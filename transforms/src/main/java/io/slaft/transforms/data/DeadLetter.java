package io.slaft.transforms.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A row that failed validation: where it was, why, and its raw text (at most {@link #MAX_RAW_CHARS}
 * characters; invalid UTF-8 bytes appear as U+FFFD).
 *
 * <p>Immutable and thread-safe. Encoded by {@link DeadLetterCoder}, which is deterministic.
 */
@DefaultCoder(DeadLetterCoder.class)
public final class DeadLetter implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Raw rows longer than this are truncated. */
  public static final int MAX_RAW_CHARS = 1000;

  /** Why a row was rejected. Each dead letter has exactly one reason: the first check it failed. */
  public enum Reason {
    /** A delimited row whose field count differs from the header's (or the declared count). */
    WRONG_COLUMN_COUNT,
    /** A JSON record without a mapped field, or with {@code null} in it. */
    MISSING_FIELD,
    /** The text or text-pair field is empty or whitespace only. */
    EMPTY_TEXT,
    /** A classification label outside the task's label set. */
    UNKNOWN_LABEL,
    /** A regression score that is not a decimal number. */
    NON_NUMERIC_SCORE,
    /** A regression score outside the task's declared range. */
    SCORE_OUT_OF_RANGE,
    /**
     * The row's bytes are not valid UTF-8, or a JSON field escapes an unpaired surrogate
     * (U+D800 to U+DFFF), which has no UTF-8 form.
     */
    INVALID_UTF8,
    /** A JSON line or entry that does not parse, is not an object, or has a non-scalar field. */
    MALFORMED_JSON,
    /** A CSV quoted field that is still open at the end of the file. */
    UNTERMINATED_QUOTE,
    /** A row longer than {@link DataFile#MAX_ROW_BYTES}; its raw text is the start of the row. */
    ROW_TOO_LONG,
    /** A mapped field (or a JSON document's key) holding U+0000, which text never does. */
    NUL_CHARACTER
  }

  private final String task;
  private final Split split;
  private final String file;
  private final long line;
  private final Reason reason;
  private final String detail;
  private final String raw;

  private DeadLetter(
      String task, Split split, String file, long line, Reason reason, String detail, String raw) {
    this.task = checkNotNull(task, "task");
    this.split = checkNotNull(split, "split");
    this.file = checkNotNull(file, "file");
    checkArgument(line >= 1, "line numbers start at 1, got %s", line);
    this.line = line;
    this.reason = checkNotNull(reason, "reason");
    this.detail = checkNotNull(detail, "detail");
    checkNotNull(raw, "raw");
    this.raw = raw.length() > MAX_RAW_CHARS ? raw.substring(0, MAX_RAW_CHARS) : raw;
  }

  /** Creates a dead letter; {@code raw} is truncated to {@link #MAX_RAW_CHARS} characters. */
  public static DeadLetter of(
      String task, Split split, String file, long line, Reason reason, String detail, String raw) {
    return new DeadLetter(task, split, file, line, reason, detail, raw);
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

  /** The 1-based physical line on which the row starts. */
  public long line() {
    return line;
  }

  public Reason reason() {
    return reason;
  }

  /** A human-readable explanation, e.g. {@code expected 4 columns, found 3}. */
  public String detail() {
    return detail;
  }

  public String raw() {
    return raw;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof DeadLetter)) {
      return false;
    }
    DeadLetter d = (DeadLetter) o;
    return line == d.line
        && task.equals(d.task)
        && split == d.split
        && file.equals(d.file)
        && reason == d.reason
        && detail.equals(d.detail)
        && raw.equals(d.raw);
  }

  @Override
  public int hashCode() {
    return Objects.hash(task, split, file, line, reason, detail, raw);
  }

  @Override
  public String toString() {
    return "DeadLetter{" + file + ":" + line + " " + reason + " (" + detail + ")}";
  }
}
