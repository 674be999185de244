package io.slaft.transforms.data;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 record assembly over decoded physical lines: fields may be quoted with {@code "}, a
 * doubled quote inside a quoted field is one quote, and a quoted field may contain the delimiter
 * and line breaks (kept as {@code \n}). A quote inside an unquoted field is literal. Not
 * thread-safe.
 */
final class CsvRecord {
  private final char delimiter;
  private final List<String> fields = new ArrayList<>();
  private final StringBuilder field = new StringBuilder();
  private final StringBuilder raw = new StringBuilder();
  private boolean inQuotes;
  private boolean afterQuote;
  private boolean started;
  private boolean valid = true;
  private long startLine;

  CsvRecord(char delimiter) {
    this.delimiter = delimiter;
  }

  /** Parses one physical line as a complete record; an unclosed quote runs to the end of the line. */
  static List<String> parseLine(String line, char delimiter) {
    CsvRecord r = new CsvRecord(delimiter);
    r.feed(line, 1, true);
    if (r.open()) {
      r.fields.add(r.field.toString());
    }
    return r.fields;
  }

  /** Feeds the next physical line; {@code validUtf8} false marks the whole record invalid. */
  void feed(String line, long lineNumber, boolean validUtf8) {
    if (!started) {
      started = true;
      startLine = lineNumber;
    } else {
      raw.append('\n');
      field.append('\n');
    }
    raw.append(line);
    valid &= validUtf8;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (inQuotes) {
        if (c == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else {
            inQuotes = false;
            afterQuote = true;
          }
        } else {
          field.append(c);
        }
      } else if (c == delimiter) {
        fields.add(field.toString());
        field.setLength(0);
        afterQuote = false;
      } else if (c == '"' && field.length() == 0 && !afterQuote) {
        inQuotes = true;
      } else {
        field.append(c);
      }
    }
    if (!inQuotes) {
      fields.add(field.toString());
      field.setLength(0);
    }
  }

  /** True while a quoted field spans past the last line fed. */
  boolean open() {
    return started && inQuotes;
  }

  boolean valid() {
    return valid;
  }

  long startLine() {
    return startLine;
  }

  String raw() {
    return raw.toString();
  }

  List<String> fields() {
    return new ArrayList<>(fields);
  }

  void reset() {
    fields.clear();
    field.setLength(0);
    raw.setLength(0);
    inQuotes = false;
    afterQuote = false;
    started = false;
    valid = true;
  }
}
