package io.slaft.transforms.data;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 record assembly over decoded physical lines: fields may be quoted with {@code "}, a
 * doubled quote inside a quoted field is one quote, and a quoted field may contain the delimiter
 * and line breaks (kept as {@code \n}). A quote inside an unquoted field is literal. A record
 * longer than {@link DataFile#MAX_ROW_BYTES} is {@link #tooLong()}: from then on its fields are
 * dropped and only the first {@link DeadLetter#MAX_RAW_CHARS} characters of its raw text are kept,
 * while its quotes are still followed to find where it ends. Not thread-safe.
 */
final class CsvRecord {
  private final char delimiter;
  private final List<String> fields = new ArrayList<>();
  private final StringBuilder field = new StringBuilder();
  private final StringBuilder raw = new StringBuilder();
  private boolean inQuotes;
  private boolean afterQuote;
  /** True while a quoted field continues onto the next line. */
  private boolean continuesField;
  private boolean started;
  private boolean valid = true;
  private boolean tooLong;
  private long bytes;
  private long startLine;
  private long endLine;

  CsvRecord(char delimiter) {
    this.delimiter = delimiter;
  }

  /** Parses one physical line as a complete record; an unclosed quote runs to the end of the line. */
  static List<String> parseLine(String line, char delimiter) {
    CsvRecord r = new CsvRecord(delimiter);
    r.feed(line, 1, true, 0);
    if (r.open()) {
      r.fields.add(r.field.toString());
    }
    return r.fields;
  }

  /**
   * Feeds the next physical line, {@code lineBytes} long in the file; {@code validUtf8} false marks
   * the whole record invalid.
   */
  void feed(String line, long lineNumber, boolean validUtf8, long lineBytes) {
    if (!started) {
      started = true;
      startLine = lineNumber;
    } else {
      bytes++;
      append(raw, '\n');
      if (!tooLong) {
        field.append('\n');
      }
    }
    endLine = lineNumber;
    bytes += lineBytes;
    if (!tooLong && bytes > DataFile.MAX_ROW_BYTES) {
      tooLong = true;
      fields.clear();
      field.setLength(0);
      if (raw.length() > DeadLetter.MAX_RAW_CHARS) {
        raw.setLength(DeadLetter.MAX_RAW_CHARS);
      }
    }
    if (tooLong) {
      raw.append(line, 0, Math.max(0, Math.min(line.length(), DeadLetter.MAX_RAW_CHARS - raw.length())));
    } else {
      raw.append(line);
    }
    valid &= validUtf8;
    // Where the field being read starts in `field`, and whether a character was added to it, so that
    // quote handling does not depend on what is kept.
    boolean fieldEmpty = field.length() == 0 && !continuesField;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (inQuotes) {
        if (c == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            keep('"');
            i++;
          } else {
            inQuotes = false;
            afterQuote = true;
          }
        } else {
          keep(c);
        }
        fieldEmpty = false;
      } else if (c == delimiter) {
        endField();
        afterQuote = false;
        fieldEmpty = true;
      } else if (c == '"' && fieldEmpty && !afterQuote) {
        inQuotes = true;
      } else {
        keep(c);
        fieldEmpty = false;
      }
    }
    continuesField = inQuotes;
    if (!inQuotes) {
      endField();
    }
  }

  private void keep(char c) {
    if (!tooLong) {
      field.append(c);
    }
  }

  private void endField() {
    if (!tooLong) {
      fields.add(field.toString());
    }
    field.setLength(0);
  }

  private void append(StringBuilder b, char c) {
    if (!tooLong || b.length() < DeadLetter.MAX_RAW_CHARS) {
      b.append(c);
    }
  }

  /** True while a quoted field spans past the last line fed. */
  boolean open() {
    return started && inQuotes;
  }

  boolean valid() {
    return valid;
  }

  /** Whether the record is longer than {@link DataFile#MAX_ROW_BYTES}. */
  boolean tooLong() {
    return tooLong;
  }

  /** The record's length in the file so far, in bytes, with the line breaks inside it. */
  long byteLength() {
    return bytes;
  }

  /** The last physical line fed. */
  long endLine() {
    return endLine;
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
    continuesField = false;
    started = false;
    valid = true;
    tooLong = false;
    bytes = 0;
  }
}
