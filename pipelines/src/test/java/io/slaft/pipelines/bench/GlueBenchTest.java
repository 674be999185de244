package io.slaft.pipelines.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.transforms.data.DataRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GlueBench on the real MiniLM backbone and real GLUE slices, a few steps per cell. */
class GlueBenchTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void cellsAreCachedAndAnInterruptedBenchReportsOnlyFinishedTasks(@TempDir Path dir) throws IOException {
    ExperimentConfig base = benchConfig(dir, 24, "adapters: {sites: [lora], bottleneck: 8}", 3);
    Path out = dir.resolve("out");
    List<String> methods = List.of("head-only", "lora-r4");
    Map<String, Map<String, String>> variants = Map.of("lora-r4", Map.of("method", "lora", "adapters.lora_rank", "4"));
    Map<String, List<Long>> seeds = Map.of("sst2", List.of(1L), "mrpc", List.of(1L, 2L), "cola", List.of(1L));

    List<String> log1 = new ArrayList<>();
    String md = GlueBench.run(base, methods, variants, List.of("sst2", "mrpc"), seeds, out, 0, BenchRobustness.NONE, log1::add);
    try (Stream<Path> cells = Files.list(out.resolve("cells"))) {
      assertEquals(6, cells.filter(p -> p.toString().endsWith(".json")).count(), "2 methods x (1 + 2 seeds)");
    }
    assertTrue(md.contains("| method") && md.contains("inference / frozen") && md.contains("sst2") && md.contains("mrpc"), md);
    JsonNode doc = JSON.readTree(out.resolve("glue-bench.json").toFile());
    assertEquals(List.of("sst2", "mrpc"), names(doc.path("complete_tasks")));
    assertEquals(2, doc.path("rows").size());
    JsonNode headOnly = doc.path("rows").get(0);
    JsonNode lora = doc.path("rows").get(1);
    assertTrue(lora.path("trainable_pct").asDouble() > headOnly.path("trainable_pct").asDouble(), doc.toString());
    assertEquals("compact", lora.path("inference_model").asText());
    assertTrue(lora.path("inference_vs_frozen").asDouble() > 0.3, "merged LoRA runs near frozen speed: " + lora);
    // the floor beside the methods: the trivial predictor's dev value per task, the one every cell of the task recorded
    assertTrue(md.contains(GlueBench.TRIVIAL_ROW), md);
    JsonNode cell = JSON.readTree(out.resolve("cells/head-only-mrpc-1.json").toFile()).path("record");
    assertEquals(cell.path("trivial_metrics").path("f1").asDouble(), doc.path("trivial").path("mrpc").asDouble(), 0);
    assertTrue(doc.path("trivial").has("sst2"), doc.toString());
    double mrpc = lora.path("mrpc").asDouble();
    double mrpcMean = (cellMetric(out, "lora-r4-mrpc-1") + cellMetric(out, "lora-r4-mrpc-2")) / 2;
    assertEquals(mrpcMean, mrpc, 1e-12, "the table cell is the mean over seeds");
    JsonNode variantCell = JSON.readTree(out.resolve("cells/lora-r4-mrpc-2.json").toFile()).path("record");
    assertFalse(variantCell.has("inference_tokens_per_s"), "inference is measured on the first seed only");
    assertEquals("lora", variantCell.path("method").asText(), "a variant row runs its method with its overrides");
    assertEquals("4", variantCell.path("overrides").path("adapters.lora_rank").asText());
    assertTrue(md.contains("lora-r4: method=lora, adapters.lora_rank=4") || md.contains("lora-r4: adapters.lora_rank=4, method=lora"), md);

    List<String> log2 = new ArrayList<>();
    String again = GlueBench.run(base, methods, variants, List.of("sst2", "mrpc", "cola"), seeds, out, 1e-9, BenchRobustness.NONE, log2::add);
    assertEquals(6, log2.stream().filter(l -> l.endsWith("cached, skipped")).count(), String.join("\n", log2));
    assertEquals(2, log2.stream().filter(l -> l.contains(": pending")).count(), "cola cells over the budget");
    assertTrue(again.contains("pending tasks") && again.contains("cola"), again);
    JsonNode doc2 = JSON.readTree(out.resolve("glue-bench.json").toFile());
    assertEquals(List.of("sst2", "mrpc"), names(doc2.path("complete_tasks")));
    assertEquals(List.of("cola"), names(doc2.path("pending_tasks")));
    assertEquals(mrpc, doc2.path("rows").get(1).path("mrpc").asDouble(), 0, "cached cells give the same table");
  }

  /**
   * An adapterfusion row trains its first stage (a pfeiffer cell per bench task and seed) and fuses
   * their exports; its cells are keyed by the pfeiffer cells' keys, so they stay cached on a machine
   * without the exports, and a cell recomputed there trains the pfeiffer cells again for their exports
   * while their committed records stay as they are.
   */
  @Test
  void adapterFusionCellsFuseThePfeifferCellsOfEveryBenchTask(@TempDir Path dir) throws IOException {
    ExperimentConfig base = benchConfig(dir, 16, "adapters: {bottleneck: 8}", 2);
    Path out = dir.resolve("out");
    List<String> tasks = List.of("sst2", "mrpc");
    Map<String, List<Long>> seeds = Map.of("sst2", List.of(1L), "mrpc", List.of(1L));
    List<String> log = new ArrayList<>();
    GlueBench.run(base, List.of("adapterfusion"), Map.of(), tasks, seeds, out, 0, BenchRobustness.NONE, log::add);
    for (String t : tasks) {
      assertTrue(Files.isRegularFile(out.resolve("cells/pfeiffer-" + t + "-1.json")), "first stage of " + t);
      JsonNode fused = JSON.readTree(out.resolve("cells/adapterfusion-" + t + "-1.json").toFile()).path("record");
      String sources = fused.path("overrides").path("adapters.fusion_sources").asText();
      assertTrue(sources.contains("pfeiffer-sst2-1") && sources.contains("pfeiffer-mrpc-1"), sources);
      assertTrue(fused.path("active_params").asLong() > fused.path("trainable_params").asLong(),
          "the frozen sources are served, not trained: " + fused);
    }
    byte[] pfeifferRecord = Files.readAllBytes(out.resolve("cells/pfeiffer-mrpc-1.json"));

    // another machine: the committed cells, no exports
    deleteTree(out.resolve("runs"));
    List<String> again = new ArrayList<>();
    GlueBench.run(base, List.of("adapterfusion"), Map.of(), tasks, seeds, out, 0, BenchRobustness.NONE, again::add);
    assertEquals(2, again.stream().filter(l -> l.endsWith("cached, skipped")).count(), String.join("\n", again));
    assertFalse(again.stream().anyMatch(l -> l.endsWith(": training")), String.join("\n", again));

    Files.delete(out.resolve("cells/adapterfusion-mrpc-1.json"));
    List<String> recompute = new ArrayList<>();
    GlueBench.run(base, List.of("adapterfusion"), Map.of(), tasks, seeds, out, 0, BenchRobustness.NONE, recompute::add);
    assertEquals(2, recompute.stream().filter(l -> l.contains("trained again for its export")).count(),
        String.join("\n", recompute));
    assertTrue(recompute.contains("cell adapterfusion-mrpc-1: training"), String.join("\n", recompute));
    assertFalse(recompute.stream().anyMatch(l -> l.contains("warning")), "deterministic: " + String.join("\n", recompute));
    assertTrue(java.util.Arrays.equals(pfeifferRecord, Files.readAllBytes(out.resolve("cells/pfeiffer-mrpc-1.json"))),
        "the committed first-stage record stays as it is");
  }

  /**
   * With robustness on a task, each of its cells' exports is evaluated under the input families at one severity;
   * the results are stored and reused like cells, and a machine without the export trains the cell again for it,
   * leaving the committed record as it is and giving the same drops.
   */
  @Test
  void robustnessOfTheChosenTasksCellsIsStoredAndReusedLikeACell(@TempDir Path dir) throws IOException {
    ExperimentConfig base = benchConfig(dir, 24, "adapters: {sites: [lora], bottleneck: 8}", 3)
        .with(Map.of("robustness.families", "word-dropout,char-swap,embedding-noise"));
    Path out = dir.resolve("out");
    List<String> tasks = List.of("sst2", "mrpc");
    Map<String, List<Long>> seeds = Map.of("sst2", List.of(1L, 2L), "mrpc", List.of(1L));
    BenchRobustness robustness = BenchRobustness.of(base, List.of("sst2"), 0.5);
    List<String> log = new ArrayList<>();
    String md = GlueBench.run(base, List.of("lora"), Map.of(), tasks, seeds, out, 0, robustness, log::add);
    assertTrue(md.contains("Robustness on sst2 dev at severity 50%") && md.contains("word-dropout")
        && md.contains("char-swap") && md.contains("mean drop"), md);
    assertFalse(md.contains("Robustness on mrpc") || md.contains("| embedding-noise"), "only sst2, input families: " + md);
    assertFalse(Files.exists(out.resolve("robustness/lora-mrpc-1.json")));
    double[] drops = new double[2];
    for (int s = 1; s <= 2; s++) {
      JsonNode stored = JSON.readTree(out.resolve("robustness/lora-sst2-" + s + ".json").toFile());
      JsonNode row = null;
      for (JsonNode r : stored.path("table").path("rows")) {
        row = r.path("family").asText().equals("word-dropout") ? r : row;
      }
      assertEquals(0.5, row.path("severity").asDouble(), 0);
      assertEquals(stored.path("clean").asDouble() - row.path("value").asDouble(), stored.path("drops").path("word-dropout")
          .asDouble(), 1e-12, "drop = clean − perturbed: " + stored);
      drops[s - 1] = stored.path("drops").path("word-dropout").asDouble();
    }
    JsonNode doc = JSON.readTree(out.resolve("glue-bench.json").toFile()).path("robustness");
    assertEquals(List.of("word-dropout", "char-swap"), names(doc.path("families")));
    assertEquals((drops[0] + drops[1]) / 2, doc.path("rows").get(0).path("drops").path("word-dropout").path("mean")
        .asDouble(), 1e-12, doc.toString());

    List<String> again = new ArrayList<>();
    GlueBench.run(base, List.of("lora"), Map.of(), tasks, seeds, out, 0, robustness, again::add);
    assertFalse(again.stream().anyMatch(l -> l.contains(": robustness at") || l.endsWith(": training")),
        String.join("\n", again));

    // another machine: the committed cells and one robustness result missing, no exports
    deleteTree(out.resolve("runs"));
    JsonNode before = JSON.readTree(out.resolve("robustness/lora-sst2-2.json").toFile());
    Files.delete(out.resolve("robustness/lora-sst2-2.json"));
    byte[] record = Files.readAllBytes(out.resolve("cells/lora-sst2-2.json"));
    List<String> recompute = new ArrayList<>();
    GlueBench.run(base, List.of("lora"), Map.of(), tasks, seeds, out, 0, robustness, recompute::add);
    assertTrue(recompute.contains("cell lora-sst2-2: trained again for its export (its robustness)"),
        String.join("\n", recompute));
    assertEquals(1, recompute.stream().filter(l -> l.contains(": robustness at")).count(), String.join("\n", recompute));
    assertFalse(recompute.stream().anyMatch(l -> l.contains("warning")), "deterministic: " + String.join("\n", recompute));
    assertTrue(java.util.Arrays.equals(record, Files.readAllBytes(out.resolve("cells/lora-sst2-2.json"))));
    assertEquals(before.path("drops"), JSON.readTree(out.resolve("robustness/lora-sst2-2.json").toFile()).path("drops"));
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** A bench profile on real MiniLM and GLUE slices of 32 training rows, a few steps per cell. */
  private static ExperimentConfig benchConfig(Path dir, int devRows, String adapters, int steps) throws IOException {
    return ExperimentConfig.load(Files.writeString(dir.resolve("bench.yaml"), String.join("\n",
        "name: bench-test",
        "backbone: {name: minilm-l6, max_length: 32}",
        "data:",
        "  dir: \"" + DataRoot.resolve(null).path().toAbsolutePath() + "\"",
        "  train_limit: 32",
        "  dev_limit: " + devRows,
        adapters,
        "train: {steps: " + steps + ", batch_size: 8, eval_every: 0, checkpoint_every: 0}",
        "tracking: {uri: none}",
        "")));
  }

  private static double cellMetric(Path out, String cell) throws IOException {
    JsonNode rec = JSON.readTree(out.resolve("cells").resolve(cell + ".json").toFile()).path("record");
    return rec.path("metrics").path(rec.path("primary_metric").asText()).asDouble();
  }

  private static List<String> names(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
