package io.slaft.runners.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.slaft.cli.ExitCode;
import io.slaft.cli.RobustnessCommand;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.RunSummary;
import io.slaft.pipelines.experiment.SummarySchema;
import io.slaft.pipelines.robustness.RobustnessTable;
import io.slaft.tracking.RunSpec;
import io.slaft.tracking.server.LocalMlflowServer;
import io.slaft.tracking.server.MlflowRest;
import io.slaft.transforms.data.DataRoot;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code slaft robustness} (train, then evaluate under text and representation perturbations)
 * tracked to a real MLflow server, read back through the REST API: one parent run tagged
 * {@code slaft.stage=robustness} with the resolved config, one child per task nested under it,
 * every cell of {@code robustness.json} (metric and flip rate per family × severity, AUC per
 * family) as a metric with exactly the local value, the clean metrics and compression, provenance
 * tags, and the PNG curve, JSON and Markdown as artifacts byte-identical to the local files.
 */
@Tag("integration")
class RobustnessTrackingIT {
  private static final Path WORK = Path.of("target", "it-robustness").toAbsolutePath();
  private static final List<String> FAMILIES = List.of("word-dropout", "char-swap", "token-mask", "embedding-noise");
  private final List<LocalMlflowServer> started = new ArrayList<>();

  @AfterEach
  void stopServers() {
    started.forEach(LocalMlflowServer::stop);
  }

  @Test
  void everyRobustnessCellIsReadBackFromMlflow() throws Exception {
    Path state = WORK.resolve("mlflow");
    LocalMlflowServer server = LocalMlflowServer.inRepository(Path.of(""), state);
    if (server.running()) {
      server.stop();
    }
    PipelineTrackingIT.deleteTree(state);
    started.add(server);
    URI uri = server.start();
    String experiment = "slaft-it-robustness";
    Path cfg = writeConfig(uri.toString(), experiment);
    Path out = WORK.resolve("out");
    PipelineTrackingIT.deleteTree(out);

    int code = new CommandLine(new RobustnessCommand()).execute("--config", cfg.toString(), "--out", out.toString(),
        "--threads", Integer.toString(PipelineTrackingIT.threads()));
    assertEquals(ExitCode.OK, code);

    ExperimentConfig config = ExperimentConfig.load(cfg);
    SummarySchema.assertValid(out.resolve(RunSummary.SUMMARY_FILE));
    JsonNode local = MlflowRest.JSON.readTree(out.resolve("robustness.json").toFile());
    assertEquals(FAMILIES.size() * 3, local.path("rows").size(), "one row per family x severity: " + local);

    MlflowRest rest = new MlflowRest(uri);
    String exp = rest.experimentId(experiment);
    List<JsonNode> runs = rest.runs(exp);
    assertEquals(2, runs.size(), "one parent + one child for the one task");
    JsonNode parent = runs.stream().filter(r -> MlflowRest.tag(r, RunSpec.PARENT_RUN_ID_TAG) == null).findFirst().orElseThrow();
    JsonNode child = runs.stream().filter(r -> MlflowRest.tag(r, RunSpec.PARENT_RUN_ID_TAG) != null).findFirst().orElseThrow();
    String parentId = parent.path("info").path("run_id").asText();
    String childId = child.path("info").path("run_id").asText();
    parent = rest.run(parentId);
    child = rest.run(childId);
    assertEquals(parentId, MlflowRest.tag(child, RunSpec.PARENT_RUN_ID_TAG));
    for (JsonNode r : List.of(parent, child)) {
      assertEquals("FINISHED", r.path("info").path("status").asText());
      assertEquals("robustness", MlflowRest.tag(r, "slaft.stage"));
      assertEquals(config.resolved(), MlflowRest.params(r), "resolved config as params");
      assertEquals(config.hash(), MlflowRest.tag(r, "slaft.config_hash"));
      assertNotNull(MlflowRest.tag(r, "slaft.git_commit"));
    }
    String task = local.path("rows").get(0).path("task").asText();
    assertEquals(task, MlflowRest.tag(child, "slaft.task"));

    Map<String, Double> metrics = new TreeMap<>();
    for (JsonNode m : child.path("data").path("metrics")) {
      metrics.put(m.path("key").asText(), m.path("value").asDouble());
    }
    for (JsonNode row : local.path("rows")) {
      String sev = RobustnessTable.label(row.path("severity").asDouble()).replace("%", "");
      String family = row.path("family").asText();
      assertTrue(FAMILIES.contains(family), family);
      assertEquals(row.path("value").asDouble(), metrics.get("robust_" + family + "_" + sev), 1e-12, family + " " + sev);
      assertEquals(row.path("flip_rate").asDouble(), metrics.get("flip_" + family + "_" + sev), 1e-12, family + " " + sev);
    }
    for (JsonNode curve : local.path("curves")) {
      assertEquals(curve.path("auc").asDouble(), metrics.get("auc_" + curve.path("family").asText()), 1e-12);
    }
    assertTrue(metrics.containsKey("final_accuracy") && metrics.containsKey("compression"), metrics.keySet().toString());
    assertEquals(metrics.get("final_accuracy"), metrics.get("robust_word-dropout_0"), 1e-12,
        "severity 0 is the clean evaluation");

    List<String> artifacts = rest.artifacts(childId, "").stream().sorted().toList();
    String png = "plots/robustness-" + task + ".png";
    assertEquals(List.of(png, "robustness.json", "robustness.md"), artifacts);
    for (String a : List.of("robustness.json", "robustness.md")) {
      assertArrayEquals(Files.readAllBytes(out.resolve(a)), rest.download(exp, childId, a), a);
    }
    byte[] plot = rest.download(exp, childId, png);
    assertArrayEquals(Files.readAllBytes(out.resolve("robustness-" + task + ".png")), plot, png);
    assertFalse(plot.length < 8 || plot[1] != 'P', "a PNG");
  }

  /** SST-2, 64 training rows, 8 steps, the first 48 dev rows under four families at 0/10/20 %. */
  private static Path writeConfig(String trackingUri, String experiment) throws IOException {
    String yaml = String.join("\n",
        "name: slaft-it-robustness",
        "seed: 5",
        "method: sla",
        "tasks: [sst2]",
        "backbone: {name: minilm-l6, max_length: 32}",
        "data:",
        "  dir: \"" + DataRoot.resolve(null).path().toAbsolutePath() + "\"",
        "  train_limit: 64",
        "  dev_limit: 48",
        "adapters: {sites: [lora, ffn], bottleneck: 8}",
        "train: {steps: 8, batch_size: 8, eval_every: 0, checkpoint_every: 0, threads: " + PipelineTrackingIT.threads() + "}",
        "robustness:",
        "  families: [" + String.join(", ", FAMILIES) + "]",
        "  severities: [0, 0.10, 0.20]",
        "tracking:",
        "  uri: \"" + trackingUri + "\"",
        "  experiment: " + experiment,
        "");
    Files.createDirectories(WORK);
    return Files.writeString(WORK.resolve("robustness.yaml"), yaml);
  }
}
