package io.slaft.transforms.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every built-in GLUE task split reads completely and cleanly from the real files. */
class GlueReadTest {

  static Stream<Arguments> taskSplits() {
    List<Arguments> out = new ArrayList<>();
    for (TaskSpec spec : GlueTasks.all()) {
      for (Split split : spec.splits()) {
        out.add(Arguments.of(spec.name(), split));
      }
    }
    return out.stream();
  }

  /** Rows counted independently of the parser: JSON entries, or non-empty lines minus the header. */
  static long expectedRows(DataFile f, Path p) throws IOException {
    if (f.format() == DataFile.Format.JSON) {
      return new ObjectMapper().readTree(p.toFile()).size();
    }
    String content = Files.readString(p, StandardCharsets.UTF_8);
    long nonEmpty = content.lines().filter(l -> !l.isEmpty()).count();
    return f.hasHeader() ? nonEmpty - 1 : nonEmpty;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("taskSplits")
  void readsEveryRowWithoutDeadLetters(String task, Split split) throws IOException {
    TaskSpec spec = GlueTasks.spec(task);
    TaskReader reader = TaskReader.of(spec);
    Path file = reader.locate(split);
    long expected = expectedRows(spec.file(split), file);

    ReadResult result = reader.read(split);

    assertEquals(List.of(), result.deadLetters().stream().limit(5).toList(), "dead letters in clean data");
    assertEquals(expected, result.examples().size());
    assertEquals(expected, result.report().rowsRead());
    assertFalse(result.report().limitReached());
    Set<String> ids = new HashSet<>();
    for (Example e : result.examples()) {
      assertEquals(spec.name(), e.task());
      assertEquals(split, e.split());
      assertEquals(file.toString(), e.sourceFile());
      assertTrue(e.textPair().isPresent() == spec.file(split).columns().textPair().isPresent());
      if (spec.target().isRegression()) {
        assertTrue(e.score() >= 0f && e.score() <= 5f);
      } else {
        assertTrue(e.label() >= 0 && e.label() < spec.target().labels().size());
      }
      ids.add(e.id());
    }
    assertEquals(expected, ids.size(), "example ids are unique within a split");
  }

  @org.junit.jupiter.api.Test
  void knownRowsAreParsedExactly() throws IOException {
    Example sst = TaskReader.read(GlueTasks.spec("SST-2"), Split.DEV).examples().get(0);
    assertEquals("it 's a charming and often affecting journey .", sst.text());
    assertEquals(1, sst.label());
    assertEquals(2, sst.line());

    Example mrpc = TaskReader.read(GlueTasks.spec("MRPC"), Split.TRAIN).examples().get(0);
    assertEquals("702876-702977", mrpc.id());
    assertTrue(mrpc.text().startsWith("Amrozi accused his brother, whom he called \"the witness\""));
    assertTrue(mrpc.textPair().orElseThrow().startsWith("Referring to him as only \"the witness\""));

    Example sts = TaskReader.read(GlueTasks.spec("STS-B"), Split.DEV).examples().get(0);
    assertEquals(5.0f, sts.score());
    assertEquals("A man wearing a hard hat is dancing.", sts.textPair().orElseThrow());

    ReadResult cola = TaskReader.read(GlueTasks.spec("CoLA"), Split.DEV);
    Path colaFile = TaskReader.of(GlueTasks.spec("CoLA")).locate(Split.DEV);
    List<String> lines = Files.readAllLines(colaFile);
    Example last = cola.examples().get(cola.examples().size() - 1);
    assertEquals(lines.size(), last.line());
    assertEquals(lines.get(lines.size() - 1).split("\t")[3], last.text());

    Example mnli = TaskReader.read(GlueTasks.spec("MNLI"), Split.DEV).examples().get(1);
    assertEquals("1", mnli.id());
    assertEquals(2, mnli.label());
    assertEquals(7, mnli.line());
  }
}
