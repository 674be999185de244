package io.slaft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.slaft.model.export.CompactModel;
import io.slaft.pipelines.experiment.ExperimentSession;
import io.slaft.pipelines.experiment.RunSummary;
import io.slaft.pipelines.experiment.SummarySchema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's own-data example ({@code examples/own-task.yaml}) through {@code slaft train} on the
 * real MiniLM, shortened, with its labels left out: they are inferred from the training file and
 * printed once, each split's rows = examples + dead letters line comes before training (the line
 * {@code slaft run} prints), and f1 is the task's primary metric in the eval lines, the summary and
 * the export's labels.
 */
@Tag("integration")
class OwnTaskIntegrationTest {
  @TempDir Path dir;

  private static Path repoRoot() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("examples").resolve("own-task.yaml"))) {
        return d;
      }
    }
    throw new IllegalStateException("no examples/own-task.yaml above " + Path.of("").toAbsolutePath());
  }

  @Test
  void theOwnTaskExampleTrainsScoredByF1WithInferredLabels() throws Exception {
    Path root = repoRoot();
    Path data = root.resolve("examples").resolve("data");
    Path out = dir.resolve("own");
    PrintStream err = System.err;
    PrintStream stdout = System.out;
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    int code;
    System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
    System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
    try {
      code = Slaft.run("train", "--config", root.resolve("examples").resolve("own-task.yaml").toString(),
          "--set", "data.dir=" + data, "--set", "task_defs.spam.labels=", "--set", "train.steps=8",
          "--set", "train.eval_every=4", "--set", "train.checkpoint_every=0", "--set", "sparsity.warmup_steps=2",
          "--set", "sparsity.ramp_steps=2", "--set", "train.log_every=2", "--out", out.toString());
    } finally {
      System.setErr(err);
      System.setOut(stdout);
    }
    String text = errBytes.toString(StandardCharsets.UTF_8);
    String table = outBytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, text);
    List<String> lines = text.lines().toList();
    String inferred = "task spam: labels inferred from " + data.resolve("spam").resolve("train.tsv") + ": ham, spam";
    assertEquals(1, lines.stream().filter(inferred::equals).count(), text);
    int trainLine = lines.indexOf("[data] spam train: 60 rows = 60 examples + 0 dead letters");
    int devLine = lines.indexOf("[data] spam dev: 31 rows = 30 examples + 1 dead letters");
    int firstStep = indexOfFirst(lines, " step ");
    assertTrue(lines.indexOf(inferred) < trainLine && trainLine < devLine && devLine < firstStep && firstStep > 0,
        "inferred labels, then both data lines, before the first step: " + text);
    assertEquals(1, lines.stream().filter(l -> l.startsWith("[data] spam train:")).count(), "each data line once: " + text);
    int validationLine = lines.indexOf("[data] spam validation: 12 of 60 training rows held out (data.validation 0.2,"
        + " seed 1, cap 1000); 48 trained on");
    assertTrue(devLine < validationLine && validationLine < firstStep, "the held-out rows are accounted for: " + text);
    assertTrue(lines.stream().anyMatch(l -> l.contains(" eval @4 validation: spam f1 ")), "chosen on validation: " + text);
    assertTrue(table.contains("f1"), table);

    Path summary = out.resolve(RunSummary.SUMMARY_FILE);
    SummarySchema.assertValid(summary);
    JsonNode run = RunSummary.json().readTree(summary.toFile()).get("runs").get(0);
    assertEquals("f1", run.get("primary_metric").asText());
    assertEquals(List.of("f1", "accuracy"), List.copyOf(iterable(run.get("metrics").fieldNames())));
    assertEquals("validation", run.get("selected_on").asText());
    assertEquals(List.of("f1", "accuracy"), List.copyOf(iterable(run.get("validation_metrics").fieldNames())));
    JsonNode labels = run.get("provenance").get("inferredLabels").get(0);
    assertEquals("spam", labels.get("task").asText());
    assertEquals("[\"ham\",\"spam\"]", labels.get("labels").toString());
    assertEquals(List.of("ham", "spam"), CompactModel.manifest(ExperimentSession.exportDir(out, "main")).tasks().get(0).labels());
    assertTrue(Files.readString(out.resolve(RunSummary.DEAD_LETTER_FILE)).contains("unsure"));
  }

  private static int indexOfFirst(List<String> lines, String part) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(part)) {
        return i;
      }
    }
    return -1;
  }

  private static <T> List<T> iterable(java.util.Iterator<T> it) {
    List<T> l = new java.util.ArrayList<>();
    it.forEachRemaining(l::add);
    return l;
  }
}
