package io.slaft.transforms.data;

import io.slaft.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The dead-letter file format: a header {@code file, line, reason, detail, raw} and one row per dead
 * letter, sorted by file then line, tab-separated. Tabs, newlines, carriage returns and backslashes
 * inside values are escaped as {@code \t}, {@code \n}, {@code \r} and {@code \\}. Stateless.
 */
public final class DeadLetterTsv {
  /** The header row, without a line break. */
  public static final String HEADER = "file\tline\treason\tdetail\traw";

  /** The order of rows in a dead-letter file. */
  public static final Comparator<DeadLetter> ORDER =
      Comparator.comparing(DeadLetter::file)
          .thenComparingLong(DeadLetter::line)
          .thenComparing(d -> d.reason().name())
          .thenComparing(DeadLetter::detail)
          .thenComparing(DeadLetter::raw);

  private DeadLetterTsv() {}

  /** One row, without a line break. */
  public static String row(DeadLetter d) {
    return escape(d.file())
        + '\t'
        + d.line()
        + '\t'
        + d.reason().name()
        + '\t'
        + escape(d.detail())
        + '\t'
        + escape(d.raw());
  }

  /** The whole file content for {@code deadLetters}, in {@link #ORDER}. */
  public static String format(Collection<DeadLetter> deadLetters) {
    List<DeadLetter> sorted = new ArrayList<>(deadLetters);
    sorted.sort(ORDER);
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (DeadLetter d : sorted) {
      sb.append(row(d)).append('\n');
    }
    return sb.toString();
  }

  /** Writes {@code deadLetters} to {@code file} atomically ({@link AtomicFiles}). */
  public static void write(Path file, Collection<DeadLetter> deadLetters) throws IOException {
    AtomicFiles.writeString(file, format(deadLetters));
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\t':
          sb.append("\\t");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        default:
          sb.append(c);
      }
    }
    return sb.toString();
  }
}
