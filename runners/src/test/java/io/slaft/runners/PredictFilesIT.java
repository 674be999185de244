package io.slaft.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.cli.Slaft;
import io.slaft.model.export.CompactModel;
import io.slaft.pipelines.experiment.ExperimentSession;
import io.slaft.pipelines.experiment.ModelReference;
import io.slaft.pipelines.experiment.TaskLoader;
import io.slaft.pipelines.predict.ModelSpec;
import io.slaft.pipelines.predict.PredictFiles;
import io.slaft.pipelines.predict.PredictOutput;
import io.slaft.pipelines.predict.PredictedRow;
import io.slaft.runners.flink.LocalFlinkCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch prediction ({@code slaft predict --input}, {@link PredictFiles}) of a real MiniLM export on
 * the DirectRunner, Flink {@code [local]} and a session cluster of two TaskManagers: every row is a prediction or a
 * dead letter (with file, line and reason), the runners agree (same rows and labels, scores within
 * 1e-6: XLA may run a shape's first batches op by op), and each prediction is the stdin mode's
 * (same label, score within its printed precision).
 */
@Tag("integration")
class PredictFilesIT {
  @TempDir static Path dir;
  static Path export;
  static Path tsv;
  static Path jsonl;
  static List<String[]> tsvTexts = new ArrayList<>();

  @BeforeAll
  static void trainAndWriteInputs() throws Exception {
    SweepSupport.fixThreads();
    Path config = dir.resolve("predict.yaml");
    Files.writeString(config, String.join("\n", "name: predict-it", "seed: 5", "method: lora", "tasks: [sst2]",
        "backbone: {max_length: 40}", "data: {train_limit: 64, dev_limit: 16}",
        "train: {steps: 6, batch_size: 8, eval_every: 0, log_every: 3}", "tracking: {uri: none}", ""));
    Path run = dir.resolve("run");
    assertEquals(0, Slaft.run(new String[] {"train", "--config", config.toString(), "--out", run.toString()}));
    export = ExperimentSession.exportDir(run, "main");

    List<String> dev = Files.readAllLines(io.slaft.transforms.data.DataRoot.resolve(null).path().resolve("glue/SST-2/dev.tsv"),
        StandardCharsets.UTF_8);
    StringBuilder t = new StringBuilder(dev.get(0)).append('\n');
    for (int i = 1; i <= 70; i++) {
      t.append(dev.get(i)).append('\n');
      tsvTexts.add(new String[] {dev.get(i).split("\t")[0]});
    }
    t.append("a row with no tab\n").append("\t1\n"); // lines 72 and 73: wrong column count, empty text
    tsv = dir.resolve("input.tsv");
    Files.writeString(tsv, t.toString(), StandardCharsets.UTF_8);
    jsonl = dir.resolve("input.jsonl");
    Files.writeString(jsonl, "{\"sentence\": \"a warm and funny film\"}\n{\"text\": \"wrong field\"}\n"
        + "{\"sentence\": \"dull , lifeless and far too long\", \"label\": \"ignored\"}\n", StandardCharsets.UTF_8);
  }

  @Test
  void predictionsAreTheSameOnEveryRunnerAndAsOnStdin() throws Exception {
    Path direct = dir.resolve("out-direct");
    assertEquals(0, Slaft.run(new String[] {"predict", "--model", export.toString(), "--task", "sst2", "--input",
        tsv + "," + jsonl, "--output", direct.toString(), "--batch", "16"}));
    PredictOutput d = PredictOutput.read(direct);
    assertEquals(73 - 1 + 3, d.rows(), "rows read (headers are not rows)");
    assertEquals(70 + 2, d.predictions().size());
    assertEquals(3, d.deadLetters());
    assertTrue(d.balanced(), d.summary());
    String deadLetters = Files.readString(direct.resolve(PredictFiles.DEAD_LETTERS));
    assertTrue(deadLetters.contains(tsv + "\t72\tWRONG_COLUMN_COUNT"), deadLetters);
    assertTrue(deadLetters.contains(tsv + "\t73\tEMPTY_TEXT"), deadLetters);
    assertTrue(deadLetters.contains(jsonl + "\t2\tMISSING_FIELD"), deadLetters);
    PredictedRow first = byFileAndLine(d).get(tsv + ":2");
    assertEquals(export.toString(), first.model());
    assertEquals(ModelReference.resolve(export, null, null).version(), first.version());
    assertTrue(first.version().startsWith("sha256:"), first.version());
    assertEquals(List.of("0", "1"), List.copyOf(first.probabilities().keySet()));
    assertEquals(1.0, first.probabilities().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
    assertEquals(first.probabilities().get(first.label()), first.score(), 1e-12);

    // stdin mode's code path: the compact model over the texts in input order, batches of 32
    try (CompactModel m = CompactModel.load(export, "sst2")) {
      List<CompactModel.Prediction> stdin = new ArrayList<>();
      for (int i = 0; i < tsvTexts.size(); i += 32) {
        stdin.addAll(m.predict(tsvTexts.subList(i, Math.min(tsvTexts.size(), i + 32))));
      }
      for (int i = 0; i < stdin.size(); i++) {
        PredictedRow r = byFileAndLine(d).get(tsv + ":" + (i + 2));
        assertEquals(stdin.get(i).label(), r.label(), "line " + (i + 2));
        assertEquals(stdin.get(i).score(), r.score(), 1e-4, "line " + (i + 2) + " (stdin prints 4 decimals)");
      }
    }

    Path local = dir.resolve("out-flink-local");
    assertEquals(0, Slaft.run(new String[] {"predict", "--model", export.toString(), "--task", "sst2", "--input",
        tsv + "," + jsonl, "--output", local.toString(), "--batch", "16", "--runner", "flink-local"}));
    assertSameOutput(d, PredictOutput.read(local), "flink-local");

    try (LocalFlinkCluster cluster = ClusterTestSupport.startCluster("predict", 2)) {
      assertEquals(2, cluster.rest().taskManagerIds().size(), "a session cluster of two TaskManagers");
      Path out = dir.resolve("out-cluster");
      Pipeline p = Pipeline.create(ClusterTestSupport.clusterOptions(cluster, "predict", List.of(), 4));
      p.apply("PredictFiles", PredictFiles.of(TaskLoader.spec(io.slaft.pipelines.config.ExperimentConfig.of("it", Map.of()),
              "SST-2"), List.of(tsv.toString(), jsonl.toString()),
          new ModelSpec(export.toString(), "SST-2", export.toString(), first.version()), out).withBatchSize(16));
      assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
      assertSameOutput(d, PredictOutput.read(out), "session cluster of two TaskManagers");
      System.out.println("blocks predicted per TaskManager: "
          + cluster.rest().recordsReadByTaskManager(cluster.rest().jobs().get(0).id(), "PredictBlocks"));
    }
  }

  private static void assertSameOutput(PredictOutput expected, PredictOutput actual, String runner) {
    assertTrue(actual.balanced(), runner + ": " + actual.summary());
    assertEquals(expected.rows(), actual.rows(), runner);
    assertEquals(expected.deadLetters(), actual.deadLetters(), runner);
    Map<String, PredictedRow> want = byFileAndLine(expected);
    Map<String, PredictedRow> got = byFileAndLine(actual);
    assertEquals(want.keySet(), got.keySet(), runner + ": the same rows predicted");
    for (Map.Entry<String, PredictedRow> e : want.entrySet()) {
      PredictedRow a = e.getValue();
      PredictedRow b = got.get(e.getKey());
      assertEquals(List.of(a.task(), a.id(), a.label(), a.model(), a.version()), List.of(b.task(), b.id(), b.label(), b.model(),
          b.version()), runner + " " + e.getKey());
      // the batches are the same on every runner; XLA's first runs of a shape go op by op, which moves the last bits
      assertEquals(a.score(), b.score(), 1e-6, runner + " " + e.getKey());
    }
  }

  private static Map<String, PredictedRow> byFileAndLine(PredictOutput o) {
    Map<String, PredictedRow> m = new TreeMap<>();
    for (PredictedRow r : o.predictions()) {
      m.put(r.file() + ":" + r.line(), r);
    }
    return m;
  }
}
