package io.slaft.transforms.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The one parser and validator of task files, shared by {@link TaskReader} and {@link ReadTask}.
 * Turns every row of one file into exactly one {@link Example} or {@link DeadLetter}, in file
 * order, whatever the bytes: the only exceptions are a {@link TaskDataException} that refuses the
 * whole file before any row (a missing, over-long, non-UTF-8 or NUL-holding header; a JSON
 * document that is not an object or array) and the stream's own {@link IOException}. Rows are
 * bounded by {@link DataFile#MAX_ROW_BYTES} and JSON nesting by {@link DataFile#MAX_JSON_DEPTH} (see
 * {@link DataFile}), so memory per row is bounded too. Not thread-safe: use one instance per file
 * read.
 */
final class TaskParser {
  private static final ObjectMapper MAPPER =
      new ObjectMapper(
          JsonFactory.builder()
              .streamReadConstraints(
                  StreamReadConstraints.builder().maxNestingDepth(DataFile.MAX_JSON_DEPTH).build())
              .build());
  private static final ObjectReader LINE_READER =
      MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final char BOM = '\uFEFF';
  /** Header text quoted in error messages is cut at this many characters. */
  private static final int MAX_QUOTED_HEADER = 300;

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
  private @Nullable Consumer<String> labelValues;
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
    if (spec.target().isInferred() && labelValues == null) {
      throw new IllegalStateException("task " + spec.name() + ": its labels are to be inferred from the training file and"
          + " are not fixed yet; read them with TaskReader.labelValues and fix them with TaskSpec.withLabels first");
    }
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

  /**
   * Reads {@code in} to its end (or the row limit) for a task whose labels are to be inferred: the
   * label text of every row that passes every check but the label's goes to {@code labels}, in
   * file order (an empty label is skipped: it is no label); nothing is emitted.
   *
   * @throws IllegalStateException when the task's labels are not to be inferred
   */
  void scanLabels(InputStream in, Consumer<String> labels) throws IOException {
    if (!spec.target().isInferred()) {
      throw new IllegalStateException("task " + spec.name() + ": its target " + spec.target() + " is not to be inferred");
    }
    this.labelValues = labels;
    parse(in, e -> {}, d -> {});
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

  /** The start of the current, over-long line, decoded leniently: the raw text of its dead letter. */
  private static String prefix(LineSource lines) {
    int n = Math.min(lines.length(), 4 * DeadLetter.MAX_RAW_CHARS);
    return new String(lines.bytes(), 0, n, StandardCharsets.UTF_8);
  }

  private static String tooLongDetail(String what, long bytes) {
    return what + " is " + bytes + " bytes long, longer than the maximum of " + DataFile.MAX_ROW_BYTES
        + " bytes (DataFile.MAX_ROW_BYTES)";
  }

  // ---- header ----

  /**
   * Decodes the header line, refusing the file when it is over-long, holds NUL bytes (UTF-16 or a
   * binary file) or is not UTF-8.
   */
  private String header(LineSource lines) {
    byte[] b = lines.bytes();
    int n = lines.length();
    String where = "task " + spec.name() + " " + split.lowerName() + ": the header of " + fileName;
    boolean utf16Bom = n >= 2 && ((b[0] == (byte) 0xFF && b[1] == (byte) 0xFE) || (b[0] == (byte) 0xFE && b[1] == (byte) 0xFF));
    boolean nul = false;
    boolean cr = false;
    for (int i = 0; i < n; i++) {
      nul |= b[i] == 0;
      cr |= b[i] == '\r';
    }
    if (utf16Bom || nul) {
      throw new TaskDataException(
          where + (utf16Bom ? " starts with a UTF-16 byte-order mark" : " holds NUL bytes")
              + ": the file looks like UTF-16 (or is not text), but task files are read as UTF-8."
              + " Fix: re-save the file as UTF-8.");
    }
    if (lines.tooLong()) {
      throw new TaskDataException(
          where + " is " + lines.fullLength() + " bytes long, longer than the maximum row of "
              + DataFile.MAX_ROW_BYTES + " bytes" + (cr ? loneCrHint() : ". Fix: check that the file is " + file.format()
              + " with one row per line."));
    }
    String header = decodeStrict(b, n);
    if (header == null) {
      throw new TaskDataException(
          "task " + spec.name() + ": the header of " + fileName + " is not valid UTF-8."
              + " Fix: re-save the file as UTF-8.");
    }
    return header;
  }

  private static String loneCrHint() {
    return ", and it holds carriage returns (\\r): lone \\r line endings (classic Mac OS) do not end lines"
        + " here. Fix: convert the file to \\n or \\r\\n line endings.";
  }

  private static String quoteHeader(@Nullable List<String> header) {
    if (header == null) {
      return "(no header)";
    }
    String s = header.toString();
    return s.length() <= MAX_QUOTED_HEADER
        ? s
        : s.substring(0, MAX_QUOTED_HEADER) + "... (" + header.size() + " columns, " + s.length() + " characters)";
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
      String header = header(lines);
      List<String> names = csv ? CsvRecord.parseLine(stripBom(header), file.delimiter()) : split(stripBom(header));
      resolveColumns(names, header.indexOf('\r') >= 0);
    } else {
      expectedColumns = file.columnCount();
      resolveColumns(null, false);
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
      if (lines.tooLong()) {
        // Quotes in the dropped part are unknown, so an over-long line ends the record it is in.
        first = false;
        if (record != null && record.open()) {
          deadLetter(
              record.startLine(),
              DeadLetter.Reason.ROW_TOO_LONG,
              tooLongDetail("record from line " + record.startLine() + " runs into line " + lines.lineNumber()
                  + ", which alone", lines.fullLength()),
              record.raw());
          record.reset();
        } else {
          deadLetter(lines.lineNumber(), DeadLetter.Reason.ROW_TOO_LONG, tooLongDetail("row", lines.fullLength()), prefix(lines));
        }
        continue;
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
        record.feed(text, lines.lineNumber(), valid, lines.length());
        if (!record.open()) {
          if (record.tooLong()) {
            deadLetter(
                record.startLine(),
                DeadLetter.Reason.ROW_TOO_LONG,
                tooLongDetail("record on lines " + record.startLine() + "-" + record.endLine(), record.byteLength()),
                record.raw());
          } else if (!record.valid()) {
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
          "quoted field opened on line " + record.startLine() + " is not closed before the end of the file"
              + (record.tooLong()
                  ? " (the record is " + record.byteLength() + " bytes long, over the maximum row of "
                      + DataFile.MAX_ROW_BYTES + " bytes, so only its start is kept)"
                  : ""),
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

  private void resolveColumns(@Nullable List<String> header, boolean headerHasCr) {
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
                  + fileName + " " + quoteHeader(header)
                  + (headerHasCr ? loneCrHint() : ". Fix: map the task's columns to names from that header."));
        }
      } else {
        idx = c.index();
        if (idx >= expectedColumns) {
          throw new TaskDataException(
              "task " + spec.name() + ": column " + c + " is outside the " + expectedColumns
                  + " columns of " + fileName + " " + quoteHeader(header)
                  + (headerHasCr ? loneCrHint() : ""));
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
      if (lines.tooLong()) {
        first = false;
        deadLetter(lines.lineNumber(), DeadLetter.Reason.ROW_TOO_LONG, tooLongDetail("line", lines.fullLength()), prefix(lines));
        continue;
      }
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

  /**
   * Reads the document through a strict UTF-8 decoder (Jackson's own decoding lets overlong forms,
   * encoded surrogates and code points above U+10FFFF through), so any invalid byte ends the file as
   * one {@link DeadLetter.Reason#INVALID_UTF8} dead letter, after the entries before it. A leading
   * byte-order mark is skipped.
   */
  private void parseJsonDocument(InputStream in) throws IOException {
    PushbackReader reader = new PushbackReader(new StrictUtf8Reader(in), 1);
    long line = 1;
    try {
      int c = reader.read();
      if (c < 0) {
        return;
      }
      if (c != BOM) {
        reader.unread(c);
      }
    } catch (CharacterCodingException e) {
      jsonDocumentEnds(line, DeadLetter.Reason.INVALID_UTF8, utf8Detail(e));
      return;
    }
    JsonFactory factory = MAPPER.getFactory();
    try (JsonParser raw = factory.createParser(reader)) {
      raw.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
      BoundedEntry p = new BoundedEntry(raw);
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
          long start = p.currentTokenLocation().getCharOffset();
          JsonNode node;
          try {
            p.limitFrom(start);
            node = p.readValueAsTree();
            p.checkLimit();
          } catch (BoundedEntry.TooLong e) {
            p.limitFrom(-1);
            while (raw.getParsingContext().getNestingDepth() > 1 && raw.nextToken() != null) {
              // skip the rest of the entry without keeping it
            }
            deadLetter(
                line,
                DeadLetter.Reason.ROW_TOO_LONG,
                "entry '" + clip(key) + "' is longer than the maximum row of " + DataFile.MAX_ROW_BYTES
                    + " characters (DataFile.MAX_ROW_BYTES)",
                "");
            continue;
          } finally {
            p.limitFrom(-1);
          }
          validateJson(line, node == null ? "" : node.toString(), key, node);
        }
      } catch (JsonProcessingException e) {
        long at = e.getLocation() == null ? line : Math.max(1, e.getLocation().getLineNr());
        jsonDocumentEnds(at, DeadLetter.Reason.MALFORMED_JSON, "JSON syntax error: " + e.getOriginalMessage());
      } catch (CharacterCodingException e) {
        long at = Math.max(line, raw.currentLocation().getLineNr());
        jsonDocumentEnds(at, DeadLetter.Reason.INVALID_UTF8, utf8Detail(e));
      }
    }
  }

  private static String utf8Detail(CharacterCodingException e) {
    return "invalid UTF-8 in JSON document ("
        + (e instanceof MalformedInputException m ? "a malformed sequence of " + m.getInputLength() + " byte(s)" : e.getMessage())
        + ")";
  }

  private void jsonDocumentEnds(long line, DeadLetter.Reason reason, String detail) {
    deadLetter(line, reason, detail + "; the rest of the file is not read", "");
  }

  /**
   * The document's parser, which fails an entry with {@link TooLong} as soon as it reaches more
   * than {@link DataFile#MAX_ROW_BYTES} characters past the entry's start, so that an over-long entry
   * is never held in memory whole. Every way Jackson reads tokens goes through {@link #nextToken}
   * or {@link #nextValue}.
   */
  private static final class BoundedEntry extends JsonParserDelegate {
    /** An entry over the maximum; an {@link IOException} so that Jackson passes it through. */
    static final class TooLong extends IOException {
      private static final long serialVersionUID = 1L;

      TooLong() {
        super("entry longer than " + DataFile.MAX_ROW_BYTES + " characters", null);
      }
    }

    private long start = -1;

    BoundedEntry(JsonParser d) {
      super(d);
    }

    /** Starts counting at char offset {@code start}; -1 stops counting. */
    void limitFrom(long start) {
      this.start = start;
    }

    void checkLimit() throws TooLong {
      if (start >= 0 && delegate.currentLocation().getCharOffset() - start > DataFile.MAX_ROW_BYTES) {
        throw new TooLong();
      }
    }

    @Override
    public JsonToken nextToken() throws IOException {
      JsonToken t = delegate.nextToken();
      checkLimit();
      return t;
    }

    @Override
    public JsonToken nextValue() throws IOException {
      JsonToken t = delegate.nextValue();
      checkLimit();
      return t;
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
    List<Column> mapped = m.all();
    for (int i = 0; i < mapped.size(); i++) {
      String f = fields.get(i);
      int nul = f.indexOf('\0');
      if (nul >= 0) {
        deadLetter(line, DeadLetter.Reason.NUL_CHARACTER, nulDetail("field " + mapped.get(i), nul), raw);
        return;
      }
      int lone = unpairedSurrogate(f);
      if (lone >= 0) {
        // Only a JSON escape (of U+D800, say) can produce one: decoded UTF-8 never holds it.
        deadLetter(
            line,
            DeadLetter.Reason.INVALID_UTF8,
            "field " + mapped.get(i) + " holds an unpaired surrogate (\\u" + Integer.toHexString(f.charAt(lone)).toUpperCase(java.util.Locale.ROOT)
                + ") at character " + lone + ", which is not a character and has no UTF-8 form",
            raw);
        return;
      }
    }
    if (key != null && key.indexOf('\0') >= 0) {
      deadLetter(line, DeadLetter.Reason.NUL_CHARACTER, nulDetail("key '" + clip(key.replace('\0', ' ')) + "'", key.indexOf('\0')), raw);
      return;
    }
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
    String labelText = m.readsLabel() ? fields.get(col++).strip() : null;
    StringBuilder id = new StringBuilder();
    for (int i = 0; i < m.id().size(); i++) {
      if (i > 0) {
        id.append('-');
      }
      id.append(fields.get(col++).strip());
    }
    String exampleId = id.length() > 0 ? id.toString() : key != null ? key : Long.toString(line);
    Target target = spec.target();
    if (labelText == null) {
      emit(Example.unlabeled(spec.name(), split, exampleId, text, pair, fileName, line));
    } else if (target.isRegression()) {
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
    } else if (labelValues != null) {
      if (!labelText.isEmpty()) {
        labelValues.accept(labelText);
      }
      tally.example();
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

  /** The index of the first surrogate that is not part of a pair, or -1. */
  private static int unpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  private static String nulDetail(String what, int at) {
    return what + " holds U+0000 (NUL) at character " + at
        + "; text never does (is the file UTF-16, or binary?)";
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
  static final class Scores {
    private static final java.util.regex.Pattern DECIMAL =
        java.util.regex.Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    static boolean isDecimal(String s) {
      return DECIMAL.matcher(s).matches();
    }
  }
}
