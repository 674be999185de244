package io.slaft.transforms.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.Serializable;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One file of a task split: its path, layout and column mapping. Immutable; {@code with*} methods
 * return validated copies.
 *
 * <p>A relative path is resolved against the data root ({@link DataRoot}); an absolute path is used
 * as is. Files are read as strict UTF-8; a byte-order mark at the start of the file is ignored (one
 * anywhere else is an ordinary character). Lines end at {@code \n} or {@code \r\n}; a lone
 * {@code \r} does not end a line.
 *
 * <p>Limits, each making one row a {@link DeadLetter} rather than failing the file: a row longer
 * than {@link #MAX_ROW_BYTES} is {@link DeadLetter.Reason#ROW_TOO_LONG} (at most that much of it is
 * held in memory, and reading goes on after it); a mapped field holding U+0000 is {@link
 * DeadLetter.Reason#NUL_CHARACTER}; JSON nested deeper than {@link #MAX_JSON_DEPTH} levels is {@link
 * DeadLetter.Reason#MALFORMED_JSON}. A header longer than {@link #MAX_ROW_BYTES}, one that is not
 * UTF-8 (a UTF-16 file, say) or one that holds NUL bytes refuses the whole file with a {@link
 * TaskDataException} naming it.
 */
public final class DataFile implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * The longest row read, in bytes of the file (1 MiB): a physical line of TSV or JSONL, a CSV
   * record (its lines and the line breaks between them), or, in characters, an entry of a JSON
   * document. The line break that ends a row does not count.
   */
  public static final int MAX_ROW_BYTES = 1 << 20;

  /** The deepest nesting of JSON arrays and objects read (Jackson's default, set explicitly). */
  public static final int MAX_JSON_DEPTH = 1000;

  /** How rows are delimited. */
  public enum Format {
    /** One row per line, fields split on the delimiter (default tab); quotes are ordinary text. */
    TSV,
    /** RFC 4180: fields may be quoted with {@code "}, quotes doubled, delimiters and newlines inside. */
    CSV,
    /** One JSON object per line. */
    JSONL,
    /**
     * One JSON document: an object of {@code id -> record} (the GLUE subset layout) or an array of
     * records. A syntax error, invalid UTF-8, nesting deeper than {@link #MAX_JSON_DEPTH} or a single
     * string longer than Jackson's limit (20 000 000 characters) ends the file: it is one dead letter
     * and later entries are not read. An entry longer than {@link #MAX_ROW_BYTES} characters is
     * skipped as one dead letter and reading goes on.
     */
    JSON
  }

  private final String path;
  private final Format format;
  private final boolean header;
  private final char delimiter;
  private final int columnCount;
  private final ColumnMapping columns;

  private DataFile(
      String path, Format format, boolean header, char delimiter, int columnCount, ColumnMapping columns) {
    checkArgument(path != null && !path.isBlank(), "a data file needs a non-blank path");
    this.path = path;
    this.format = checkNotNull(format, "format");
    this.header = header;
    this.delimiter = delimiter;
    this.columnCount = columnCount;
    this.columns = checkNotNull(columns, "columns");
    boolean delimited = format == Format.TSV || format == Format.CSV;
    if (delimited) {
      checkArgument(
          delimiter != '\n' && delimiter != '\r' && delimiter != '"',
          "%s: the delimiter must not be a newline or a quote",
          path);
      if (!header) {
        checkArgument(
            columnCount > 0,
            "%s: a file without a header must declare its column count (withoutHeader(n))",
            path);
        for (Column c : columns.all()) {
          checkArgument(
              !c.isNamed(),
              "%s has no header, so column %s must be positional: use Column.at(i)",
              path,
              c);
          checkArgument(
              c.index() < columnCount,
              "%s: column %s is outside the declared %s columns",
              path,
              c,
              columnCount);
        }
      }
    } else {
      for (Column c : columns.all()) {
        checkArgument(
            c.isNamed(), "%s is %s, so column %s must be a field name: use Column.named(..)", path, format, c);
      }
    }
  }

  /** A tab-separated file with a header row. */
  public static DataFile tsv(String path, ColumnMapping columns) {
    return new DataFile(path, Format.TSV, true, '\t', 0, columns);
  }

  /** An RFC 4180 comma-separated file with a header row. */
  public static DataFile csv(String path, ColumnMapping columns) {
    return new DataFile(path, Format.CSV, true, ',', 0, columns);
  }

  /** A JSON-lines file. */
  public static DataFile jsonl(String path, ColumnMapping columns) {
    return new DataFile(path, Format.JSONL, false, '\0', 0, columns);
  }

  /** A single JSON document (object of records keyed by id, or array of records). */
  public static DataFile json(String path, ColumnMapping columns) {
    return new DataFile(path, Format.JSON, false, '\0', 0, columns);
  }

  /**
   * The file at {@code path} read for prediction with this (training) file's columns, the label not
   * read ({@link ColumnMapping#withoutLabel()}). The format is the extension's ({@code .tsv},
   * {@code .csv}, {@code .jsonl}, {@code .json}); in this file's own format the header, delimiter and
   * column count carry over, in another one the columns must be named (a header, or JSON fields).
   *
   * @throws IllegalArgumentException naming the path and the fix for an unknown extension, or
   *     positional columns in another format
   */
  public DataFile forPrediction(String path) {
    String lower = path.toLowerCase(java.util.Locale.ROOT);
    Format f = lower.endsWith(".tsv") ? Format.TSV : lower.endsWith(".csv") ? Format.CSV
        : lower.endsWith(".jsonl") ? Format.JSONL : lower.endsWith(".json") ? Format.JSON : null;
    if (f == null) {
      throw new IllegalArgumentException(path + ": the input's format is taken from its extension; name it .tsv, .csv,"
          + " .jsonl or .json (the task's training file is " + format.name().toLowerCase(java.util.Locale.ROOT) + ")");
    }
    ColumnMapping read = columns.withoutLabel();
    if (f == format) {
      return new DataFile(path, format, header, delimiter, columnCount, read);
    }
    if (!header && (format == Format.TSV || format == Format.CSV)) {
      throw new IllegalArgumentException(path + ": the task's training file " + this.path + " has no header, so its"
          + " columns are positions; give the input as ." + format.name().toLowerCase(java.util.Locale.ROOT)
          + " without a header too");
    }
    return switch (f) {
      case TSV -> tsv(path, read);
      case CSV -> csv(path, read);
      case JSONL -> jsonl(path, read);
      case JSON -> json(path, read);
    };
  }

  /** A copy for a delimited file without a header row, whose rows have {@code columnCount} fields. */
  public DataFile withoutHeader(int columnCount) {
    checkArgument(format == Format.TSV || format == Format.CSV, "%s: only TSV/CSV files have headers", path);
    return new DataFile(path, format, false, delimiter, columnCount, columns);
  }

  /** A copy of a delimited file with another field delimiter. */
  public DataFile withDelimiter(char delimiter) {
    checkArgument(format == Format.TSV || format == Format.CSV, "%s: only TSV/CSV files have delimiters", path);
    return new DataFile(path, format, header, delimiter, columnCount, columns);
  }

  public String path() {
    return path;
  }

  public Format format() {
    return format;
  }

  public boolean hasHeader() {
    return header;
  }

  public char delimiter() {
    return delimiter;
  }

  /** The declared field count of a headerless delimited file; 0 when the header decides. */
  public int columnCount() {
    return columnCount;
  }

  public ColumnMapping columns() {
    return columns;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof DataFile)) {
      return false;
    }
    DataFile f = (DataFile) o;
    return path.equals(f.path)
        && format == f.format
        && header == f.header
        && delimiter == f.delimiter
        && columnCount == f.columnCount
        && columns.equals(f.columns);
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, format, header, delimiter, columnCount, columns);
  }

  @Override
  public String toString() {
    return format
        + " "
        + path
        + (format == Format.TSV || format == Format.CSV
            ? (header ? " (header)" : " (no header, " + columnCount + " columns)")
            : "")
        + " "
        + columns;
  }
}
