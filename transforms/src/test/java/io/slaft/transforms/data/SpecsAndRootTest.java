package io.slaft.transforms.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecsAndRootTest {
  @TempDir Path tmp;

  @Test
  void glueSpecsAreFoundByLooseNames() {
    assertEquals(List.of("SST-2", "CoLA", "MRPC", "RTE", "STS-B", "QNLI", "QQP", "MNLI", "WNLI"), GlueTasks.names());
    assertSame(GlueTasks.spec("SST-2"), GlueTasks.spec("sst2"));
    assertSame(GlueTasks.spec("STS-B"), GlueTasks.spec("sts_b"));
    assertTrue(GlueTasks.spec("stsb").target().isRegression());
    assertEquals(List.of("entailment", "neutral", "contradiction"), GlueTasks.spec("mnli").target().labels());
    assertEquals(DataFile.Format.JSON, GlueTasks.spec("QNLI").file(Split.TRAIN).format());
    assertEquals(DataFile.Format.TSV, GlueTasks.spec("QNLI").file(Split.DEV).format());
    assertTrue(!GlueTasks.spec("CoLA").file(Split.TRAIN).hasHeader());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GlueTasks.spec("squad"));
    assertTrue(e.getMessage().contains("MNLI"), e.getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> GlueTasks.spec("RTE").file(Split.TEST))
        .getMessage().contains("no test split"));
  }

  @Test
  void invalidSpecsNameTheRuleAndFix() {
    assertTrue(assertThrows(IllegalArgumentException.class,
            () -> DataFile.tsv("x.tsv", ColumnMapping.of("text", "label")).withoutHeader(2))
        .getMessage().contains("Column.at(i)"));
    assertTrue(assertThrows(IllegalArgumentException.class,
            () -> DataFile.tsv("x.tsv", ColumnMapping.of(Column.at(0), Column.at(5))).withoutHeader(3))
        .getMessage().contains("outside the declared 3 columns"));
    assertTrue(assertThrows(IllegalArgumentException.class,
            () -> DataFile.jsonl("x.jsonl", ColumnMapping.of(Column.at(0), Column.at(1))))
        .getMessage().contains("must be a field name"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ColumnMapping.of("t", "t"))
        .getMessage().contains("different columns"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Target.labels("a", "a"))
        .getMessage().contains("appears twice"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Target.regression(5, 0))
        .getMessage().contains("min < max"));
    assertTrue(assertThrows(IllegalStateException.class, () -> TaskSpec.builder("t").labels("0", "1").build())
        .getMessage().contains("needs at least one file"));
    assertTrue(assertThrows(IllegalStateException.class,
            () -> TaskSpec.builder("t").file(Split.TRAIN, DataFile.tsv("x", ColumnMapping.of("a", "b"))).build())
        .getMessage().contains("needs a target"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TaskSpec.builder("bad name"))
        .getMessage().contains("must match"));
    assertEquals(Split.DEV, Split.parse("validation"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Split.parse("holdout")).getMessage().contains("train, dev, test"));
  }

  @Test
  void dataRootPrefersFlagThenEnvironmentThenWalksUp() throws IOException {
    Path repo = Files.createDirectories(tmp.resolve("work/main/transforms"));
    Path shared = Files.createDirectories(tmp.resolve("work/shared/datasets"));
    Path flag = Files.createDirectories(tmp.resolve("flag"));
    Path env = Files.createDirectories(tmp.resolve("env"));

    assertEquals(flag, DataRoot.resolve(flag.toString(), Map.of(DataRoot.ENV, env.toString()), repo).path());
    assertEquals(env, DataRoot.resolve(null, Map.of(DataRoot.ENV, env.toString()), repo).path());
    DataRoot walked = DataRoot.resolve(" ", Map.of(), repo);
    assertEquals(shared, walked.path());
    assertTrue(walked.origin().contains("above the working directory"));
    assertEquals(shared.resolve("glue/x.tsv"), walked.resolveFile("glue/x.tsv"));
    assertEquals(Path.of("/abs/file.tsv"), walked.resolveFile("/abs/file.tsv"));
  }

  @Test
  void missingDataRootNamesEveryPathTriedAndTheFix() throws IOException {
    Path lonely = Files.createDirectories(tmp.resolve("a/b"));
    TaskDataException e = assertThrows(TaskDataException.class, () -> DataRoot.resolve(null, Map.of(), lonely));
    assertTrue(e.getMessage().contains(lonely.resolve("shared/datasets").toString()), e.getMessage());
    assertTrue(e.getMessage().contains(tmp.resolve("a/shared/datasets").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("--data-dir") && e.getMessage().contains("SLAFT_DATA"), e.getMessage());
    TaskDataException bad =
        assertThrows(TaskDataException.class, () -> DataRoot.resolve(null, Map.of(DataRoot.ENV, "/no/such/dir"), lonely));
    assertTrue(bad.getMessage().contains("SLAFT_DATA=/no/such/dir"), bad.getMessage());
  }

  @Test
  void codersRoundTripAndAreDeterministic() throws Exception {
    Example cls = Example.classification("SST-2", Split.DEV, "7", "a film", null, 1, "/d/dev.tsv", 8);
    Example reg = Example.regression("STS-B", Split.TRAIN, "3", "a", "b", 4.25f, "/d/t.tsv", 4);
    DeadLetter dl = DeadLetter.of("t", Split.TRAIN, "/f", 3, DeadLetter.Reason.INVALID_UTF8, "bad", "x\uFFFD".repeat(600));
    assertEquals(DeadLetter.MAX_RAW_CHARS, dl.raw().length());
    for (Example e : List.of(cls, reg)) {
      CoderProperties.coderDecodeEncodeEqual(ExampleCoder.of(), e);
      CoderProperties.coderDeterministic(ExampleCoder.of(), e, e);
      CoderProperties.coderSerializable(ExampleCoder.of());
    }
    CoderProperties.coderDecodeEncodeEqual(DeadLetterCoder.of(), dl);
    Coder<Example> inferred = org.apache.beam.sdk.coders.CoderRegistry.createDefault().getCoder(Example.class);
    assertSame(ExampleCoder.of(), inferred);
    assertThrows(IllegalStateException.class, cls::score);
    assertThrows(IllegalStateException.class, reg::label);
  }

  @Test
  void policyCheckWithoutBeamNamesFileFractionLimitAndLocation() throws IOException {
    ReadResult r = TaskReader.of(Fixtures.brokenClassification()).withDataRoot(Fixtures.brokenRoot()).read(Split.TRAIN);
    assertSame(r.report(), DeadLetterPolicy.maxFraction(0.6).check(r.report()));
    TaskDataException e = assertThrows(TaskDataException.class,
        () -> DeadLetterPolicy.maxFraction(0.5).reportingLocation("out/dead.tsv").check(r.report()));
    assertTrue(e.getMessage().contains("classification.tsv"), e.getMessage());
    assertTrue(e.getMessage().contains("(60.00%)") && e.getMessage().contains("limit of 50.00%"), e.getMessage());
    assertTrue(e.getMessage().contains("out/dead.tsv"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DeadLetterPolicy.maxFraction(1.5));
    com.fasterxml.jackson.databind.JsonNode json =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.report().toJson());
    assertEquals(10, json.get("rowsRead").asInt());
    assertEquals(4, json.get("examples").asInt());
    assertEquals(2, json.get("deadLettersByReason").get("INVALID_UTF8").asInt());
    assertEquals("train", json.get("split").asText());
  }

  @Test
  void deadLetterTsvEscapesAndSorts() throws IOException {
    DeadLetter late = DeadLetter.of("t", Split.TRAIN, "f", 9, DeadLetter.Reason.EMPTY_TEXT, "d", "a\tb\nc\\");
    DeadLetter early = DeadLetter.of("t", Split.TRAIN, "f", 2, DeadLetter.Reason.UNKNOWN_LABEL, "d", "x");
    Path out = tmp.resolve("dl/dead-letters.tsv");
    DeadLetterTsv.write(out, List.of(late, early));
    assertEquals(
        List.of(DeadLetterTsv.HEADER, "f\t2\tUNKNOWN_LABEL\td\tx", "f\t9\tEMPTY_TEXT\td\ta\\tb\\nc\\\\"),
        Files.readAllLines(out));
  }
}
