package io.slaft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.slaft.model.export.CompactModel;
import io.slaft.model.export.ExportManifest;
import io.slaft.pipelines.experiment.ExperimentSession;
import io.slaft.pipelines.experiment.RunSummary;
import io.slaft.pipelines.experiment.SummarySchema;
import io.slaft.transforms.data.DataRoot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code method: prefix} on the real MiniLM through {@code slaft train}, shortened (600 SST-2 rows, 40
 * steps): prefix-tuning learns well beyond the trivial predictor, and the export serves 10 keys and
 * values per layer and nothing of the training-time MLP ({@code 6 x 2 x 10 x 384} + the head).
 */
@Tag("integration")
class PrefixTuningIntegrationTest {
  @TempDir Path dir;

  @Test
  void prefixTuningLearnsSst2OnMiniLmAndExportsOnlyKeysAndValues() throws Exception {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.isRegularFile(root.resolve("examples").resolve("sst2-sla.yaml"))) {
      root = root.getParent();
    }
    Path out = dir.resolve("prefix");
    PrintStream err = System.err;
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    int code;
    System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
    try {
      code = Slaft.run("train", "--config", root.resolve("examples").resolve("sst2-sla.yaml").toString(),
          "--set", "method=prefix", "--set", "data.dir=" + DataRoot.resolve(null).path().toAbsolutePath(),
          "--set", "data.train_limit=600", "--set", "data.dev_limit=200", "--set", "backbone.max_length=64",
          "--set", "train.steps=40", "--set", "train.eval_every=0", "--set", "train.checkpoint_every=0",
          "--out", out.toString());
    } finally {
      System.setErr(err);
    }
    String text = errBytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, text);

    Path summary = out.resolve(RunSummary.SUMMARY_FILE);
    SummarySchema.assertValid(summary);
    JsonNode run = RunSummary.json().readTree(summary.toFile()).get("runs").get(0);
    assertEquals("prefix", run.get("method").asText());
    double accuracy = run.get("metrics").get("accuracy").asDouble();
    double trivial = run.get("trivial_metrics").get("accuracy").asDouble();
    assertTrue(accuracy >= trivial + 0.15, "prefix-tuning dev accuracy " + accuracy + " vs trivial " + trivial + "\n" + text);
    long served = 6L * 2 * 10 * 384 + 2L * 384 + 2;
    assertEquals(served, run.get("active_params").asLong(), "folded keys and values + head");
    assertTrue(run.get("trainable_params").asLong() > 4 * served, "the MLP trained in search is far larger than what is served");

    ExportManifest.TaskEntry task = CompactModel.manifest(ExperimentSession.exportDir(out, "main")).tasks().get(0);
    assertEquals(served, task.activeParams());
    assertEquals(6, task.modules().size());
    assertTrue(task.modules().stream().allMatch(m -> m.site().equals("prefix")), task.modules().toString());
  }
}
