package io.slaft.transforms.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The one parser and validator of task files, shared by {@link TaskReader} and {@link ReadTask}.
 * Turns every row of one file into exactly one {@link Example} or {@link DeadLetter}, in file
 * order. Not thread-safe: use one instance per file read.
 */
final class TaskParser {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectReader LINE_READER =
      MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final char BOM = '\uFEFF';

  private final TaskSpec spec;
  private final Split split;
  private final DataFile file;
  private final String fileName;
  private final long limit;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);

  private Consumer<Example> examples = e -> {};
  private Consumer<DeadLetter> deadLetters = d -> {};
  private final ReadReport.Tally tally = new ReadReport.Tally();
  private int[] columnIndex = new int[0];
  private int expectedColumns;

  /**
   * @param fileName the name recorded in examples, dead letters and errors
   * @param limit the maximum number of rows to read
   */
  TaskParser(TaskSpec spec, Split split, String fileName, long limit) {
    this.spec = spec;
    this.split = split;
    this.file = spec.file(split);
    this.fileName = fileName;
    this.limit = limit;
  }

  /**
   * Reads {@code in} to its end (or the row limit) and reports counts.
   *
   * @throws TaskDataException when the header lacks a mapped column or cannot be decoded
   * @throws IOException when {@code in} fails
   */
  ReadReport parse(InputStream in, Consumer<Example> exampleSink, Consumer<DeadLetter> deadLetterSink)
      throws IOException {
    this.examples = exampleSink;
    this.deadLetters = deadLetterSink;
    switch (file.format()) {
      case TSV:
      case CSV:
        parseDelimited(new LineSource(in));
        break;
      case JSONL:
        parseJsonLines(new LineSource(in));
        break;
      case JSON:
        parseJsonDocument(in);
        break;
      default:
        throw new AssertionError(file.format());
    }
    return tally.build(spec.name(), split, fileName);
  }

  private boolean wantMore() {
    if (tally.rows() >= limit) {
      tally.limitReached();
      return false;
    }
    return true;
  }

  private @Nullable String decodeStrict(byte[] bytes, int length) {
    try {
      CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(bytes, 0, length));
      return chars.toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static String stripBom(String s) {
    return !s.isEmpty() && s.charAt(0) == BOM ? s.substring(1) : s;
  }

  // ---- delimited (TSV / CSV) ----

  private void parseDelimited(LineSource lines) throws IOException {
    boolean csv = file.format() == DataFile.Format.CSV;
    if (file.hasHeader()) {
      if (!lines.next()) {
        throw new TaskDataException(
            "task " + spec.name() + " " + split.lowerName() + ": " + fileName
                + " is empty, but a header row with " + file.columns() + " was expected");
      }
      String header = decodeStrict(lines.bytes(), lines.length());
      if (header == null) {
        throw new TaskDataException(
            "task " + spec.name() + ": the header of " + fileName + " is not valid UTF-8."
                + " Fix: re-save the file as UTF-8.");
      }
      List<String> names = csv ? CsvRecord.parseLine(stripBom(header), file.delimiter()) : split(stripBom(header));
      resolveColumns(names);
    } else {
      expectedColumns = file.columnCount();
      resolveColumns(null);
    }
    boolean first = true;
    CsvRecord record = csv ? new CsvRecord(file.delimiter()) : null;
    while (true) {
      if (record == null || !record.open()) {
        if (!wantMore()) {
          return;
        }
      }
      if (!lines.next()) {
        break;
      }
      String text = decodeStrict(lines.bytes(), lines.length());
      boolean valid = text != null;
      if (text == null) {
        text = new String(lines.bytes(), 0, lines.length(), StandardCharsets.UTF_8);
      }
      if (first && !file.hasHeader()) {
        text = stripBom(text);
      }
      first = false;
      if (record == null) {
        if (text.isEmpty()) {
          tally.blankLine();
          continue;
        }
        if (!valid) {
          deadLetter(lines.lineNumber(), DeadLetter.Reason.INVALID_UTF8, "row is not valid UTF-8", text);
          continue;
        }
        validateDelimited(lines.lineNumber(), text, split(text));
      } else {
        if (!record.open() && text.isEmpty()) {
          tally.blankLine();
          continue;
        }
        record.feed(text, lines.lineNumber(), valid);
        if (!record.open()) {
          if (!record.valid()) {
            deadLetter(record.startLine(), DeadLetter.Reason.INVALID_UTF8, "row is not valid UTF-8", record.raw());
          } else {
            validateDelimited(record.startLine(), record.raw(), record.fields());
          }
          record.reset();
        }
      }
    }
    if (record != null && record.open()) {
      deadLetter(
          record.startLine(),
          DeadLetter.Reason.UNTERMINATED_QUOTE,
          "quoted field opened on line " + record.startLine() + " is not closed before the end of the file",
          record.raw());
    }
  }

  private List<String> split(String line) {
    char d = file.delimiter();
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == d) {
        out.add(line.substring(start, i));
        start = i + 1;
      }
    }
    out.add(line.substring(start));
    return out;
  }

  private void resolveColumns(@Nullable List<String> header) {
    List<Column> all = file.columns().all();
    columnIndex = new int[all.size()];
    if (header != null) {
      expectedColumns = header.size();
    }
    for (int i = 0; i < all.size(); i++) {
      Column c = all.get(i);
      int idx;
      if (c.isNamed()) {
        idx = header == null ? -1 : header.indexOf(c.name());
        if (idx < 0) {
          throw new TaskDataException(
              "task " + spec.name() + " " + split.lowerName() + ": column " + c + " is not in the header of "
                  + fileName + " " + header + ". Fix: map the task's columns to names from that header.");
        }
      } else {
        idx = c.index();
        if (idx >= expectedColumns) {
          throw new TaskDataException(
              "task " + spec.name() + ": column " + c + " is outside the " + expectedColumns
                  + " columns of " + fileName + " " + header);
        }
      }
      columnIndex[i] = idx;
    }
  }

  private void validateDelimited(long line, String raw, List<String> fields) {
    if (fields.size() != expectedColumns) {
      deadLetter(
          line,
          DeadLetter.Reason.WRONG_COLUMN_COUNT,
          "expected " + expectedColumns + " columns, found " + fields.size(),
          raw);
      return;
    }
    validate(line, raw, null, col -> fields.get(columnIndex[col]));
  }

  // ---- JSON lines ----

  private void parseJsonLines(LineSource lines) throws IOException {
    boolean first = true;
    while (wantMore() && lines.next()) {
      String text = decodeStrict(lines.bytes(), lines.length());
      boolean valid = text != null;
      if (text == null) {
        text = new String(lines.bytes(), 0, lines.length(), StandardCharsets.UTF_8);
      }
      if (first) {
        text = stripBom(text);
        first = false;
      }
      if (text.isBlank()) {
        tally.blankLine();
        continue;
      }
      long line = lines.lineNumber();
      if (!valid) {
        deadLetter(line, DeadLetter.Reason.INVALID_UTF8, "row is not valid UTF-8", text);
        continue;
      }
      JsonNode node;
      try {
        node = LINE_READER.readTree(text);
      } catch (JsonProcessingException e) {
        deadLetter(line, DeadLetter.Reason.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage(), text);
        continue;
      }
      validateJson(line, text, null, node);
    }
  }

  // ---- JSON document ----

  private void parseJsonDocument(InputStream in) throws IOException {
    JsonFactory factory = MAPPER.getFactory();
    try (JsonParser p = factory.createParser(in)) {
      p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
      long line = 1;
      try {
        JsonToken top = p.nextToken();
        if (top == null) {
          return;
        }
        if (top != JsonToken.START_OBJECT && top != JsonToken.START_ARRAY) {
          throw new TaskDataException(
              "task " + spec.name() + ": " + fileName + " must hold a JSON object of records or an array of"
                  + " records, but starts with " + top + ". Fix: use DataFile.jsonl(..) for one object per line.");
        }
        boolean object = top == JsonToken.START_OBJECT;
        long index = 0;
        while (wantMore()) {
          JsonToken t = p.nextToken();
          line = p.currentTokenLocation().getLineNr();
          if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
            if (p.nextToken() != null) {
              line = p.currentTokenLocation().getLineNr();
              deadLetter(line, DeadLetter.Reason.MALFORMED_JSON, "content after the end of the JSON document", "");
            }
            return;
          }
          String key;
          if (object) {
            key = p.currentName();
            p.nextToken();
          } else {
            key = Long.toString(index);
          }
          index++;
          JsonNode node = p.readValueAsTree();
          validateJson(line, node == null ? "" : node.toString(), key, node);
        }
      } catch (JsonParseException e) {
        long at = e.getLocation() == null ? line : Math.max(1, e.getLocation().getLineNr());
        boolean utf8 = String.valueOf(e.getOriginalMessage()).contains("UTF-8");
        deadLetter(
            at,
            utf8 ? DeadLetter.Reason.INVALID_UTF8 : DeadLetter.Reason.MALFORMED_JSON,
            (utf8 ? "invalid UTF-8 in JSON document: " : "JSON syntax error: ")
                + e.getOriginalMessage()
                + "; the rest of the file is not read",
            "");
      }
    }
  }

  private void validateJson(long line, String raw, @Nullable String key, @Nullable JsonNode node) {
    if (node == null || !node.isObject()) {
      deadLetter(
          line,
          DeadLetter.Reason.MALFORMED_JSON,
          "record is " + (node == null ? "empty" : node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)) + ", expected an object",
          raw);
      return;
    }
    List<Column> all = file.columns().all();
    String[] values = new String[all.size()];
    for (int i = 0; i < all.size(); i++) {
      String name = all.get(i).name();
      JsonNode v = node.get(name);
      if (v == null || v.isNull()) {
        deadLetter(line, DeadLetter.Reason.MISSING_FIELD, "field '" + name + "' is missing", raw);
        return;
      }
      if (v.isContainerNode()) {
        deadLetter(
            line, DeadLetter.Reason.MALFORMED_JSON, "field '" + name + "' is not a string or number", raw);
        return;
      }
      values[i] = v.asText();
    }
    validate(line, raw, key, col -> values[col]);
  }

  // ---- shared row validation ----

  private interface Fields {
    String get(int mappedColumn);
  }

  private void validate(long line, String raw, @Nullable String key, Fields fields) {
    ColumnMapping m = file.columns();
    int col = 0;
    String text = fields.get(col++).strip();
    if (text.isEmpty()) {
      deadLetter(line, DeadLetter.Reason.EMPTY_TEXT, "text " + m.text() + " is empty", raw);
      return;
    }
    String pair = null;
    if (m.textPair().isPresent()) {
      pair = fields.get(col++).strip();
      if (pair.isEmpty()) {
        deadLetter(line, DeadLetter.Reason.EMPTY_TEXT, "text pair " + m.textPair().get() + " is empty", raw);
        return;
      }
    }
    String labelText = fields.get(col++).strip();
    StringBuilder id = new StringBuilder();
    for (int i = 0; i < m.id().size(); i++) {
      if (i > 0) {
        id.append('-');
      }
      id.append(fields.get(col++).strip());
    }
    String exampleId = id.length() > 0 ? id.toString() : key != null ? key : Long.toString(line);
    Target target = spec.target();
    if (target.isRegression()) {
      float score;
      if (!Scores.isDecimal(labelText)) {
        deadLetter(
            line, DeadLetter.Reason.NON_NUMERIC_SCORE, "score " + m.label() + " '" + clip(labelText) + "' is not a number", raw);
        return;
      }
      score = Float.parseFloat(labelText);
      if (!Float.isFinite(score) || score < target.min() || score > target.max()) {
        deadLetter(
            line,
            DeadLetter.Reason.SCORE_OUT_OF_RANGE,
            "score " + labelText + " is outside [" + target.min() + ", " + target.max() + "]",
            raw);
        return;
      }
      emit(Example.regression(spec.name(), split, exampleId, text, pair, score, fileName, line));
    } else {
      int label = target.indexOf(labelText);
      if (label < 0) {
        deadLetter(
            line,
            DeadLetter.Reason.UNKNOWN_LABEL,
            "label '" + clip(labelText) + "' is not one of " + target.labels(),
            raw);
        return;
      }
      emit(Example.classification(spec.name(), split, exampleId, text, pair, label, fileName, line));
    }
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  private void emit(Example e) {
    tally.example();
    examples.accept(e);
  }

  private void deadLetter(long line, DeadLetter.Reason reason, String detail, String raw) {
    tally.deadLetter(reason);
    deadLetters.accept(DeadLetter.of(spec.name(), split, fileName, line, reason, detail, raw));
  }

  /** Decimal-number syntax accepted for scores (no hex, NaN, Infinity or type suffixes). */
  private static final class Scores {
    private static final java.util.regex.Pattern DECIMAL =
        java.util.regex.Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    static boolean isDecimal(String s) {
      return DECIMAL.matcher(s).matches();
    }
  }
}
