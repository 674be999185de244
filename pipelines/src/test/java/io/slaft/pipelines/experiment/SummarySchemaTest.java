package io.slaft.pipelines.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.transforms.data.Column;
import io.slaft.transforms.data.ColumnMapping;
import io.slaft.transforms.data.DataFile;
import io.slaft.transforms.data.ReadReport;
import io.slaft.transforms.data.Split;
import io.slaft.transforms.data.TaskReader;
import io.slaft.transforms.data.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one summary writer produces what the committed schema describes, and the schema is strict enough to fail. */
class SummarySchemaTest {
  static Map<String, Object> record(String task, String point, Map<String, String> overrides, double acc) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("task", task);
    r.put("method", "sla");
    r.put("seed", 1);
    r.put("point_id", point);
    r.put("overrides", overrides);
    r.put("metrics", Map.of("accuracy", acc));
    r.put("primary_metric", "accuracy");
    r.put("trainable_params", 100);
    r.put("active_params", 50);
    r.put("backbone_params", 1000);
    r.put("compression", 0.05);
    r.put("trainable_pct", 10.0);
    r.put("active_modules", 1);
    r.put("total_modules", 2);
    r.put("gates", Map.of("l0", Map.of("attn", 0.9, "ffn", 0.1)));
    r.put("structure", List.of(Map.of("module", "l0.attn", "gate", 0.9, "active", true, "width", 8),
        Map.of("module", "l0.ffn", "gate", 0.1, "active", acc < 0.75, "width", 8)));
    r.put("structure_flips", List.of(Map.of("step", 2, "flips", 1, "kept", 2), Map.of("step", 4, "flips", 1, "kept", 1)));
    r.put("structure_flips_last_quarter", 1);
    r.put("structure_settled_step", 3);
    r.put("train_tokens_per_s", 10.0);
    r.put("train_real_tokens_per_s", 8.0);
    r.put("train_seconds", 1.0);
    r.put("eval_tokens_per_s", 20.0);
    r.put("steps", 4);
    r.put("best_step", 4);
    r.put("gate_family", "hard-concrete");
    r.put("lambda", 1.0);
    r.put("provenance", new Provenance("0123456789abcdef", Map.of("sst2", "abc"), 1, "c0ffee", "tiny", "d1", "fp32", "0.1.0", List.of()));
    return r;
  }

  /** A real read report: {@code good} valid rows and {@code bad} rows with an unknown label. */
  static ReadReport report(Path dir, Split split, int good, int bad) throws Exception {
    StringBuilder tsv = new StringBuilder("sentence\tlabel\n");
    for (int i = 0; i < good; i++) {
      tsv.append("row ").append(i).append("\t1\n");
    }
    for (int i = 0; i < bad; i++) {
      tsv.append("bad ").append(i).append("\tmaybe\n");
    }
    Path f = dir.resolve(split.lowerName() + ".tsv");
    Files.writeString(f, tsv);
    ColumnMapping cols = ColumnMapping.of(Column.named("sentence"), Column.named("label"));
    TaskSpec spec = TaskSpec.builder("SST-2").labels("0", "1").file(Split.TRAIN, DataFile.tsv(f.toString(), cols))
        .file(Split.DEV, DataFile.tsv(f.toString(), cols)).build();
    return TaskReader.of(spec).read(split).report();
  }

  @Test
  void trainRunAndRobustnessSummariesShareTheSchema(@TempDir Path dir) throws Exception {
    ExperimentConfig c = ExperimentConfig.of("test", Map.of("name", "schema"));
    List<ReadReport> reports = List.of(report(Files.createDirectories(dir.resolve("t")), Split.TRAIN, 9, 1),
        report(Files.createDirectories(dir.resolve("d")), Split.DEV, 5, 0));
    Path train = RunSummary.write(c, dir.resolve("train"), List.of(record("SST-2", "main", Map.of(), 0.8)), reports, Map.of());
    Path run = RunSummary.write(c, dir.resolve("run"), List.of(record("SST-2", "0-a", Map.of("seed", "1", "sparsity.lambda", "1"), 0.8),
        record("SST-2", "1-b", Map.of("seed", "2", "sparsity.lambda", "1"), 0.7)), reports, Map.of());
    Path rob = RunSummary.write(c, dir.resolve("rob"), List.of(record("SST-2", "main", Map.of(), 0.8)), reports,
        Map.of("robustness", Map.of("rows", List.of())));
    for (Path p : List.of(train, run, rob)) {
      SummarySchema.assertValid(p);
    }
    JsonNode s = RunSummary.json().readTree(run.toFile());
    assertEquals(1, s.get("data").get("dead_letters").asInt());
    assertEquals(1, s.get("aggregate").size(), "two seeds of one setting pool into one aggregate row");
    assertEquals(0.75, s.get("aggregate").get(0).get("mean").asDouble(), 1e-12);
    assertEquals(0.5, s.get("aggregate").get(0).get("kept_jaccard_mean").asDouble(), 1e-12,
        "seeds keep {l0.attn} and {l0.attn, l0.ffn}: Jaccard 1/2");
    assertTrue(RunSummary.json().readTree(train.toFile()).get("aggregate").get(0).get("kept_jaccard_mean").isNull(),
        "one seed has no pair to compare");
  }

  @Test
  void aSweepWithEarlyStoppingSaysWhichPointsStoppedAndTheStepsItSaved(@TempDir Path dir) throws Exception {
    ExperimentConfig c = ExperimentConfig.of("test", Map.of("name", "es", "sweep.early_stop", "asha", "data.validation", "0.1",
        "train.eval_every", "10", "sweep.seeds", "1,2,3"));
    List<Map<String, Object>> records = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Map<String, Object> r = record("SST-2", "p" + i, Map.of("seed", String.valueOf(i + 1)), 0.8 - 0.1 * i);
      r.put("planned_steps", 40);
      r.put("steps", i == 2 ? 10 : 40);
      r.put("stopped_early", i == 2);
      if (i == 2) {
        r.put("stop_rung", 10);
        r.put("stop_reason", "asha rung 10: 0.5000 < cutoff 0.7000 of 2 other points");
      }
      records.add(r);
    }
    Path p = RunSummary.write(c, dir.resolve("out"), records,
        List.of(report(Files.createDirectories(dir.resolve("t")), Split.TRAIN, 3, 0)), Map.of());
    SummarySchema.assertValid(p);
    JsonNode e = RunSummary.json().readTree(p.toFile()).get("early_stopping");
    assertEquals("asha", e.get("rule").asText());
    assertEquals(3, e.get("points").asInt());
    assertEquals(90, e.get("steps_trained").asInt());
    assertEquals(120, e.get("steps_planned").asInt());
    assertEquals(0.25, e.get("steps_saved_fraction").asDouble(), 1e-12);
    assertEquals(1, e.get("stopped").size());
    assertEquals("p2", e.get("stopped").get(0).get("point_id").asText());
    assertEquals(10, e.get("stopped").get(0).get("rung").asInt());
    String md = Files.readString(dir.resolve("out").resolve("results.md"));
    assertTrue(md.contains("p2 (stopped at 10, rung 10)"), md);
    assertTrue(md.contains("## Early stopping") && md.contains("1 of 3 points stopped early") && md.contains("25.0 % saved"), md);
    ObjectNode drifted = (ObjectNode) RunSummary.json().readTree(p.toFile());
    ((ObjectNode) drifted.get("early_stopping")).put("steps_saved_fraction", 1.5);
    assertFalse(SummarySchema.violations(drifted).isEmpty());
    assertTrue(RunSummary.json().readTree(RunSummary.write(c.withOverrides(List.of("sweep.early_stop=none")), dir.resolve("off"),
        records, List.of(report(Files.createDirectories(dir.resolve("t2")), Split.TRAIN, 3, 0)), Map.of()).toFile())
        .path("early_stopping").isMissingNode(), "no section when early stopping is off");
  }

  @Test
  void inferredLabelsAreRecordedInTheProvenanceTheSchemaDescribes(@TempDir Path dir) throws Exception {
    ExperimentConfig c = ExperimentConfig.of("test", Map.of("name", "schema"));
    Map<String, Object> r = record("spam", "main", Map.of(), 0.8);
    r.put("metrics", Map.of("f1", 0.5, "accuracy", 0.8));
    r.put("primary_metric", "f1");
    r.put("provenance", new Provenance("0123456789abcdef", Map.of("spam", "abc"), 1, "c0ffee", "tiny", "d1", "fp32", "0.1.0",
        List.of(new InferredLabels("spam", "/data/spam/train.tsv", List.of("ham", "spam")))));
    Path p = RunSummary.write(c, dir.resolve("out"), List.of(r),
        List.of(report(Files.createDirectories(dir.resolve("t")), Split.TRAIN, 3, 0)), Map.of());
    SummarySchema.assertValid(p);
    ObjectNode s = (ObjectNode) RunSummary.json().readTree(p.toFile());
    JsonNode inferred = s.get("runs").get(0).get("provenance").get("inferredLabels").get(0);
    assertEquals("/data/spam/train.tsv", inferred.get("file").asText());
    assertEquals("spam", inferred.get("labels").get(1).asText());
    ObjectNode oneLabel = s.deepCopy();
    ((com.fasterxml.jackson.databind.node.ArrayNode) oneLabel.get("runs").get(0).get("provenance").get("inferredLabels").get(0)
        .get("labels")).remove(1);
    assertFalse(SummarySchema.violations(oneLabel).isEmpty());
  }

  @Test
  void theSchemaRejectsADriftedShape(@TempDir Path dir) throws Exception {
    ExperimentConfig c = ExperimentConfig.of("test", Map.of("name", "schema"));
    Path p = RunSummary.write(c, dir.resolve("out"), List.of(record("SST-2", "main", Map.of(), 0.8)),
        List.of(report(Files.createDirectories(dir.resolve("t")), Split.TRAIN, 3, 0)), Map.of());
    ObjectNode s = (ObjectNode) RunSummary.json().readTree(p.toFile());
    assertTrue(SummarySchema.violations(s).isEmpty());
    ObjectNode drifted = s.deepCopy();
    drifted.put("dead_letter_file", "x"); // the old top-level place of slaft run
    assertFalse(SummarySchema.violations(drifted).isEmpty());
    ObjectNode noData = s.deepCopy();
    noData.remove("data");
    assertFalse(SummarySchema.violations(noData).isEmpty());
    ObjectNode badRun = s.deepCopy();
    ((ObjectNode) badRun.get("runs").get(0)).remove("metrics");
    assertFalse(SummarySchema.violations(badRun).isEmpty());
    ObjectNode badFlips = s.deepCopy();
    ((ObjectNode) badFlips.get("runs").get(0).get("structure_flips").get(0)).put("flips", -1);
    assertFalse(SummarySchema.violations(badFlips).isEmpty());
  }
}
