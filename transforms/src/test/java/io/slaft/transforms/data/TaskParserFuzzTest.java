package io.slaft.transforms.data;

import static io.slaft.transforms.data.DeadLetter.Reason.INVALID_UTF8;
import static io.slaft.transforms.data.DeadLetter.Reason.MALFORMED_JSON;
import static io.slaft.transforms.data.DeadLetter.Reason.NUL_CHARACTER;
import static io.slaft.transforms.data.DeadLetter.Reason.ROW_TOO_LONG;
import static io.slaft.transforms.data.DeadLetter.Reason.UNKNOWN_LABEL;
import static io.slaft.transforms.data.DeadLetter.Reason.UNTERMINATED_QUOTE;
import static io.slaft.transforms.data.DeadLetter.Reason.WRONG_COLUMN_COUNT;
import static java.nio.charset.StandardCharsets.UTF_16LE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Adversarial input for every task format: seeded random and mutated files, a 10 MB line, JSON
 * nested 100 000 levels deep, NUL bytes, mixed line endings, byte-order marks, invalid UTF-8, and
 * header-only and empty files. Every read must finish within {@link #BOUND}, throw nothing but a
 * {@link TaskDataException} that names the file (and only where refusing the whole file is the
 * documented answer), dead-letter every bad row with file, line and reason, and keep rows read =
 * examples + dead letters, checked against the sinks and, for line formats, against an independent
 * count of the file's physical lines.
 */
class TaskParserFuzzTest {

  private static final Duration BOUND = Duration.ofSeconds(120);
  private static final int MAX = DataFile.MAX_ROW_BYTES;
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
  private static final int TEN_MB = 10 * 1024 * 1024;

  @TempDir Path tmp;
  private int files;

  /** The formats and header variants the readers support. */
  enum Fmt {
    TSV(".tsv", true),
    TSV_NO_HEADER(".tsv", false),
    CSV(".csv", true),
    CSV_NO_HEADER(".csv", false),
    JSONL(".jsonl", false),
    JSON(".json", false);

    final String ext;
    final boolean header;

    Fmt(String ext, boolean header) {
      this.ext = ext;
      this.header = header;
    }

    boolean delimited() {
      return this != JSONL && this != JSON;
    }

    boolean csv() {
      return this == CSV || this == CSV_NO_HEADER;
    }

    DataFile file(String name) {
      switch (this) {
        case TSV:
          return DataFile.tsv(name, ColumnMapping.of("text", "label").withId("id"));
        case TSV_NO_HEADER:
          return DataFile.tsv(name, ColumnMapping.of(Column.at(1), Column.at(2)).withId(Column.at(0))).withoutHeader(3);
        case CSV:
          return DataFile.csv(name, ColumnMapping.of("text", "label").withId("id"));
        case CSV_NO_HEADER:
          return DataFile.csv(name, ColumnMapping.of(Column.at(1), Column.at(2)).withId(Column.at(0))).withoutHeader(3);
        case JSONL:
          return DataFile.jsonl(name, ColumnMapping.of("text", "label").withId("id"));
        case JSON:
          return DataFile.json(name, ColumnMapping.of("text", "label"));
        default:
          throw new AssertionError(this);
      }
    }

    /** The header line, with its line break, or nothing. */
    String header() {
      return this == TSV ? "id\ttext\tlabel\n" : this == CSV ? "id,text,label\n" : "";
    }

    /** One valid row (for JSON: one entry of the top-level object, without separator). */
    String row(String id, String text, String label) {
      switch (this) {
        case TSV:
        case TSV_NO_HEADER:
          return id + "\t" + text + "\t" + label;
        case CSV:
        case CSV_NO_HEADER:
          return id + ",\"" + text.replace("\"", "\"\"") + "\"," + label;
        case JSONL:
          return "{\"id\": \"" + id + "\", \"text\": \"" + text + "\", \"label\": \"" + label + "\"}";
        case JSON:
          return "\"" + id + "\": {\"text\": \"" + text + "\", \"label\": \"" + label + "\"}";
        default:
          throw new AssertionError(this);
      }
    }

    /** A whole file of {@code rows} (raw row texts), one per line. */
    byte[] document(List<String> rows) {
      if (this == JSON) {
        return ("{\n" + String.join(",\n", rows) + "\n}\n").getBytes(UTF_8);
      }
      return (header() + String.join("\n", rows) + "\n").getBytes(UTF_8);
    }
  }

  /** What one read produced. */
  private static final class Outcome {
    final Path file;
    final @Nullable ReadReport report;
    final @Nullable String refusal;
    final List<Example> examples = new ArrayList<>();
    final List<DeadLetter> deadLetters = new ArrayList<>();
    /** Line numbers in emission order, examples and dead letters together. */
    final List<Long> order = new ArrayList<>();

    Outcome(Path file, @Nullable ReadReport report, @Nullable String refusal) {
      this.file = file;
      this.report = report;
      this.refusal = refusal;
    }

    ReadReport report() {
      assertNull(refusal, "the file was refused");
      return report;
    }

    List<String> ids() {
      return examples.stream().map(Example::id).collect(Collectors.toList());
    }

    Map<Long, DeadLetter.Reason> reasons() {
      return deadLetters.stream()
          .collect(Collectors.toMap(DeadLetter::line, DeadLetter::reason, (a, b) -> a, TreeMap::new));
    }

    DeadLetter deadLetterAt(long line) {
      return deadLetters.stream().filter(d -> d.line() == line).findFirst().orElseThrow(
          () -> new AssertionError("no dead letter on line " + line + ": " + deadLetters));
    }
  }

  // ---- the read and its invariants ----

  /** Reads {@code content} as {@code fmt} and checks every invariant; refusal must be allowed. */
  private Outcome read(Fmt fmt, byte[] content, boolean refusalAllowed, String what) throws IOException {
    Path file = tmp.resolve("f" + (files++) + fmt.ext);
    Files.write(file, content);
    TaskSpec spec = TaskSpec.builder("fuzz").labels("neg", "pos").file(Split.TRAIN, fmt.file(file.getFileName().toString())).build();
    List<Example> examples = new ArrayList<>();
    List<DeadLetter> deadLetters = new ArrayList<>();
    List<Long> order = new ArrayList<>();
    Outcome o =
        assertTimeoutPreemptively(
            BOUND,
            () -> {
              try {
                ReadReport r =
                    TaskReader.of(spec)
                        .withDataRoot(DataRoot.of(tmp))
                        .stream(
                            Split.TRAIN,
                            e -> {
                              examples.add(e);
                              order.add(e.line());
                            },
                            d -> {
                              deadLetters.add(d);
                              order.add(d.line());
                            });
                return new Outcome(file, r, null);
              } catch (TaskDataException e) {
                return new Outcome(file, null, e.getMessage());
              }
            },
            () -> fmt + " " + what + ": the read did not finish within " + BOUND);
    o.examples.addAll(examples);
    o.deadLetters.addAll(deadLetters);
    o.order.addAll(order);
    check(fmt, content, o, refusalAllowed, what);
    return o;
  }

  private static void check(Fmt fmt, byte[] content, Outcome o, boolean refusalAllowed, String what) {
    String name = fmt + " " + what;
    if (o.refusal != null) {
      assertTrue(refusalAllowed, name + ": refused, but rows should have been dead-lettered: " + o.refusal);
      assertTrue(o.refusal.contains(o.file.toString()), name + ": the refusal does not name the file: " + o.refusal);
      assertTrue(o.refusal.length() < 4000, name + ": refusal message of " + o.refusal.length() + " characters");
      assertTrue(o.examples.isEmpty() && o.deadLetters.isEmpty(), name + ": a refused file emitted rows");
      return;
    }
    ReadReport r = o.report;
    assertNotNull(r, name);
    assertEquals(r.examples(), o.examples.size(), name + ": examples reported vs emitted");
    assertEquals(r.deadLetters(), o.deadLetters.size(), name + ": dead letters reported vs emitted");
    assertEquals(r.rowsRead(), o.examples.size() + o.deadLetters.size(), name + ": rows read = examples + dead letters");
    assertEquals(
        r.deadLetters(), r.deadLettersByReason().values().stream().mapToLong(Long::longValue).sum(), name + ": reasons");
    assertFalse(r.limitReached(), name);
    long lines = fmt == Fmt.JSON ? jsonLineBound(content) : physicalLines(content).size();
    for (DeadLetter d : o.deadLetters) {
      assertEquals(o.file.toString(), d.file(), name + ": dead letter file");
      assertTrue(d.line() >= 1 && d.line() <= Math.max(1, lines), name + ": dead letter line " + d.line() + " of " + lines);
      assertNotNull(d.reason(), name);
      assertFalse(d.detail().isBlank(), name + ": dead letter without a reason text: " + d);
      assertTrue(d.raw().length() <= DeadLetter.MAX_RAW_CHARS, name);
    }
    for (Example e : o.examples) {
      assertEquals(o.file.toString(), e.sourceFile(), name + ": example file");
      assertTrue(e.line() >= 1 && e.line() <= lines, name + ": example line " + e.line() + " of " + lines);
      assertFalse(e.text().isBlank(), name + ": example with blank text");
      assertTrue(e.label() == 0 || e.label() == 1, name + ": label " + e.label());
      assertEquals(-1, e.text().indexOf('\0'), name + ": an example holds a NUL character: " + e);
      assertEquals(-1, e.id().indexOf('\0'), name + ": an example id holds a NUL character: " + e);
      assertTrue(e.text().length() <= MAX, name + ": example text longer than a row may be");
      assertTrue(wellFormed(e.text()) && wellFormed(e.id()), name + ": an example holds an unpaired surrogate: " + e);
    }
    for (int i = 1; i < o.order.size(); i++) {
      assertTrue(o.order.get(i) >= o.order.get(i - 1), name + ": rows out of file order: " + o.order);
    }
    if (fmt == Fmt.TSV || fmt == Fmt.TSV_NO_HEADER || fmt == Fmt.JSONL) {
      assertEquals(expectedRows(fmt, content), r.rowsRead(), name + ": rows read vs the file's non-blank lines");
      assertEquals(physicalLines(content).size() - (fmt.header ? 1 : 0), r.rowsRead() + r.blankLines(),
          name + ": rows + blank lines vs physical lines");
    } else if (fmt.csv()) {
      assertTrue(r.rowsRead() + r.blankLines() <= physicalLines(content).size() - (fmt.header ? 1 : 0), name);
    }
  }

  /** Whether {@code s} is valid UTF-16: every surrogate is part of a pair. */
  private static boolean wellFormed(String s) {
    return s.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF);
  }

  /**
   * Physical lines as the readers define them, computed independently: split at {@code \n}, one
   * trailing {@code \r} dropped, a last line without {@code \n} counts when it has bytes.
   */
  private static List<byte[]> physicalLines(byte[] b) {
    List<byte[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= b.length; i++) {
      if (i == b.length || b[i] == '\n') {
        if (i == b.length && i == start) {
          break;
        }
        int end = i > start && b[i - 1] == '\r' ? i - 1 : i;
        out.add(Arrays.copyOfRange(b, start, end));
        start = i + 1;
      }
    }
    return out;
  }

  /** Jackson counts {@code \r}, {@code \n} and {@code \r\n} as line breaks: an upper bound. */
  private static long jsonLineBound(byte[] b) {
    long n = 1;
    for (byte x : b) {
      if (x == '\n' || x == '\r') {
        n++;
      }
    }
    return n;
  }

  /** Rows of a TSV or JSONL file: non-blank lines after the header, and every over-long line. */
  private static long expectedRows(Fmt fmt, byte[] content) {
    List<byte[]> lines = physicalLines(content);
    long rows = 0;
    for (int i = fmt.header ? 1 : 0; i < lines.size(); i++) {
      byte[] l = lines.get(i);
      if (l.length > MAX) {
        rows++;
        continue;
      }
      String s = new String(l, UTF_8);
      if (i == 0 && !s.isEmpty() && s.charAt(0) == '\uFEFF') {
        s = s.substring(1);
      }
      if (fmt == Fmt.JSONL ? !s.isBlank() : !s.isEmpty()) {
        rows++;
      }
    }
    return rows;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private static String repeat(char c, int n) {
    char[] a = new char[n];
    Arrays.fill(a, c);
    return new String(a);
  }

  // ---- seeded random and mutated input ----

  /** Tokens that tend to break parsers, mixed into random and mutated input. */
  private static final byte[][] NASTY = {
    bytes("\t"), bytes(","), bytes("\""), bytes("\"\""), bytes("\n"), bytes("\r\n"), bytes("\r"), bytes("{"), bytes("}"),
    bytes("["), bytes("]"), bytes(":"), bytes("\\"), bytes("\\u0000"), bytes("\\uD800"), bytes(0), BOM,
    bytes(0xFF), bytes(0xC0, 0x80), bytes(0xED, 0xA0, 0x80), bytes(0xF4, 0x90, 0x80, 0x80), bytes(0xE2, 0x82),
    bytes(0xFE, 0xFF), bytes("pos"), bytes("neg"), bytes("null"), bytes("1e999999"), bytes(" "), bytes("\u00e9"),
    bytes("\"text\""), bytes("\"label\""), bytes("[[[[[[[[[["), bytes("9999999999999999999999999999")
  };

  private static byte[] randomBytes(Random rnd, int length) {
    byte[] b = new byte[length];
    rnd.nextBytes(b);
    return b;
  }

  /** Random input over {@link #NASTY} tokens, letters and arbitrary bytes. */
  private static byte[] randomTokens(Random rnd, int tokens) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < tokens; i++) {
      int k = rnd.nextInt(10);
      if (k < 5) {
        out.writeBytes(NASTY[rnd.nextInt(NASTY.length)]);
      } else if (k < 9) {
        out.write('a' + rnd.nextInt(26));
      } else {
        out.write(rnd.nextInt(256));
      }
    }
    return out.toByteArray();
  }

  /** A valid file with {@code mutations} random insertions, deletions and replacements. */
  private static byte[] mutate(Random rnd, byte[] valid, int from, int mutations) {
    List<Byte> b = new ArrayList<>(valid.length + mutations * 4);
    for (byte x : valid) {
      b.add(x);
    }
    for (int m = 0; m < mutations; m++) {
      int span = b.size() - from;
      int at = from + (span <= 0 ? 0 : rnd.nextInt(span + 1));
      int op = rnd.nextInt(3);
      if (op == 0 && at < b.size()) {
        b.remove(at);
      } else {
        if (op == 2 && at < b.size()) {
          b.remove(at);
        }
        byte[] ins = rnd.nextBoolean() ? NASTY[rnd.nextInt(NASTY.length)] : new byte[] {(byte) rnd.nextInt(256)};
        for (int i = ins.length - 1; i >= 0; i--) {
          b.add(Math.min(at, b.size()), ins[i]);
        }
      }
    }
    byte[] out = new byte[b.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.get(i);
    }
    return out;
  }

  private static byte[] validFile(Fmt fmt, Random rnd, int rows) {
    List<String> r = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      r.add(fmt.row(Integer.toString(i), "text " + i + " " + Long.toString(rnd.nextLong(), 36), rnd.nextBoolean() ? "pos" : "neg"));
    }
    return fmt.document(r);
  }

  @ParameterizedTest
  @EnumSource(Fmt.class)
  void randomBytesNeverCrashOrHang(Fmt fmt) throws IOException {
    for (long seed = 1; seed <= 8; seed++) {
      Random rnd = new Random(seed);
      byte[] noise = randomBytes(rnd, 1 + rnd.nextInt(64 * 1024));
      byte[] tokens = randomTokens(rnd, 1 + rnd.nextInt(20_000));
      // Whole-file noise may destroy the header (or the top level of a JSON document): refusal is fine.
      read(fmt, noise, fmt.header || fmt == Fmt.JSON, "random bytes, seed " + seed);
      read(fmt, tokens, fmt.header || fmt == Fmt.JSON, "random tokens, seed " + seed);
      if (fmt != Fmt.JSON) {
        // Behind a valid header, every row must be read or dead-lettered: no refusal.
        read(fmt, concat(bytes(fmt.header()), noise), false, "header + random bytes, seed " + seed);
        read(fmt, concat(bytes(fmt.header()), tokens), false, "header + random tokens, seed " + seed);
      } else {
        Outcome o = read(fmt, concat(bytes("{\"a\": {\"text\": \"x\", \"label\": \"pos\"},\n"), tokens), false,
            "JSON entry + random tokens, seed " + seed);
        assertTrue(o.report().rowsRead() >= 1, "the valid first entry is a row");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Fmt.class)
  void mutatedValidFilesKeepTheirInvariants(Fmt fmt) throws IOException {
    for (long seed = 1; seed <= 12; seed++) {
      Random rnd = new Random(seed);
      byte[] valid = validFile(fmt, rnd, 50 + rnd.nextInt(150));
      Outcome clean = read(fmt, valid, false, "valid file, seed " + seed);
      assertEquals(0, clean.report().deadLetters(), fmt + " seed " + seed + ": " + clean.deadLetters);
      // Mutations leave the header (and a JSON document's opening "{\n") intact, so nothing may
      // refuse the file: every damaged row is a dead letter.
      int from = fmt == Fmt.JSON ? 2 : fmt.header().length();
      byte[] mutated = mutate(rnd, valid, from, 1 + rnd.nextInt(60));
      read(fmt, mutated, false, "mutated file, seed " + seed);
    }
  }

  // ---- huge lines ----

  @ParameterizedTest
  @EnumSource(Fmt.class)
  void tenMegabyteRowIsDeadLetteredAndReadingGoesOn(Fmt fmt) throws IOException {
    String huge = repeat('x', TEN_MB);
    byte[] content = fmt.document(List.of(fmt.row("1", "before", "pos"), fmt.row("2", huge, "neg"), fmt.row("3", "after", "neg")));
    Outcome o = read(fmt, content, false, "10 MB row");
    assertEquals(List.of("1", "3"), o.ids());
    long line = fmt.header || fmt == Fmt.JSON ? 3 : 2;
    assertEquals(Map.of(line, ROW_TOO_LONG), o.reasons());
    DeadLetter d = o.deadLetterAt(line);
    assertTrue(d.detail().contains(Integer.toString(MAX)), d.detail());
    if (fmt != Fmt.JSON) {
      // The raw text is the row's start, within the dead letter's own bound.
      assertTrue(d.raw().startsWith(fmt.row("2", "xxx", "neg").substring(0, 4)), d.raw());
    }
  }

  @ParameterizedTest
  @EnumSource(value = Fmt.class, names = {"TSV", "TSV_NO_HEADER", "CSV", "CSV_NO_HEADER", "JSONL"})
  void aRowOfExactlyTheMaximumIsReadAndOneByteMoreIsNot(Fmt fmt) throws IOException {
    String prefix = fmt.row("1", "", "pos");
    int fill = MAX - prefix.length();
    String atMax = fmt.row("1", repeat('y', fill), "pos");
    String overMax = fmt.row("2", repeat('y', fill + 1), "pos");
    assertEquals(MAX, atMax.getBytes(UTF_8).length);
    byte[] content = concat(bytes(fmt.header()), bytes(atMax + "\r\n" + overMax + "\r\n" + fmt.row("3", "z", "neg") + "\n"));
    Outcome o = read(fmt, content, false, "rows at and over the maximum");
    assertEquals(List.of("1", "3"), o.ids());
    assertEquals(fill, o.examples.get(0).text().length());
    assertEquals(Map.of(fmt.header ? 3L : 2L, ROW_TOO_LONG), o.reasons());
  }

  @ParameterizedTest
  @EnumSource(value = Fmt.class, names = {"TSV", "CSV"})
  void aHeaderLongerThanTheMaximumRefusesTheFile(Fmt fmt) throws IOException {
    // A file with lone \r line endings is one physical line: its header never ends.
    StringBuilder b = new StringBuilder(fmt.header().replace("\n", "\r"));
    while (b.length() <= MAX + 10) {
      b.append(fmt.row("1", "old mac line endings", "pos")).append('\r');
    }
    Outcome o = read(fmt, bytes(b.toString()), true, "over-long header");
    assertNotNull(o.refusal, "an over-long header must refuse the file");
    assertTrue(o.refusal.contains(Integer.toString(MAX)), o.refusal);
    assertTrue(o.refusal.contains("\\r"), "names lone carriage returns as the likely cause: " + o.refusal);
  }

  @Test
  void headerWithLoneCarriageReturnsIsRefusedWithTheCause() throws IOException {
    Outcome o = read(Fmt.TSV, bytes("id\ttext\tlabel\r1\tx\tpos\r2\ty\tneg\r"), true, "lone CR header");
    assertNotNull(o.refusal);
    assertTrue(o.refusal.contains("\\r"), o.refusal);
  }

  @Test
  void lineSourceKeepsAtMostTheMaximumOfAnOverLongLine() throws IOException {
    byte[] big = new byte[TEN_MB + 5];
    Arrays.fill(big, (byte) 'q');
    big[big.length - 2] = '\r';
    big[big.length - 1] = '\n';
    LineSource lines = new LineSource(new ByteArrayInputStream(concat(big, bytes("next\n"))));
    assertTrue(lines.next());
    assertTrue(lines.tooLong());
    assertEquals(TEN_MB + 3, lines.fullLength());
    assertTrue(lines.bytes().length <= MAX + 1, "buffer of " + lines.bytes().length + " bytes");
    assertTrue(lines.length() <= MAX);
    assertTrue(lines.next());
    assertFalse(lines.tooLong());
    assertEquals("next", new String(lines.bytes(), 0, lines.length(), UTF_8));
    assertEquals(2, lines.lineNumber());
    assertFalse(lines.next());
  }

  @Test
  void anUnterminatedCsvQuoteDoesNotHoldTheRestOfTheFileInMemory() throws IOException {
    // 40 MB after an unclosed quote, streamed: the open record keeps only a bounded prefix.
    byte[] head = bytes("id,text,label\n1,fine,pos\n2,\"opened and never closed\n");
    InputStream in =
        new InputStream() {
          long left = 40L * 1024 * 1024;
          int pos = 0;
          final byte[] line = bytes("more text inside the open quote, 1, 2, 3\n");
          int i = -1;

          @Override
          public int read() {
            if (i < 0) {
              return pos < head.length ? head[pos++] & 0xFF : (i = 0) == 0 ? read() : -1;
            }
            if (left-- <= 0) {
              return -1;
            }
            int c = line[i++];
            i %= line.length;
            return c;
          }

          @Override
          public int read(byte[] b, int off, int len) {
            int n = 0;
            while (n < len) {
              int c = read();
              if (c < 0) {
                return n == 0 ? -1 : n;
              }
              b[off + n++] = (byte) c;
            }
            return n;
          }
        };
    TaskSpec spec = TaskSpec.builder("csv").labels("neg", "pos").file(Split.TRAIN, Fmt.CSV.file("stream.csv")).build();
    List<DeadLetter> dead = new ArrayList<>();
    List<Example> ok = new ArrayList<>();
    ReadReport r =
        assertTimeoutPreemptively(BOUND, () -> new TaskParser(spec, Split.TRAIN, "stream.csv", Long.MAX_VALUE).parse(in, ok::add, dead::add));
    assertEquals(2, r.rowsRead());
    assertEquals(1, ok.size());
    assertEquals(1, dead.size());
    assertEquals(UNTERMINATED_QUOTE, dead.get(0).reason());
    assertEquals(3, dead.get(0).line());
    assertTrue(dead.get(0).detail().contains(Integer.toString(MAX)), dead.get(0).detail());
  }

  @Test
  void csvRecordOverTheMaximumAcrossLinesIsOneDeadLetterAndTheNextRecordIsRead() throws IOException {
    StringBuilder b = new StringBuilder("id,text,label\n1,\"starts here\n");
    while (b.length() < 2 * MAX) {
      b.append("a line inside a very long quoted field\n");
    }
    b.append("ends here\",pos\n2,after,neg\n");
    Outcome o = read(Fmt.CSV, bytes(b.toString()), false, "multi-line record over the maximum");
    assertEquals(List.of("2"), o.ids());
    assertEquals(Map.of(2L, ROW_TOO_LONG), o.reasons());
  }

  @Test
  void csvRecordRetainsABoundedPrefixOnceOverTheMaximum() {
    CsvRecord r = new CsvRecord(',');
    String line = "1,\"" + repeat('w', 1000);
    r.feed(line, 1, true, line.length());
    for (int i = 0; i < 5000; i++) {
      r.feed(repeat('w', 1000), i + 2, true, 1000);
    }
    assertTrue(r.open());
    assertTrue(r.tooLong());
    assertTrue(r.raw().length() <= DeadLetter.MAX_RAW_CHARS, "raw kept: " + r.raw().length());
    r.feed("\",pos", 5002, true, 5);
    assertFalse(r.open());
    assertTrue(r.tooLong());
  }

  // ---- deep nesting ----

  @ParameterizedTest
  @EnumSource(Fmt.class)
  void jsonNestedOneHundredThousandLevelsDeepIsADeadLetter(Fmt fmt) throws IOException {
    String deep = repeat('[', 100_000);
    if (fmt == Fmt.JSONL) {
      byte[] content =
          bytes(fmt.row("1", "a", "pos") + "\n" + deep + "\n{\"id\": \"x\", \"text\": " + deep + ", \"label\": \"pos\"}\n"
              + "{" + "\"a\":{".repeat(100_000) + "\n" + fmt.row("5", "b", "neg") + "\n");
      Outcome o = read(fmt, content, false, "deep nesting");
      assertEquals(List.of("1", "5"), o.ids());
      assertEquals(Map.of(2L, MALFORMED_JSON, 3L, MALFORMED_JSON, 4L, MALFORMED_JSON), o.reasons());
      assertTrue(o.deadLetterAt(2).detail().contains("depth"), o.deadLetterAt(2).detail());
    } else if (fmt == Fmt.JSON) {
      Outcome o = read(fmt, bytes("{\n\"1\": {\"text\": \"a\", \"label\": \"pos\"},\n\"2\": " + deep + "\n}"), false, "deep entry");
      assertEquals(List.of("1"), o.ids());
      assertEquals(Map.of(3L, MALFORMED_JSON), o.reasons());
      assertTrue(o.deadLetterAt(3).detail().contains("the rest of the file is not read"), o.deadLetterAt(3).detail());
      Outcome top = read(fmt, bytes(deep), false, "deep top level");
      assertEquals(Map.of(1L, MALFORMED_JSON), top.reasons());
      Outcome objects = read(fmt, bytes("{\"a\":".repeat(100_000)), false, "deep objects");
      assertEquals(Map.of(1L, MALFORMED_JSON), objects.reasons());
    } else {
      // Brackets are ordinary text in delimited files.
      Outcome o = read(fmt, fmt.document(List.of(fmt.row("1", deep, "pos"))), false, "brackets as text");
      assertEquals(List.of(deep), o.examples.stream().map(Example::text).collect(Collectors.toList()));
    }
  }

  // ---- NUL bytes ----

  @ParameterizedTest
  @EnumSource(value = Fmt.class, names = {"TSV", "TSV_NO_HEADER", "CSV", "CSV_NO_HEADER", "JSONL"})
  void nulCharactersInRowsAreDeadLetters(Fmt fmt) throws IOException {
    byte[] content =
        fmt.document(List.of(fmt.row("1", "ok", "pos"), fmt.row("2", "a\0b", "pos"), fmt.row("3", "c", "pos\0"),
            fmt.row("4\0", "d", "neg"), fmt.row("5", "fine", "neg")));
    Outcome o = read(fmt, content, false, "NUL bytes");
    assertEquals(List.of("1", "5"), o.ids());
    long h = fmt.header ? 1 : 0;
    if (fmt == Fmt.JSONL) {
      // A raw control character inside a JSON string is a syntax error.
      assertEquals(Map.of(2 + h, MALFORMED_JSON, 3 + h, MALFORMED_JSON, 4 + h, MALFORMED_JSON), o.reasons());
    } else {
      assertEquals(Map.of(2 + h, NUL_CHARACTER, 3 + h, NUL_CHARACTER, 4 + h, NUL_CHARACTER), o.reasons());
      assertTrue(o.deadLetterAt(2 + h).detail().contains("U+0000"), o.deadLetterAt(2 + h).detail());
    }
  }

  @ParameterizedTest
  @EnumSource(value = Fmt.class, names = {"JSONL", "JSON"})
  void escapedNulInJsonIsADeadLetter(Fmt fmt) throws IOException {
    byte[] content = fmt.document(List.of(fmt.row("1", "ok", "pos"), fmt.row("2", "a\\u0000b", "pos"), fmt.row("3", "fine", "neg")));
    Outcome o = read(fmt, content, false, "escaped NUL");
    assertEquals(List.of("1", "3"), o.ids());
    assertEquals(Map.of(fmt == Fmt.JSON ? 3L : 2L, NUL_CHARACTER), o.reasons());
  }

  @ParameterizedTest
  @EnumSource(value = Fmt.class, names = {"JSONL", "JSON"})
  void anEscapedUnpairedSurrogateIsInvalidUtf8(Fmt fmt) throws IOException {
    byte[] content =
        fmt.document(List.of(fmt.row("1", "\\uD83D\\uDE00 paired", "pos"), fmt.row("2", "lone \\uD800", "pos"), fmt.row("3", "\\uDC00", "neg")));
    Outcome o = read(fmt, content, false, "escaped surrogates");
    assertEquals(List.of("1"), o.ids());
    assertEquals(new String(Character.toChars(0x1F600)) + " paired", o.examples.get(0).text());
    long first = fmt == Fmt.JSON ? 3 : 2;
    assertEquals(Map.of(first, INVALID_UTF8, first + 1, INVALID_UTF8), o.reasons());
    assertTrue(o.deadLetterAt(first).detail().contains("unpaired surrogate"), o.deadLetterAt(first).detail());
  }

  @ParameterizedTest
  @EnumSource(value = Fmt.class, names = {"TSV", "CSV"})
  void aUtf16FileIsRefusedWithTheCause(Fmt fmt) throws IOException {
    byte[] utf16 = concat(bytes(0xFF, 0xFE), (fmt.header() + fmt.row("1", "x", "pos") + "\n").getBytes(UTF_16LE));
    Outcome o = read(fmt, utf16, true, "UTF-16 file");
    assertNotNull(o.refusal);
    assertTrue(o.refusal.contains("UTF-16"), o.refusal);
  }

  @Test
  void nulInAJsonDocumentOutsideStringsEndsIt() throws IOException {
    Outcome o = read(Fmt.JSON, bytes("{\"1\": {\"text\": \"a\", \"label\": \"pos\"},\0 \"2\": {}}"), false, "NUL between tokens");
    assertEquals(List.of("1"), o.ids());
    assertEquals(Map.of(1L, MALFORMED_JSON), o.reasons());
  }

  // ---- line endings ----

  @ParameterizedTest
  @EnumSource(Fmt.class)
  void mixedLineEndings(Fmt fmt) throws IOException {
    String h = fmt.header().replace("\n", "\r\n");
    String body;
    if (fmt == Fmt.JSON) {
      body = "{\r\n" + fmt.row("1", "a", "pos") + ",\n" + fmt.row("2", "b", "neg") + ",\r" + fmt.row("3", "c", "pos") + "\r\n}\r";
    } else {
      body = fmt.row("1", "a", "pos") + "\n" + fmt.row("2", "b", "neg") + "\r\n" + fmt.row("3", "c", "pos") + "\r"
          + fmt.row("4", "d", "neg") + "\n\r\n" + fmt.row("5", "e", "pos");
    }
    Outcome o = read(fmt, bytes(h + body), false, "mixed line endings");
    if (fmt == Fmt.JSON) {
      assertEquals(List.of("1", "2", "3"), o.ids());
      assertEquals(List.of("a", "b", "c"), o.examples.stream().map(Example::text).collect(Collectors.toList()));
      return;
    }
    // \n and \r\n end lines; a lone \r does not, so rows 3 and 4 are one malformed line.
    assertEquals(List.of("1", "2", "5"), o.ids());
    assertEquals(List.of("a", "b", "e"), o.examples.stream().map(Example::text).collect(Collectors.toList()));
    long first = fmt.header ? 2 : 1;
    assertEquals(List.of(first, first + 1, first + 4), o.examples.stream().map(Example::line).collect(Collectors.toList()));
    assertEquals(Map.of(first + 2, fmt == Fmt.JSONL ? MALFORMED_JSON : WRONG_COLUMN_COUNT), o.reasons());
    assertEquals(1, o.report().blankLines());
  }

  // ---- byte-order marks ----

  @ParameterizedTest
  @EnumSource(Fmt.class)
  void aBomAtTheStartOfTheFileIsIgnored(Fmt fmt) throws IOException {
    byte[] plain = fmt.document(List.of(fmt.row("1", "a", "pos"), fmt.row("2", "b", "neg")));
    Outcome without = read(fmt, plain, false, "no BOM");
    Outcome with = read(fmt, concat(BOM, plain), false, "BOM");
    assertEquals(2, with.examples.size());
    assertEquals(
        without.examples.stream().map(e -> e.id() + "|" + e.text() + "|" + e.label() + "|" + e.line()).collect(Collectors.toList()),
        with.examples.stream().map(e -> e.id() + "|" + e.text() + "|" + e.label() + "|" + e.line()).collect(Collectors.toList()));
  }

  @ParameterizedTest
  @EnumSource(Fmt.class)
  void aBomInsideTheFileIsAnOrdinaryCharacter(Fmt fmt) throws IOException {
    String bom = "\uFEFF";
    if (fmt == Fmt.JSON) {
      Outcome o = read(fmt, bytes("{\"1\": {\"text\": \"a" + bom + "b\", \"label\": \"pos\"},\n" + bom + "\"2\": {}}"), false, "mid-file BOM");
      assertEquals(List.of("a" + bom + "b"), o.examples.stream().map(Example::text).collect(Collectors.toList()));
      assertEquals(Map.of(2L, MALFORMED_JSON), o.reasons());
      return;
    }
    // As if two files were concatenated: the second one's BOM starts a line.
    byte[] content = concat(fmt.document(List.of(fmt.row("1", "a", "pos"))), BOM, fmt.document(List.of(fmt.row("2", "b", "neg"))));
    Outcome o = read(fmt, content, false, "concatenated files");
    long h = fmt.header ? 1 : 0;
    if (fmt == Fmt.JSONL) {
      assertEquals(List.of("1"), o.ids());
      assertEquals(Map.of(2L, MALFORMED_JSON), o.reasons());
    } else if (fmt.header) {
      // The second header is a row with the unknown label "label"; its BOM stays in its id.
      assertEquals(List.of("1", "2"), o.ids());
      assertEquals(Map.of(3L, UNKNOWN_LABEL), o.reasons());
      assertTrue(o.deadLetterAt(3).raw().startsWith(bom + "id"), o.deadLetterAt(3).raw());
    } else {
      assertEquals(List.of("1", bom + "2"), o.ids());
      assertEquals(Map.of(), o.reasons());
      assertEquals(2 + h, o.examples.get(1).line());
    }
  }

  // ---- invalid UTF-8 ----

  @ParameterizedTest
  @EnumSource(Fmt.class)
  void invalidUtf8RowsAreDeadLetters(Fmt fmt) throws IOException {
    byte[][] bad = {bytes(0xFF), bytes(0xC0, 0x80), bytes(0xED, 0xA0, 0x80), bytes(0xF4, 0x90, 0x80, 0x80), bytes(0xE2, 0x82)};
    if (fmt == Fmt.JSON) {
      for (byte[] b : bad) {
        byte[] content = concat(bytes("{\"1\": {\"text\": \"a\", \"label\": \"pos\"},\n\"2\": {\"text\": \"x"), b,
            bytes("\", \"label\": \"pos\"}}"));
        Outcome o = read(fmt, content, false, "invalid UTF-8 " + Arrays.toString(b));
        assertEquals(List.of("1"), o.ids());
        assertEquals(Map.of(2L, INVALID_UTF8), o.reasons());
      }
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(bytes(fmt.header()));
    out.writeBytes(bytes(fmt.row("0", "good", "pos") + "\n"));
    for (int i = 0; i < bad.length; i++) {
      String row = fmt.row(Integer.toString(i + 1), "x@y", "neg");
      int at = row.indexOf('@');
      out.writeBytes(concat(bytes(row.substring(0, at)), bad[i], bytes(row.substring(at + 1) + "\n")));
    }
    out.writeBytes(bytes(fmt.row("9", "good", "neg") + "\n"));
    // A sequence cut off by the end of the file.
    out.writeBytes(concat(bytes(fmt.row("10", "end", "pos")), bytes(0xE2, 0x82)));
    Outcome o = read(fmt, out.toByteArray(), false, "invalid UTF-8");
    assertEquals(List.of("0", "9"), o.ids());
    long h = fmt.header ? 1 : 0;
    Map<Long, DeadLetter.Reason> expected = new TreeMap<>();
    for (long l = 2; l <= 6; l++) {
      expected.put(l + h, INVALID_UTF8);
    }
    expected.put(8 + h, INVALID_UTF8);
    assertEquals(expected, o.reasons());
    assertTrue(o.deadLetterAt(2 + h).raw().contains("\uFFFD"), o.deadLetterAt(2 + h).raw());
  }

  @ParameterizedTest
  @EnumSource(value = Fmt.class, names = {"TSV", "CSV"})
  void aHeaderThatIsNotUtf8RefusesTheFile(Fmt fmt) throws IOException {
    Outcome o = read(fmt, concat(bytes("id"), bytes(0xFF), bytes(fmt.header().substring(2) + fmt.row("1", "x", "pos"))), true, "bad header");
    assertNotNull(o.refusal);
    assertTrue(o.refusal.contains("UTF-8"), o.refusal);
  }

  // ---- header-only and empty files ----

  @ParameterizedTest
  @EnumSource(value = Fmt.class, names = {"TSV", "CSV"})
  void headerOnlyFilesHaveNoRows(Fmt fmt) throws IOException {
    String h = fmt.header().trim();
    for (String content : List.of(h, h + "\n", h + "\r\n", "\uFEFF" + h + "\n", h + "\n\n\n")) {
      Outcome o = read(fmt, bytes(content), false, "header only " + content.length());
      assertEquals(0, o.report().rowsRead());
      assertTrue(o.deadLetters.isEmpty());
    }
  }

  @ParameterizedTest
  @EnumSource(Fmt.class)
  void emptyFiles(Fmt fmt) throws IOException {
    for (byte[] content : List.of(new byte[0], BOM)) {
      Outcome o = read(fmt, content, fmt.header, "empty file of " + content.length + " bytes");
      if (fmt.header) {
        assertNotNull(o.refusal, "a file without its header is refused");
        assertTrue(o.refusal.contains("empty") || o.refusal.contains("header"), o.refusal);
      } else {
        assertEquals(0, o.report().rowsRead());
      }
    }
    if (!fmt.header) {
      Outcome blank = read(fmt, bytes("\n\r\n\n"), false, "blank lines only");
      assertEquals(0, blank.report().rowsRead());
    }
  }
}
