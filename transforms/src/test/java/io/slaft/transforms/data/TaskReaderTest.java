package io.slaft.transforms.data;

import static io.slaft.transforms.data.DeadLetter.Reason.EMPTY_TEXT;
import static io.slaft.transforms.data.DeadLetter.Reason.INVALID_UTF8;
import static io.slaft.transforms.data.DeadLetter.Reason.MALFORMED_JSON;
import static io.slaft.transforms.data.DeadLetter.Reason.MISSING_FIELD;
import static io.slaft.transforms.data.DeadLetter.Reason.NON_NUMERIC_SCORE;
import static io.slaft.transforms.data.DeadLetter.Reason.SCORE_OUT_OF_RANGE;
import static io.slaft.transforms.data.DeadLetter.Reason.UNKNOWN_LABEL;
import static io.slaft.transforms.data.DeadLetter.Reason.UNTERMINATED_QUOTE;
import static io.slaft.transforms.data.DeadLetter.Reason.WRONG_COLUMN_COUNT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskReaderTest {

  @TempDir Path tmp;

  private static Map<Long, DeadLetter.Reason> reasonsByLine(ReadResult r) {
    return r.deadLetters().stream()
        .collect(Collectors.toMap(DeadLetter::line, DeadLetter::reason, (a, b) -> a, TreeMap::new));
  }

  private static long nonEmptyLines(Path p) throws IOException {
    return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)
        .lines()
        .filter(l -> !l.isEmpty())
        .count();
  }

  @Test
  void fixtureReallyHoldsInvalidUtf8() throws IOException {
    byte[] bytes = Files.readAllBytes(Fixtures.resource("broken/classification.tsv"));
    assertThrows(
        CharacterCodingException.class,
        () -> StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)));
  }

  @Test
  void brokenClassificationRowsBecomeDeadLettersWithReasonAndLine() throws IOException {
    ReadResult r =
        TaskReader.of(Fixtures.brokenClassification()).withDataRoot(Fixtures.brokenRoot()).read(Split.TRAIN);

    Map<Long, DeadLetter.Reason> expected = new TreeMap<>();
    expected.put(4L, WRONG_COLUMN_COUNT);
    expected.put(5L, WRONG_COLUMN_COUNT);
    expected.put(6L, EMPTY_TEXT);
    expected.put(7L, UNKNOWN_LABEL);
    expected.put(8L, INVALID_UTF8);
    expected.put(11L, INVALID_UTF8);
    assertEquals(expected, reasonsByLine(r));
    assertEquals(
        List.of("1", "2", "8", "10"), r.examples().stream().map(Example::id).collect(Collectors.toList()));
    assertEquals("\"an unbalanced quote, read literally", r.examples().get(2).text());
    assertEquals(1, r.examples().get(0).label());
    assertEquals(0, r.examples().get(1).label());

    long rows = nonEmptyLines(Fixtures.resource("broken/classification.tsv")) - 1;
    assertEquals(rows, r.report().rowsRead());
    assertEquals(rows, r.examples().size() + r.deadLetters().size());
    assertEquals(1, r.report().blankLines());
    assertEquals(Map.of(WRONG_COLUMN_COUNT, 2L, EMPTY_TEXT, 1L, UNKNOWN_LABEL, 1L, INVALID_UTF8, 2L),
        r.report().deadLettersByReason());

    DeadLetter badBytes = r.deadLetters().stream().filter(d -> d.line() == 8).findFirst().orElseThrow();
    assertEquals("7\tcaf\uFFFD in latin-1\tpos", badBytes.raw());
    assertTrue(badBytes.file().endsWith("classification.tsv"));
    assertEquals("expected 3 columns, found 2",
        r.deadLetters().stream().filter(d -> d.line() == 4).findFirst().orElseThrow().detail());
  }

  @Test
  void brokenScoresAreRejectedWithTheirReason() {
    ReadResult r =
        TaskReader.of(Fixtures.brokenRegression()).withDataRoot(Fixtures.brokenRoot()).read(Split.TRAIN);

    Map<Long, DeadLetter.Reason> expected = new TreeMap<>();
    expected.put(3L, NON_NUMERIC_SCORE);
    expected.put(4L, SCORE_OUT_OF_RANGE);
    expected.put(5L, NON_NUMERIC_SCORE);
    expected.put(6L, EMPTY_TEXT);
    expected.put(8L, SCORE_OUT_OF_RANGE);
    expected.put(9L, NON_NUMERIC_SCORE);
    assertEquals(expected, reasonsByLine(r));
    assertEquals(List.of(3.5f, 0f), r.examples().stream().map(Example::score).collect(Collectors.toList()));
    assertEquals("a dog", r.examples().get(0).textPair().orElseThrow());
    assertEquals(8, r.report().rowsRead());
    assertEquals(8, r.examples().size() + r.deadLetters().size());
  }

  @Test
  void brokenJsonLinesAreRejectedWithTheirReason() throws IOException {
    ReadResult r = TaskReader.of(Fixtures.brokenJsonl()).withDataRoot(Fixtures.brokenRoot()).read(Split.TRAIN);

    Map<Long, DeadLetter.Reason> expected = new TreeMap<>();
    expected.put(2L, MISSING_FIELD);
    expected.put(3L, MALFORMED_JSON);
    expected.put(4L, MALFORMED_JSON);
    expected.put(5L, MALFORMED_JSON);
    expected.put(6L, MALFORMED_JSON);
    expected.put(7L, INVALID_UTF8);
    expected.put(9L, EMPTY_TEXT);
    expected.put(10L, UNKNOWN_LABEL);
    assertEquals(expected, reasonsByLine(r));
    assertEquals(List.of("ok", "also ok"), r.examples().stream().map(Example::text).collect(Collectors.toList()));
    assertEquals(List.of("1", "11"), r.examples().stream().map(Example::id).collect(Collectors.toList()));
    long rows = nonEmptyLines(Fixtures.resource("broken/broken.jsonl"));
    assertEquals(rows, r.report().rowsRead());
    assertEquals(rows, r.examples().size() + r.deadLetters().size());
  }

  @Test
  void limitReadsTheFirstRowsInFileOrder() {
    TaskReader reader = TaskReader.of(Fixtures.brokenClassification()).withDataRoot(Fixtures.brokenRoot());
    ReadResult first5 = reader.withLimit(5).read(Split.TRAIN);
    assertEquals(5, first5.report().rowsRead());
    assertTrue(first5.report().limitReached());
    assertEquals(List.of("1", "2"), first5.examples().stream().map(Example::id).collect(Collectors.toList()));
    assertEquals(List.of(4L, 5L, 6L), first5.deadLetters().stream().map(DeadLetter::line).collect(Collectors.toList()));
    assertEquals(first5.examples(), reader.withLimit(5).read(Split.TRAIN).examples());
    assertFalse(reader.withLimit(100).read(Split.TRAIN).report().limitReached());
    assertEquals(0, reader.withLimit(0).read(Split.TRAIN).report().rowsRead());
  }

  @Test
  void csvHonoursRfc4180Quoting() throws IOException {
    Path csv = tmp.resolve("reviews.csv");
    Files.writeString(
        csv,
        "id,review,other,label\r\n"
            + "a,\"Great, really great\",\"x\",pos\r\n"
            + "b,\"spans\ntwo lines, with \"\"quotes\"\"\",y,neg\r\n"
            + "\r\n"
            + "c,plain text,z,pos\r\n"
            + "d,,z,pos\r\n"
            + "e,\"never closed,z,pos\n"
            + "f,more,z,neg\n",
        StandardCharsets.UTF_8);
    TaskSpec spec =
        TaskSpec.builder("csv")
            .labels("neg", "pos")
            .file(Split.DEV, DataFile.csv(csv.toString(), ColumnMapping.of("review", "label").withId("id")))
            .build();

    ReadResult r = TaskReader.of(spec).withDataRoot(DataRoot.of(tmp)).read(Split.DEV);

    assertEquals(List.of("Great, really great", "spans\ntwo lines, with \"quotes\"", "plain text"),
        r.examples().stream().map(Example::text).collect(Collectors.toList()));
    assertEquals(List.of(2L, 3L, 6L), r.examples().stream().map(Example::line).collect(Collectors.toList()));
    assertEquals(Map.of(7L, EMPTY_TEXT, 8L, UNTERMINATED_QUOTE), reasonsByLine(r));
    assertEquals(5, r.report().rowsRead());
    assertEquals(1, r.report().blankLines());
  }

  @Test
  void tsvNeverTreatsQuotesAsQuoting() throws IOException {
    Path tsv = tmp.resolve("q.tsv");
    Files.writeString(tsv, "text\tlabel\n\"He said, \"\"no\"\"\tpos\n\"open\tneg\n", StandardCharsets.UTF_8);
    TaskSpec spec =
        TaskSpec.builder("q").labels("neg", "pos").file(Split.TRAIN, DataFile.tsv(tsv.toString(), ColumnMapping.of("text", "label"))).build();
    ReadResult r = TaskReader.of(spec).withDataRoot(DataRoot.of(tmp)).read(Split.TRAIN);
    assertEquals(List.of("\"He said, \"\"no\"\"", "\"open"), r.examples().stream().map(Example::text).collect(Collectors.toList()));
  }

  @Test
  void jsonDocumentSyntaxErrorIsOneDeadLetterAndStopsTheFile() throws IOException {
    Path json = tmp.resolve("d.json");
    Files.writeString(
        json,
        "{\n \"0\": {\"a\": \"x\", \"b\": \"y\", \"label\": \"1\"},\n \"1\": {\"a\": \"x\", \"label\": \"1\"},\n"
            + " \"2\": 7,\n \"3\": {\"a\": \"x\", \"b\": \"y\" \"label\": \"0\"},\n \"4\": {\"a\": \"z\", \"b\": \"y\", \"label\": \"0\"}\n}\n",
        StandardCharsets.UTF_8);
    TaskSpec spec =
        TaskSpec.builder("j").labels("0", "1").file(Split.TRAIN, DataFile.json(json.toString(), ColumnMapping.pair("a", "b", "label"))).build();
    ReadResult r = TaskReader.of(spec).withDataRoot(DataRoot.of(tmp)).read(Split.TRAIN);
    assertEquals(List.of("0"), r.examples().stream().map(Example::id).collect(Collectors.toList()));
    assertEquals(Map.of(3L, MISSING_FIELD, 4L, MALFORMED_JSON, 5L, MALFORMED_JSON), reasonsByLine(r));
    assertTrue(r.deadLetters().get(2).detail().contains("the rest of the file is not read"));
    assertEquals(4, r.report().rowsRead());
  }

  @Test
  void jsonArrayOfRecordsUsesPositionsAsIds() throws IOException {
    Path json = tmp.resolve("a.json");
    Files.writeString(json, "[{\"t\": \"x\", \"l\": 4.5}, {\"t\": \"y\", \"l\": \"1e0\"}]", StandardCharsets.UTF_8);
    TaskSpec spec = TaskSpec.builder("arr").regression(0, 5).file(Split.TRAIN, DataFile.json(json.toString(), ColumnMapping.of("t", "l"))).build();
    ReadResult r = TaskReader.of(spec).withDataRoot(DataRoot.of(tmp)).read(Split.TRAIN);
    assertEquals(List.of("0", "1"), r.examples().stream().map(Example::id).collect(Collectors.toList()));
    assertEquals(List.of(4.5f, 1f), r.examples().stream().map(Example::score).collect(Collectors.toList()));
  }

  @Test
  void invalidUtf8InsideJsonDocumentIsADeadLetter() throws IOException {
    Path json = tmp.resolve("bad.json");
    byte[] head = "{\"0\": {\"t\": \"ok\", \"l\": \"0\"},\n\"1\": {\"t\": \"caf".getBytes(StandardCharsets.UTF_8);
    byte[] tail = "\", \"l\": \"1\"}}".getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(head.length + 1 + tail.length).put(head).put((byte) 0xE9).put(tail);
    Files.write(json, b.array());
    TaskSpec spec = TaskSpec.builder("u").labels("0", "1").file(Split.TRAIN, DataFile.json(json.toString(), ColumnMapping.of("t", "l"))).build();
    ReadResult r = TaskReader.of(spec).withDataRoot(DataRoot.of(tmp)).read(Split.TRAIN);
    assertEquals(1, r.examples().size());
    assertEquals(Map.of(2L, INVALID_UTF8), reasonsByLine(r));
  }

  @Test
  void headerWithoutMappedColumnNamesTheColumnAndHeader() throws IOException {
    Path tsv = tmp.resolve("h.tsv");
    Files.writeString(tsv, "sentence\tlabel\nx\t1\n", StandardCharsets.UTF_8);
    TaskSpec spec = TaskSpec.builder("h").labels("0", "1").file(Split.TRAIN, DataFile.tsv("h.tsv", ColumnMapping.of("text", "label"))).build();
    TaskDataException e =
        assertThrows(TaskDataException.class, () -> TaskReader.of(spec).withDataRoot(DataRoot.of(tmp)).read(Split.TRAIN));
    assertTrue(e.getMessage().contains("'text'"), e.getMessage());
    assertTrue(e.getMessage().contains("[sentence, label]"), e.getMessage());
  }

  @Test
  void missingFileNamesFileTaskAndFix() {
    TaskDataException e =
        assertThrows(TaskDataException.class, () -> TaskReader.of(GlueTasks.spec("sst2")).withDataRoot(DataRoot.of(tmp)).read(Split.DEV));
    assertTrue(e.getMessage().contains(tmp.resolve("glue/SST-2/dev.tsv").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("task SST-2 dev"), e.getMessage());
    assertTrue(e.getMessage().contains("--data-dir") && e.getMessage().contains("SLAFT_DATA"), e.getMessage());
  }

  @Test
  void emptyHeaderOnlyFileHasNoRows() throws IOException {
    Files.writeString(tmp.resolve("e.tsv"), "sentence\tlabel\n", StandardCharsets.UTF_8);
    TaskSpec spec = TaskSpec.builder("e").labels("0", "1").file(Split.TRAIN, DataFile.tsv("e.tsv", ColumnMapping.of("sentence", "label"))).build();
    ReadResult r = TaskReader.of(spec).withDataRoot(DataRoot.of(tmp)).read(Split.TRAIN);
    assertEquals(0, r.report().rowsRead());
    assertEquals(0.0, r.report().deadLetterFraction());
  }
}
