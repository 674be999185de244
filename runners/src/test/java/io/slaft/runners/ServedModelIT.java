package io.slaft.runners;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.slaft.cli.InProcessCli;
import io.slaft.cli.Slaft;
import io.slaft.model.export.CompactModel;
import io.slaft.model.tokenize.Encoded;
import io.slaft.model.train.NoiseSite;
import io.slaft.model.train.TrainListener;
import io.slaft.model.train.TrainTask;
import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.ExperimentSession;
import io.slaft.pipelines.experiment.RunSummary;
import io.slaft.pipelines.experiment.SummarySchema;
import io.slaft.pipelines.experiment.TrainedPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code slaft train} serves is what {@code slaft export} writes, on the real MiniLM and a
 * small SST-2 slice, for a run with discrete re-training (the case that once exported the model
 * before re-training): same weights, same predictions (also through {@code slaft predict}, which lives in
 * runners for its {@code --runner}), and the summary's dev metric is the
 * export's. Also: the summary satisfies the committed JSON Schema, and the task is found by any
 * spelling the config accepts.
 */
@Tag("integration")
class ServedModelIT {
  @TempDir static Path dir;
  static Path run;
  static Path config;

  @BeforeAll
  static void train() throws Exception {
    config = dir.resolve("served.yaml");
    Files.writeString(config, String.join("\n",
        "name: served-model-it",
        "seed: 3",
        "tasks: [sst2]",
        "backbone: {max_length: 40}",
        "data: {train_limit: 96, dev_limit: 48}",
        "adapters: {sites: [attn, ffn, lora], bottleneck: 8, lora_rank: 4}",
        "sparsity: {gate: hard-concrete, lambda: 1.0, warmup_steps: 2, ramp_steps: 2}",
        "optimizer: {lr: 3e-3, structure_lr: 0.2}",
        "train: {steps: 8, batch_size: 8, eval_every: 4, checkpoint_every: 4, retrain_steps: 6, log_every: 4}",
        "tracking: {uri: none}", ""));
    run = dir.resolve("run");
    assertEquals(0, Slaft.run(new String[] {"train", "--config", config.toString(), "--out", run.toString()}));
  }

  @Test
  void exportWritesTheModelTheRunServesAndReports() throws Exception {
    Path exported = dir.resolve("exported");
    assertEquals(0, Slaft.run(new String[] {"export", "--model", run.toString(), "--out", exported.toString()}));
    Path served = ExperimentSession.exportDir(run, "main");
    assertArrayEquals(Files.readAllBytes(served.resolve("weights.bin")), Files.readAllBytes(exported.resolve("weights.bin")),
        "export == the model train served (re-training included)");
    assertEquals(Files.readString(served.resolve("structure.json")), Files.readString(exported.resolve("structure.json")));

    JsonNode summary = RunSummary.json().readTree(run.resolve(RunSummary.SUMMARY_FILE).toFile());
    JsonNode record = summary.get("runs").get(0);
    assertEquals(8 + 6, record.get("steps").asInt(), "search steps + re-training steps");
    ExperimentSession session = ExperimentSession.open(ExperimentConfig.load(config));
    TrainTask task = session.data().tasks().get(0);
    List<Encoded> enc = new ArrayList<>();
    task.dev().forEach(e -> enc.add(e.tokens()));
    float[][] a;
    float[][] b;
    try (CompactModel m = CompactModel.load(served, "sst2", session.backbone());
        CompactModel n = CompactModel.load(exported, "SST-2", session.backbone())) {
      a = m.outputs(enc);
      b = n.outputs(enc);
    }
    int correct = 0;
    for (int i = 0; i < a.length; i++) {
      assertArrayEquals(a[i], b[i], "row " + i);
      correct += argmax(b[i]) == task.dev().get(i).label() ? 1 : 0;
    }
    assertEquals(record.get("metrics").get("accuracy").asDouble(), correct / (double) a.length, 1e-9,
        "the summary's dev accuracy is the exported model's");
  }

  @Test
  void aRerunResumesToTheSameServedModel() throws Exception {
    Path again = dir.resolve("again");
    ExperimentConfig c = ExperimentConfig.load(config);
    // the first 8 search steps again, this time resumed from the run's final checkpoint, then the same re-training
    copy(ExperimentSession.checkpointDir(run, "main"), ExperimentSession.checkpointDir(again, "main"));
    try (TrainedPoint p = ExperimentSession.open(c).train(again, "main", TrainListener.NONE, NoiseSite.NONE)) {
      Path out = p.export(dir.resolve("again-export"));
      assertArrayEquals(Files.readAllBytes(ExperimentSession.exportDir(run, "main").resolve("weights.bin")),
          Files.readAllBytes(out.resolve("weights.bin")));
      assertEquals(c.get(ConfigKeys.TRAIN_STEPS) + c.get(ConfigKeys.TRAIN_RETRAIN_STEPS), p.result().stepsRun());
      List<Map<String, Object>> records = p.records(Map.of());
      assertTrue(records.get(0).containsKey("search_metrics"));
    }
  }

  @Test
  void theTrainSummarySatisfiesTheSchema() throws Exception {
    SummarySchema.assertValid(run.resolve(RunSummary.SUMMARY_FILE));
    JsonNode data = RunSummary.json().readTree(run.resolve(RunSummary.SUMMARY_FILE).toFile()).get("data");
    long rows = 0;
    for (JsonNode r : data.get("reports")) {
      rows += r.get("rowsRead").asLong();
      assertEquals(r.get("rowsRead").asLong(), r.get("examples").asLong() + r.get("deadLetters").asLong());
    }
    assertEquals(96 + 48, rows);
  }

  /** Every --model takes a run directory as well as an export directory, and serves the same model. */
  @Test
  void predictTakesTheRunDirectoryOrItsExport() throws Exception {
    String input = "a gripping , moving drama\nthe plot is a mess\n";
    InProcessCli byRun = InProcessCli.run(input, "predict", "--model", run.toString(), "--task", "SST-2");
    InProcessCli byExport = InProcessCli.run(input, "predict", "--model", ExperimentSession.exportDir(run, "main").toString(), "--task", "sst2");
    assertEquals(0, byRun.code(), byRun.err());
    assertEquals(0, byExport.code(), byExport.err());
    assertEquals(2, byRun.out().lines().count(), byRun.out());
    assertEquals(byExport.out(), byRun.out());
  }

  /** Corrupt weights are refused naming the file (exit 3); a full disk stops naming the path and ENOSPC (exit 4). */
  @Test
  void corruptWeightsAndAFullDiskAreClearErrors() throws Exception {
    Path copy = dir.resolve("corrupt-export");
    assertEquals(0, Slaft.run("export", "--model", ExperimentSession.exportDir(run, "main").toString(), "--out", copy.toString()));
    Path weights = copy.resolve("weights.bin");
    byte[] w = Files.readAllBytes(weights);
    w[w.length / 3] ^= 0x10;
    Files.write(weights, w);
    InProcessCli corrupt = InProcessCli.run("good\n", "predict", "--model", copy.toString(), "--task", "SST-2");
    assertEquals(3, corrupt.code(), corrupt.err());
    assertTrue(corrupt.err().contains(weights + " is corrupt") && corrupt.err().contains("checksum mismatch"), corrupt.err());
    assertEquals("", corrupt.out());

    Path mnt = Files.createDirectories(dir.resolve("full"));
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt.toString()).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(mount.waitFor() == 0, "cannot mount a tmpfs (needs root; CI runs as root)");
    try {
      Files.write(mnt.resolve("filler"), new byte[60 * 1024]);
      InProcessCli full = InProcessCli.run("", "train", "--config", config.toString(), "--out", mnt.resolve("run").toString());
      assertEquals(4, full.code(), full.err());
      assertTrue(full.err().matches("(?s).*slaft: cannot write " + java.util.regex.Pattern.quote(mnt.toString())
          + "/run/\\S+: No space left on device \\(ENOSPC\\).*"), full.err());
      assertTrue(!full.err().contains("Exception"), full.err());
    } finally {
      new ProcessBuilder("umount", mnt.toString()).start().waitFor();
    }
  }

  private static int argmax(float[] v) {
    int arg = 0;
    for (int k = 1; k < v.length; k++) {
      arg = v[k] > v[arg] ? k : arg;
    }
    return arg;
  }

  private static void copy(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (var s = Files.list(from)) {
      for (Path f : s.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }
}
