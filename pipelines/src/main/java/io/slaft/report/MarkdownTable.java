package io.slaft.report;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A table of a header and rows, rendered as a GitHub-flavoured Markdown table or as plain text
 * aligned for terminals.
 *
 * <p>Cells are formatted once, at construction: {@code null} is empty; {@code Double}/{@code Float}
 * with the column's decimals ({@link Builder#decimals(int)}, overridable per column), NaN as
 * {@code NaN} and infinities as {@code inf}/{@code -inf}; other numbers with {@code toString()}
 * ({@link BigDecimal} in plain notation); anything else with {@code String.valueOf}, line breaks
 * replaced by spaces. A column whose non-empty cells are all numbers is right-aligned. Formatting
 * is locale-independent ({@link Locale#ROOT}). Immutable and thread-safe.
 */
public final class MarkdownTable {

  private final List<String> header;
  private final List<List<String>> rows;
  private final boolean[] numeric;

  private MarkdownTable(Builder b) {
    this.header = List.copyOf(b.header);
    int columns = header.size();
    int[] decimals = new int[columns];
    Arrays.fill(decimals, b.decimals);
    for (Map.Entry<String, Integer> e : b.columnDecimals.entrySet()) {
      int column = header.indexOf(e.getKey());
      if (column < 0) {
        throw new IllegalArgumentException("decimals set for unknown column '" + e.getKey()
            + "'; columns: " + String.join(", ", header));
      }
      decimals[column] = e.getValue();
    }
    this.numeric = new boolean[columns];
    Arrays.fill(numeric, true);
    boolean[] anyValue = new boolean[columns];
    List<List<String>> formatted = new ArrayList<>();
    for (List<Object> row : b.rows) {
      List<String> cells = new ArrayList<>(columns);
      for (int c = 0; c < columns; c++) {
        Object cell = row.get(c);
        if (cell != null) {
          anyValue[c] = true;
          numeric[c] &= cell instanceof Number;
        }
        cells.add(format(cell, decimals[c]));
      }
      formatted.add(List.copyOf(cells));
    }
    for (int c = 0; c < columns; c++) {
      numeric[c] &= anyValue[c];
    }
    this.rows = List.copyOf(formatted);
  }

  /**
   * Starts a table with the given column names.
   *
   * @throws IllegalArgumentException if there are no columns, or a name is blank or repeats
   */
  public static Builder builder(String... header) {
    return new Builder(List.of(header));
  }

  /** Starts a table with the given column names; see {@link #builder(String...)}. */
  public static Builder builder(List<String> header) {
    return new Builder(header);
  }

  public List<String> header() {
    return header;
  }

  /** The formatted cells, row by row. */
  public List<List<String>> rows() {
    return rows;
  }

  /**
   * The table as Markdown: cells padded to the column width, {@code |} escaped, numeric columns
   * marked right-aligned ({@code ---:}); one line per row, each ending in {@code \n}.
   */
  public String toMarkdown() {
    List<String> escapedHeader = header.stream().map(MarkdownTable::escape).toList();
    List<List<String>> escapedRows =
        rows.stream().map(r -> r.stream().map(MarkdownTable::escape).toList()).toList();
    int[] widths = widths(escapedHeader, escapedRows, 3);
    StringBuilder out = new StringBuilder();
    line(out, escapedHeader, widths, "| ", " | ", " |");
    out.append('|');
    for (int c = 0; c < widths.length; c++) {
      out.append(' ').append("-".repeat(widths[c] - (numeric[c] ? 1 : 0)))
          .append(numeric[c] ? ":" : "").append(" |");
    }
    out.append('\n');
    for (List<String> row : escapedRows) {
      line(out, row, widths, "| ", " | ", " |");
    }
    return out.toString();
  }

  /**
   * The table as plain text: columns separated by two spaces, the header underlined with dashes,
   * numeric columns right-aligned, no trailing spaces; each line ends in {@code \n}.
   */
  public String toText() {
    int[] widths = widths(header, rows, 1);
    StringBuilder out = new StringBuilder();
    line(out, header, widths, "", "  ", "");
    List<String> rule = new ArrayList<>();
    for (int width : widths) {
      rule.add("-".repeat(width));
    }
    line(out, rule, widths, "", "  ", "");
    for (List<String> row : rows) {
      line(out, row, widths, "", "  ", "");
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return toText();
  }

  private int[] widths(List<String> head, List<List<String>> body, int minimum) {
    int[] widths = new int[head.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = Math.max(minimum, head.get(c).length());
      for (List<String> row : body) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    return widths;
  }

  private void line(StringBuilder out, List<String> cells, int[] widths, String open,
      String separator, String close) {
    StringBuilder line = new StringBuilder(open);
    for (int c = 0; c < cells.size(); c++) {
      if (c > 0) {
        line.append(separator);
      }
      String cell = cells.get(c);
      String pad = " ".repeat(widths[c] - cell.length());
      line.append(numeric[c] ? pad + cell : cell + pad);
    }
    line.append(close);
    int end = line.length();
    while (end > 0 && line.charAt(end - 1) == ' ') {
      end--;
    }
    out.append(line, 0, end).append('\n');
  }

  private static String escape(String cell) {
    return cell.replace("|", "\\|");
  }

  static String format(Object cell, int decimals) {
    if (cell == null) {
      return "";
    }
    if (cell instanceof Double || cell instanceof Float) {
      double v = ((Number) cell).doubleValue();
      if (Double.isNaN(v)) {
        return "NaN";
      }
      if (Double.isInfinite(v)) {
        return v > 0 ? "inf" : "-inf";
      }
      return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
    if (cell instanceof BigDecimal big) {
      return big.toPlainString();
    }
    if (cell instanceof BigInteger || cell instanceof Number) {
      return cell.toString();
    }
    return String.valueOf(cell).replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
  }

  /** Collects header, rows and number formats; not thread-safe. */
  public static final class Builder {
    private final List<String> header;
    private final List<List<Object>> rows = new ArrayList<>();
    private final Map<String, Integer> columnDecimals = new HashMap<>();
    private int decimals = 4;

    private Builder(List<String> header) {
      Objects.requireNonNull(header, "header");
      if (header.isEmpty()) {
        throw new IllegalArgumentException("a table needs at least one column");
      }
      for (String name : header) {
        Charts.requireText(name, "column name");
      }
      if (header.stream().distinct().count() != header.size()) {
        throw new IllegalArgumentException("column names must be distinct, got " + header);
      }
      this.header = List.copyOf(header);
    }

    /** Decimals for floating-point cells, in [0, 12]; default 4. */
    public Builder decimals(int decimals) {
      this.decimals = checkDecimals(decimals);
      return this;
    }

    /** Decimals for the floating-point cells of one column, overriding {@link #decimals(int)}. */
    public Builder decimals(String column, int decimals) {
      columnDecimals.put(Objects.requireNonNull(column, "column"), checkDecimals(decimals));
      return this;
    }

    /**
     * Appends a row.
     *
     * @throws IllegalArgumentException if it does not have one cell per column
     */
    public Builder row(Object... cells) {
      return row(Arrays.asList(cells));
    }

    /** Appends a row; see {@link #row(Object...)}. */
    public Builder row(List<?> cells) {
      Objects.requireNonNull(cells, "cells");
      if (cells.size() != header.size()) {
        throw new IllegalArgumentException("row " + rows.size() + " must have one cell per column ("
            + header.size() + "), got " + cells.size());
      }
      rows.add(new ArrayList<>(cells));
      return this;
    }

    /**
     * Builds the table.
     *
     * @throws IllegalArgumentException if per-column decimals name an unknown column
     */
    public MarkdownTable build() {
      return new MarkdownTable(this);
    }

    private static int checkDecimals(int decimals) {
      if (decimals < 0 || decimals > 12) {
        throw new IllegalArgumentException("decimals must be in [0, 12], got " + decimals);
      }
      return decimals;
    }
  }
}
