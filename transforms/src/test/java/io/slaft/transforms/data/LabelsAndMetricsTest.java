package io.slaft.transforms.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.model.eval.MetricKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Labels inferred from a training file, and the metric a spec is scored by. */
class LabelsAndMetricsTest {
  @TempDir Path tmp;

  private TaskSpec inferred(String train, String dev) throws Exception {
    Files.writeString(tmp.resolve("train.tsv"), train);
    Files.writeString(tmp.resolve("dev.tsv"), dev);
    ColumnMapping cols = ColumnMapping.of("text", "label");
    return TaskSpec.builder("spam").inferLabels().metric(MetricKind.F1)
        .file(Split.TRAIN, DataFile.tsv("train.tsv", cols))
        .file(Split.DEV, DataFile.tsv("dev.tsv", cols))
        .build();
  }

  @Test
  void labelValuesAreTheDistinctLabelsOfValidRowsSorted() throws Exception {
    TaskSpec spec = inferred("text\tlabel\n"
        + "win money now\tspam\n"
        + "lunch at noon?\tham\n"
        + "a row with a third column\teggs\textra\n"
        + "\tbacon\n"
        + "no label here\t\n"
        + "free prize\tspam\n", "text\tlabel\nhi\tham\n");
    TaskReader reader = TaskReader.of(spec).withDataRoot(DataRoot.of(tmp));
    assertEquals(List.of("ham", "spam"), reader.labelValues(Split.TRAIN),
        "eggs (wrong column count), bacon (empty text) and the empty label are not labels");
    assertEquals(List.of("spam"), reader.withLimit(1).labelValues(Split.TRAIN), "the reader's row limit applies");
  }

  @Test
  void numbersSortNumericallyAnythingElseLexicographically() {
    assertEquals(List.of("-1", "2", "10"), TaskReader.inferredOrder(Set.of("10", "2", "-1")));
    assertEquals(List.of("1", "1.0", "1e1"), TaskReader.inferredOrder(Set.of("1e1", "1.0", "1")), "equal numbers in text order");
    assertEquals(List.of("10", "2", "two"), TaskReader.inferredOrder(Set.of("two", "2", "10")));
    assertEquals(List.of("Spam", "ham"), TaskReader.inferredOrder(Set.of("ham", "Spam")));
    assertEquals(List.of("1e2147483648", "2"), TaskReader.inferredOrder(Set.of("2", "1e2147483648")),
        "an exponent BigDecimal cannot hold: text order");
  }

  @Test
  void aSpecWhoseLabelsAreToBeInferredIsNotReadUntilTheyAreFixed() throws Exception {
    TaskSpec spec = inferred("text\tlabel\nwin\tspam\nlunch\tham\n", "text\tlabel\nhi\tham\nbuy\tspam\nmeh\teggs\n");
    assertTrue(spec.target().isInferred());
    assertFalse(spec.target().isRegression());
    assertEquals(List.of(), spec.target().labels());
    TaskReader reader = TaskReader.of(spec).withDataRoot(DataRoot.of(tmp));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> reader.read(Split.DEV));
    assertTrue(e.getMessage().contains("task spam") && e.getMessage().contains("TaskSpec.withLabels"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> spec.target().outputs());

    TaskSpec fixed = spec.withLabels(reader.labelValues(Split.TRAIN));
    assertEquals(List.of("ham", "spam"), fixed.target().labels());
    assertEquals(MetricKind.F1, fixed.metric());
    assertNotEquals(spec, fixed);
    ReadResult dev = TaskReader.of(fixed).withDataRoot(DataRoot.of(tmp)).read(Split.DEV);
    assertEquals(List.of(0, 1), dev.examples().stream().map(Example::label).toList());
    assertEquals(1, dev.deadLetters().size(), "a dev label the training file does not have is a dead letter");
    assertEquals(DeadLetter.Reason.UNKNOWN_LABEL, dev.deadLetters().get(0).reason());
    assertEquals(3, dev.report().rowsRead());
    assertEquals(Map.of(DeadLetter.Reason.UNKNOWN_LABEL, 1L), dev.report().deadLettersByReason());
    assertThrows(IllegalStateException.class, () -> fixed.withLabels(List.of("a", "b")), "fixed once");
  }

  @Test
  void theMetricMustFitTheTarget() throws Exception {
    DataFile f = DataFile.tsv("x.tsv", ColumnMapping.of("text", "label"));
    IllegalStateException reg = assertThrows(IllegalStateException.class,
        () -> TaskSpec.builder("r").regression(0, 1).metric(MetricKind.MACRO_F1).file(Split.TRAIN, f).build());
    assertTrue(reg.getMessage().contains("metric macro-f1 scores classification tasks, but the task is a regression task"),
        reg.getMessage());
    IllegalStateException cls = assertThrows(IllegalStateException.class,
        () -> TaskSpec.builder("c").labels("a", "b").metric(MetricKind.SPEARMAN).file(Split.TRAIN, f).build());
    assertTrue(cls.getMessage().contains("metric spearman scores regression tasks"), cls.getMessage());
    IllegalStateException three = assertThrows(IllegalStateException.class,
        () -> TaskSpec.builder("c").labels("a", "b", "c").metric(MetricKind.F1).file(Split.TRAIN, f).build());
    assertTrue(three.getMessage().contains("needs exactly 2 labels, not 3") && three.getMessage().contains("macro-f1"),
        three.getMessage());
    TaskSpec later = TaskSpec.builder("c").inferLabels().metric(MetricKind.F1).file(Split.TRAIN, f).build();
    assertThrows(IllegalStateException.class, () -> later.withLabels(List.of("a", "b", "c")));
    assertEquals(MetricKind.MATTHEWS,
        TaskSpec.builder("c").labels("a", "b", "c").metric(MetricKind.MATTHEWS).file(Split.TRAIN, f).build().metric());
    assertEquals(MetricKind.ACCURACY, TaskSpec.builder("mine").labels("a", "b").file(Split.TRAIN, f).build().metric(),
        "no metric: the name's GLUE convention, accuracy");
  }

  @Test
  void glueTasksAreScoredByTheirConventions() {
    assertEquals(MetricKind.ACCURACY, GlueTasks.spec("SST-2").metric());
    assertEquals(MetricKind.F1, GlueTasks.spec("MRPC").metric());
    assertEquals(MetricKind.F1, GlueTasks.spec("QQP").metric());
    assertEquals(MetricKind.MATTHEWS, GlueTasks.spec("CoLA").metric());
    assertEquals(MetricKind.PEARSON, GlueTasks.spec("STS-B").metric());
    assertEquals(MetricKind.ACCURACY, GlueTasks.spec("MNLI").metric());
  }
}
