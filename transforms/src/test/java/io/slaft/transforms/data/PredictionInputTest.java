package io.slaft.transforms.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files read for prediction: the training file's columns without the label, malformed rows dead-lettered. */
class PredictionInputTest {
  @TempDir Path tmp;

  private static TaskSpec pairTask() {
    return TaskSpec.builder("pairs").labels("no", "yes")
        .file(Split.TRAIN, DataFile.tsv("train.tsv", ColumnMapping.pair("a", "b", "label").withId(Column.named("idx"))))
        .build();
  }

  @Test
  void aFileWithoutTheLabelColumnIsReadWithTheTrainingColumns() throws Exception {
    Path f = tmp.resolve("input.tsv");
    Files.writeString(f, "idx\ta\tb\n7\tfirst\tsecond\n8\t\tempty text\n9\tthird\tfourth\textra\n10\tfifth\tsixth\n",
        StandardCharsets.UTF_8);
    ReadResult r = TaskReader.of(pairTask().forPrediction(f.toString())).withDataRoot(DataRoot.of(tmp)).read(Split.TEST);
    assertEquals(List.of("7", "10"), r.examples().stream().map(Example::id).toList());
    Example e = r.examples().get(0);
    assertFalse(e.isLabeled());
    assertEquals("first", e.text());
    assertEquals("second", e.textPair().orElseThrow());
    assertEquals(2, e.line());
    assertThrows(IllegalStateException.class, e::label);
    assertEquals(List.of(3L, 4L), r.deadLetters().stream().map(DeadLetter::line).toList());
    assertEquals(DeadLetter.Reason.EMPTY_TEXT, r.deadLetters().get(0).reason());
    assertEquals(DeadLetter.Reason.WRONG_COLUMN_COUNT, r.deadLetters().get(1).reason());
    assertEquals(4, r.report().examples() + r.report().deadLetters(), "rows read = examples + dead letters");
  }

  @Test
  void aLabelColumnInTheInputIsIgnoredAndOtherFormatsNeedNamedColumns() throws Exception {
    Path f = tmp.resolve("input.jsonl");
    Files.writeString(f, "{\"idx\": 1, \"a\": \"x\", \"b\": \"y\", \"label\": \"not a label\"}\n{\"a\": \"no id\"}\n",
        StandardCharsets.UTF_8);
    ReadResult r = TaskReader.of(pairTask().forPrediction(f.toString())).withDataRoot(DataRoot.of(tmp)).read(Split.TEST);
    assertEquals(1, r.examples().size(), "a label the model never sees cannot make a row bad");
    assertEquals(DeadLetter.Reason.MISSING_FIELD, r.deadLetters().get(0).reason());

    TaskSpec positional = TaskSpec.builder("cola-like").labels("0", "1")
        .file(Split.TRAIN, DataFile.tsv("train.tsv", ColumnMapping.of(Column.at(3), Column.at(1))).withoutHeader(4)).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> positional.forPrediction("in.csv"));
    assertTrue(e.getMessage().contains("no header") && e.getMessage().contains(".tsv"), e.getMessage());
    IllegalArgumentException ext = assertThrows(IllegalArgumentException.class, () -> pairTask().forPrediction("in.txt"));
    assertTrue(ext.getMessage().contains(".tsv, .csv, .jsonl or .json"), ext.getMessage());
    assertEquals(4, positional.forPrediction("x.tsv").file(Split.TEST).columnCount(), "same format: the layout carries over");
  }

  @Test
  void unlabeledExamplesSurviveTheirCoder() throws CoderException {
    Example e = Example.unlabeled("t", Split.TEST, "id", "text", null, "f.tsv", 3);
    Example back = CoderUtils.decodeFromByteArray(ExampleCoder.of(), CoderUtils.encodeToByteArray(ExampleCoder.of(), e));
    assertEquals(e, back);
    assertFalse(back.isLabeled());
  }
}
