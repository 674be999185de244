package io.slaft.pipelines.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.slaft.model.train.TrainListener;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.config.SweepPoints;
import io.slaft.pipelines.experiment.ExperimentRunner;
import io.slaft.pipelines.experiment.PreparedData;
import io.slaft.pipelines.experiment.RunSummary;
import io.slaft.pipelines.experiment.SummarySchema;
import io.slaft.pipelines.experiment.TaskLoader;
import io.slaft.transforms.data.PreparedSplit;
import io.slaft.transforms.data.ReadTask;
import io.slaft.transforms.data.Split;
import io.slaft.transforms.data.TaskReader;
import io.slaft.transforms.sweep.SweepPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code slaft run} pipeline on the DirectRunner, real MiniLM: prepare reads each raw task
 * split once, training reads the prepared splits (and trains exactly what the raw-file path trains),
 * and the summary has the one schema.
 */
@Tag("integration")
class ExperimentPipelineIntegrationTest {
  @Test
  void prepareFeedsTrainingAndRawFilesAreReadOncePerRun(@TempDir Path dir) throws Exception {
    Path yaml = dir.resolve("sweep.yaml");
    Files.writeString(yaml, String.join("\n",
        "name: pipeline-it",
        "seed: 5",
        "tasks: [sst2]",
        "backbone: {max_length: 32}",
        "data: {train_limit: 64, dev_limit: 32}",
        "adapters: {sites: [attn, lora], bottleneck: 8, lora_rank: 4}",
        "sparsity: {warmup_steps: 1, ramp_steps: 1}",
        "train: {steps: 4, batch_size: 8, eval_every: 0, checkpoint_every: 0}",
        "sweep: {grid: {sparsity.lambda: [0.5, 2]}}",
        "tracking: {uri: none}", ""));
    ExperimentConfig c = ExperimentConfig.load(yaml);
    Path out = dir.resolve("run");
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    p.apply("Experiment", ExperimentPipeline.of(c, out).withNoCache(true));
    PipelineResult result = p.run();
    assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());

    long reads = 0;
    for (MetricResult<Long> m : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(ReadTask.METRICS_NAMESPACE, TaskReader.RAW_FILE_READS)).build()).getCounters()) {
      reads += m.getAttempted();
    }
    assertEquals(2, reads, "one task x (train, dev), read once for both sweep points");
    for (Split s : List.of(Split.TRAIN, Split.DEV)) {
      assertTrue(Files.isRegularFile(PreparedSplit.file(PreparedData.dirOf(out), "sst2", s)), s + " materialized");
    }

    Path summary = out.resolve(RunSummary.SUMMARY_FILE);
    SummarySchema.assertValid(summary);
    JsonNode s = RunSummary.json().readTree(summary.toFile());
    assertEquals(2, s.get("runs").size());
    assertEquals(2, s.get("data").get("reports").size());
    assertEquals(64 + 32, s.get("data").get("reports").get(0).get("rowsRead").asLong()
        + s.get("data").get("reports").get(1).get("rowsRead").asLong());

    // the first point again through the raw-file path (slaft train's): the same metrics and data digest
    SweepPoint first = SweepPoints.of(c).get(0);
    ExperimentRunner.PointResult direct = ExperimentRunner.train(c.with(first.overrides()), dir.resolve("direct"),
        first.id(), first.overrides(), TrainListener.NONE);
    JsonNode piped = null;
    for (JsonNode r : s.get("runs")) {
      piped = r.get("point_id").asText().equals(first.id()) ? r : piped;
    }
    Map<String, Object> raw = direct.records().get(0);
    assertEquals(raw.get("metrics"), RunSummary.json().convertValue(piped.get("metrics"), Map.class));
    assertEquals(direct.provenance().dataDigests().get("sst2"), piped.get("provenance").get("dataDigests").get("sst2").asText());
  }

  @Test
  void anOwnTaskWithInferredLabelsAndF1RunsThroughThePipelineInferringOnce(@TempDir Path dir) throws Exception {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.isRegularFile(root.resolve("examples").resolve("own-task.yaml"))) {
      root = root.getParent();
    }
    Path data = root.resolve("examples").resolve("data");
    ExperimentConfig c = ExperimentConfig.load(root.resolve("examples").resolve("own-task.yaml")).withOverrides(List.of(
        "data.dir=" + data, "task_defs.spam.labels=", "train.steps=4", "train.eval_every=0", "train.checkpoint_every=0",
        "sparsity.warmup_steps=1", "sparsity.ramp_steps=1", "sweep.grid.sparsity.lambda=0.5,2", "tracking.uri=none"));
    Path out = dir.resolve("run");
    java.io.PrintStream err = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
      p.apply("Experiment", ExperimentPipeline.of(c, out).withNoCache(true));
      assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
    } finally {
      System.setErr(err);
    }
    List<String> lines = captured.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    assertEquals(List.of("task spam: labels inferred from " + data.resolve("spam").resolve("train.tsv") + ": ham, spam"),
        lines.stream().filter(l -> l.contains("labels inferred")).toList(), "inferred once for both sweep points");
    assertEquals(1, lines.stream().filter(l -> l.equals("[data] spam dev: 31 rows = 30 examples + 1 dead letters")).count());
    Path summary = out.resolve(RunSummary.SUMMARY_FILE);
    SummarySchema.assertValid(summary);
    JsonNode s = RunSummary.json().readTree(summary.toFile());
    assertEquals(2, s.get("runs").size());
    for (JsonNode r : s.get("runs")) {
      assertEquals("f1", r.get("primary_metric").asText());
      assertEquals("[\"ham\",\"spam\"]", r.get("provenance").get("inferredLabels").get(0).get("labels").toString());
    }
    assertEquals("f1", s.get("aggregate").get(0).get("metric").asText());
  }

  @Test
  void aSweepThatChangesWhatIsReadIsNotCoveredByThePreparedData(@TempDir Path dir) {
    ExperimentConfig c = ExperimentConfig.of("t", Map.of("tasks", "sst2", "data.train_limit", "64"));
    PreparedData prepared = new PreparedData(dir.toString(), Map.of("sst2", TaskLoader.spec(c, "sst2")), List.of(),
        Map.of("sst2", "d"), TaskLoader.readSettings(c));
    assertTrue(prepared.covers(c.with(Map.of("sparsity.lambda", "2"))));
    assertFalse(prepared.covers(c.with(Map.of("data.train_limit", "128"))));
    assertFalse(prepared.covers(c.with(Map.of("tasks", "sst2,mrpc"))));
  }
}
