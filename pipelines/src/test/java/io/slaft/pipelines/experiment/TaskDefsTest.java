package io.slaft.pipelines.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.slaft.model.backbone.Backbone;
import io.slaft.model.eval.MetricKind;
import io.slaft.model.train.TrainTask;
import io.slaft.pipelines.config.ConfigException;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.run.PrepareTasks;
import io.slaft.transforms.data.DeadLetter;
import io.slaft.transforms.data.TaskDataException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config's own tasks ({@code task_defs}): the metric they are scored by is checked before any
 * work and becomes the task's primary metric; empty labels are inferred from the training file,
 * printed once and recorded.
 */
class TaskDefsTest {
  @TempDir Path dir;
  private static Backbone backbone;

  @BeforeAll
  static void tokenizer() {
    backbone = TokenizingBackbone.create();
  }

  private Path yaml(String taskDef) throws Exception {
    Path f = dir.resolve("own.yaml");
    Files.writeString(f, "name: own\ntasks: [spam]\ndata: {dir: " + dir + ", max_dead_letter_fraction: 0.5}\n"
        + "task_defs:\n  spam:\n    train: train.tsv\n    dev: dev.tsv\n    text: text\n" + taskDef);
    return f;
  }

  private void data(String train, String dev) throws Exception {
    Files.writeString(dir.resolve("train.tsv"), "text\tlabel\n" + train);
    Files.writeString(dir.resolve("dev.tsv"), "text\tlabel\n" + dev);
  }

  @Test
  void aMetricThatIsNotOneOfTheSixIsRefusedAtLoadNamingKeyValueAndAllowedValues() throws Exception {
    Path f = yaml("    labels: [ham, spam]\n    metric: auc\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ExperimentConfig.load(f));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("task_defs.spam.metric: 'auc' is not allowed; allowed values: '', accuracy, f1, "
        + "macro-f1, matthews, pearson, spearman"), e.getMessage());
    ConfigException set = assertThrows(ConfigException.class,
        () -> ExperimentConfig.load(yaml("    labels: [ham, spam]\n")).withOverrides(List.of("task_defs.spam.metric=F1")));
    assertTrue(set.getMessage().contains("task_defs.spam.metric: 'F1' is not allowed"), set.getMessage());
  }

  @Test
  void aMetricThatDoesNotFitTheTaskIsRefusedWhenBindingBeforeAnyDataIsRead() throws Exception {
    // no data files exist: binding reads none
    ConfigException reg = assertThrows(ConfigException.class,
        () -> ExperimentSpec.bind(ExperimentConfig.load(yaml("    regression: [0, 5]\n    metric: f1\n"))));
    assertTrue(reg.getMessage().contains("task_defs.spam.metric: 'f1' scores classification tasks, but task_defs.spam is a "
        + "regression task (task_defs.spam.regression is set); use one of pearson, spearman"), reg.getMessage());
    ConfigException cls = assertThrows(ConfigException.class,
        () -> ExperimentSpec.bind(ExperimentConfig.load(yaml("    labels: [ham, spam]\n    metric: spearman\n"))));
    assertTrue(cls.getMessage().contains("task_defs.spam.metric: 'spearman' scores regression tasks, but task_defs.spam is a "
        + "classification task (labels); use one of accuracy, f1, macro-f1, matthews"), cls.getMessage());
    ConfigException three = assertThrows(ConfigException.class,
        () -> ExperimentSpec.bind(ExperimentConfig.load(yaml("    labels: [a, b, c]\n    metric: f1\n"))));
    assertTrue(three.getMessage().contains("'f1' is the binary F1 of the second label and needs exactly 2 labels, but "
        + "task_defs.spam.labels has 3 (a, b, c); use macro-f1"), three.getMessage());
    ConfigException glue = assertThrows(ConfigException.class, () -> ExperimentSpec.bind(
        ExperimentConfig.of("t", java.util.Map.of("tasks", "mrpc", "task_defs.mrpc.metric", "accuracy"))));
    assertTrue(glue.getMessage().contains("task_defs.mrpc.metric is set but task_defs.mrpc.train is not"), glue.getMessage());
    assertTrue(ExperimentSpec.bind(ExperimentConfig.load(yaml("    metric: macro-f1\n"))).tasks().get(0).target().isInferred(),
        "labels to infer bind without reading the training file");
  }

  @Test
  void theChosenMetricIsTheTasksPrimaryMetricAndCountsInTheConfigHash() throws Exception {
    ExperimentConfig plain = ExperimentConfig.load(yaml("    labels: [ham, spam]\n"));
    assertEquals(MetricKind.ACCURACY, TaskLoader.spec(plain, "spam").metric());
    for (MetricKind k : List.of(MetricKind.F1, MetricKind.MACRO_F1, MetricKind.MATTHEWS, MetricKind.ACCURACY)) {
      ExperimentConfig c = plain.withOverrides(List.of("task_defs.spam.metric=" + k.id()));
      assertEquals(k, TaskLoader.spec(c, "spam").metric());
      assertNotEquals(plain.hash(), c.hash(), k.id());
    }
    ExperimentConfig reg = ExperimentConfig.load(yaml("    regression: [0, 5]\n"));
    assertEquals(MetricKind.PEARSON, TaskLoader.spec(reg, "spam").metric());
    assertEquals(MetricKind.SPEARMAN, TaskLoader.spec(reg.withOverrides(List.of("task_defs.spam.metric=spearman")), "spam").metric());
    assertEquals(plain.hash(), plain.withOverrides(List.of("task_defs.spam.metric=")).hash(), "an empty metric is the default");
    ExperimentConfig glue = ExperimentConfig.of("t", java.util.Map.of("tasks", "mrpc,cola,stsb,sst2"));
    assertEquals(List.of(MetricKind.F1, MetricKind.MATTHEWS, MetricKind.PEARSON, MetricKind.ACCURACY),
        ExperimentSpec.bind(glue).tasks().stream().map(t -> t.metric()).toList());

    data("win cash now\tspam\nlunch at noon\tham\nfree prize\tspam\n", "cheap pills\tspam\nsee you\tham\n");
    LoadedTasks loaded = TaskLoader.load(plain.withOverrides(List.of("task_defs.spam.metric=f1")), backbone, null, s -> { });
    TrainTask t = loaded.tasks().get(0);
    assertEquals(MetricKind.F1, t.metric(), "the trainer scores (and picks the best step) by the configured metric");
    assertEquals(2, t.numLabels());
  }

  @Test
  void emptyLabelsAreTheTrainingFilesLabelsSortedPrintedOnceAndRecorded() throws Exception {
    data("win cash now\tspam\nlunch at noon\tham\na third\tcolumn\there\nfree prize\tspam\ncall mum\tham\n",
        "cheap pills\tspam\nsee you\tham\nwhat is this\teggs\n");
    ExperimentConfig c = ExperimentConfig.load(yaml("    metric: f1\n"));
    List<String> log = new ArrayList<>();
    LoadedTasks loaded = TaskLoader.load(c, backbone, null, log::add);
    String train = dir.resolve("train.tsv").toString();
    assertEquals(List.of("task spam: labels inferred from " + train + ": ham, spam",
        "[data] spam train: 5 rows = 4 examples + 1 dead letters",
        "[data] spam dev: 3 rows = 2 examples + 1 dead letters"), log);
    assertEquals(List.of("ham", "spam"), loaded.specs().get(0).target().labels());
    assertEquals(List.of(new InferredLabels("spam", train, List.of("ham", "spam"))), loaded.inferredLabels());
    assertEquals(List.of("ham", "spam"), loaded.labelNames().get("spam"), "what the export records");
    assertEquals(List.of(1, 0), loaded.tasks().get(0).dev().stream().map(e -> e.label()).toList());
    List<DeadLetter.Reason> reasons = loaded.deadLetters().stream().map(DeadLetter::reason).toList();
    assertEquals(List.of(DeadLetter.Reason.WRONG_COLUMN_COUNT, DeadLetter.Reason.UNKNOWN_LABEL), reasons,
        "a dev label the training file does not have is dead-lettered");

    JsonNode prov = RunSummary.json().valueToTree(new Provenance("0123456789abcdef", loaded.digests(), 1, "c", "tiny", "d", "fp32",
        "0.1.0", loaded.inferredLabels()));
    assertEquals("ham", prov.get("inferredLabels").get(0).get("labels").get(0).asText());
    assertEquals(train, prov.get("inferredLabels").get(0).get("file").asText());
    assertFalse(RunSummary.json().valueToTree(new Provenance("0123456789abcdef", loaded.digests(), 1, "c", "tiny", "d", "fp32",
        "0.1.0", List.of())).has("inferredLabels"), "summaries without inferred labels keep their form");
  }

  @Test
  void numericLabelsSortAsNumbersAndGivenLabelsStillDeadLetterTheRest() throws Exception {
    data("a\t10\nb\t2\nc\t1\nd\t2\n", "e\t10\nf\t3\ng\t2\n");
    LoadedTasks inferred = TaskLoader.load(ExperimentConfig.load(yaml("")), backbone, null, s -> { });
    assertEquals(List.of("1", "2", "10"), inferred.specs().get(0).target().labels());
    assertEquals(MetricKind.ACCURACY, inferred.tasks().get(0).metric());

    List<String> log = new ArrayList<>();
    LoadedTasks given = TaskLoader.load(ExperimentConfig.load(yaml("    labels: ['2', '10']\n")), backbone, null, log::add);
    assertTrue(given.inferredLabels().isEmpty());
    assertTrue(log.stream().noneMatch(l -> l.contains("inferred")), log.toString());
    assertEquals(List.of("[data] spam train: 4 rows = 3 examples + 1 dead letters",
        "[data] spam dev: 3 rows = 2 examples + 1 dead letters"), log);
    assertTrue(given.deadLetters().stream().allMatch(d -> d.reason() == DeadLetter.Reason.UNKNOWN_LABEL));
  }

  @Test
  void inferenceThatCannotMakeATaskIsRefusedNamingTheFileAndTheFix() throws Exception {
    data("win cash now\tspam\nfree prize\tspam\n", "see you\tham\n");
    TaskDataException one = assertThrows(TaskDataException.class,
        () -> TaskLoader.load(ExperimentConfig.load(yaml("")), backbone, null, s -> { }));
    assertTrue(one.getMessage().contains("inferred from " + dir.resolve("train.tsv")) && one.getMessage().contains("only the label 'spam'")
        && one.getMessage().contains("task_defs.spam.labels"), one.getMessage());
    data("a\tx\nb\ty\nc\tz\n", "d\tx\n");
    ConfigException f1 = assertThrows(ConfigException.class,
        () -> TaskLoader.load(ExperimentConfig.load(yaml("    metric: f1\n")), backbone, null, s -> { }));
    assertTrue(f1.getMessage().contains("task_defs.spam.metric: 'f1'") && f1.getMessage().contains("are 3 (x, y, z); use macro-f1"),
        f1.getMessage());
  }

  @Test
  void thePipelinesPrepareStageInfersOnceAndHandsTheLabelsToTraining() throws Exception {
    data("win cash now\tspam\nlunch at noon\tham\n", "see you\tham\n");
    ExperimentConfig c = ExperimentConfig.load(yaml("    metric: macro-f1\n"));
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PreparedData prepared;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      prepared = PrepareTasks.of(c, dir.resolve("run")).preparedData();
    } finally {
      System.setErr(err);
    }
    String train = dir.resolve("train.tsv").toString();
    assertEquals(List.of("task spam: labels inferred from " + train + ": ham, spam"),
        captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("inferred")).toList(), "printed once");
    assertEquals(List.of("ham", "spam"), prepared.spec("spam").target().labels());
    assertEquals(MetricKind.MACRO_F1, prepared.spec("spam").metric());
    assertEquals(List.of(new InferredLabels("spam", train, List.of("ham", "spam"))), prepared.inferredLabels());
  }
}
