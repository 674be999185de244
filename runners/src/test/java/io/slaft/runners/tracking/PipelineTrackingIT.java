package io.slaft.runners.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.slaft.cli.ExitCode;
import io.slaft.cli.MlflowCommand;
import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.config.SweepPoints;
import io.slaft.runners.cli.RunCommand;
import io.slaft.tracking.RunRef;
import io.slaft.tracking.RunSpec;
import io.slaft.tracking.server.LocalMlflowServer;
import io.slaft.tracking.server.MlflowRest;
import io.slaft.tracking.spool.SpoolReplayer;
import io.slaft.transforms.data.DataRoot;
import io.slaft.transforms.sweep.SweepPoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code slaft run} (through {@link RunCommand}, on the DirectRunner) of a tiny 2-point sweep tracked to a real
 * MLflow server started by {@link LocalMlflowServer}, then everything read back through MLflow's REST API: the
 * parent run, one child run per point × task nested under it, every resolved-config param, the full history of
 * {@code loss} and {@code dev_accuracy}, provenance tags, dataset inputs and artifacts. The fault test runs the
 * same pipeline while the server is down, restarts it and replays the spool with {@code slaft mlflow sync}:
 * everything arrives exactly once. The mid-run test kills the server (SIGKILL) once the first steps of a child run
 * have arrived and restarts it while training goes on: the tracker flushes its spool by itself when the server
 * answers again, {@code slaft mlflow sync} replays whatever is left, and again everything is there exactly once.
 *
 * <p>Step metrics are logged at the trainer's progress cadence ({@code train.log_every}, and step 1); the config
 * sets it to 1 so that every step is in the history.
 */
@Tag("integration")
class PipelineTrackingIT {
  private static final Path WORK = Path.of("target", "it-tracking").toAbsolutePath();
  private static final int STEPS = 8;
  /** How long the mid-run outage lasts before the restart begins: longer than the tracker's retries (≈ 6 s). */
  private static final long OUTAGE_MS = 12_000;
  private final List<LocalMlflowServer> started = new ArrayList<>();

  @AfterEach
  void stopServers() {
    for (LocalMlflowServer s : started) {
      s.stop();
    }
  }

  @Test
  void pipelineRunIsReadBackCompletelyThroughTheRestApi() throws Exception {
    LocalMlflowServer server = freshServer("e2e");
    URI uri = server.start();
    String experiment = "slaft-it-e2e";
    Path cfg = writeConfig("e2e", uri.toString(), experiment);
    Path out = WORK.resolve("e2e-out");

    Run run = runSlaft(cfg, out);
    assertEquals(ExitCode.OK, run.code, run.stdout);
    assertTrue(run.stdout.contains("tracking: MLflow " + uri), run.stdout);

    verify(new MlflowRest(uri), experiment, cfg, out);
  }

  @Test
  void serverDownDuringTheRunThenSyncDeliversEverythingExactlyOnce() throws Exception {
    LocalMlflowServer server = freshServer("fault");
    URI uri = server.start();
    int port = uri.getPort();
    server.kill();
    assertFalse(server.running());
    String experiment = "slaft-it-fault";
    Path cfg = writeConfig("fault", uri.toString(), experiment);
    Path out = WORK.resolve("fault-out");
    Path spool = out.resolve("tracking-spool");

    Run run = runSlaft(cfg, out);
    assertEquals(ExitCode.OK, run.code, "a run never fails because tracking is down\n" + run.stdout);
    assertTrue(run.stdout.contains("was unreachable"), run.stdout);
    assertTrue(run.stdout.contains("spooled in " + spool), run.stdout);
    assertTrue(run.stdout.contains("slaft mlflow sync --spool " + spool), run.stdout);
    long pending = SpoolReplayer.pending(spool);
    assertTrue(pending > 0, "records wait in the spool");

    assertEquals(port, server.start(new LocalMlflowServer.StartOptions(port, false)).getPort());
    Cli first = mlflowCli("sync", "--spool", spool.toString(), "--tracking-uri", uri.toString());
    assertEquals(ExitCode.OK, first.code, first.out + first.err);
    assertTrue(first.out.contains("replayed " + pending + ","), first.out);
    assertTrue(first.out.contains("remaining 0"), first.out);
    assertEquals(0, SpoolReplayer.pending(spool));
    Cli second = mlflowCli("sync", "--spool", spool.toString(), "--tracking-uri", uri.toString());
    assertEquals(ExitCode.OK, second.code, second.out + second.err);
    assertTrue(second.out.contains("nothing pending"), second.out);

    verify(new MlflowRest(uri), experiment, cfg, out);
  }

  @Test
  void serverKilledInTheMiddleOfTheRunAndRestartedLosesAndDuplicatesNothing() throws Exception {
    LocalMlflowServer server = freshServer("midrun");
    URI uri = server.start();
    int port = uri.getPort();
    String experiment = "slaft-it-midrun";
    Path cfg = writeConfig("midrun", uri.toString(), experiment);
    Path out = WORK.resolve("midrun-out");
    Path spool = out.resolve("tracking-spool");
    MlflowRest rest = new MlflowRest(uri);

    // Kills the server as soon as the first training steps of a child run have arrived, keeps it down longer
    // than the tracker retries (records go to the spool), then restarts it on the same port while the pipeline
    // keeps training (the tracker delivers its spool by itself once the server answers).
    AtomicBoolean runDone = new AtomicBoolean();
    AtomicBoolean killedMidRun = new AtomicBoolean();
    AtomicReference<Throwable> killerFailure = new AtomicReference<>();
    Thread killer = new Thread(() -> {
      try {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (!runDone.get() && System.nanoTime() < deadline) {
          if (childHasSteps(rest, experiment, 2)) {
            server.kill();
            killedMidRun.set(!runDone.get());
            Thread.sleep(OUTAGE_MS);
            server.start(new LocalMlflowServer.StartOptions(port, false));
            return;
          }
          Thread.sleep(100);
        }
      } catch (Throwable t) {
        killerFailure.set(t);
      }
    }, "mlflow-killer");
    killer.start();
    Run run = runSlaft(cfg, out);
    runDone.set(true);
    killer.join(TimeUnit.MINUTES.toMillis(5));
    assertEquals(null, killerFailure.get());
    assertEquals(ExitCode.OK, run.code, run.stdout);
    assertTrue(killedMidRun.get(), "the server was killed while the pipeline ran");
    assertTrue(server.running(), "restarted");

    try (Stream<Path> files = Files.list(spool)) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().matches("records-.*\\.jsonl")),
          "records logged during the outage went through the spool");
    }
    long pending = SpoolReplayer.pending(spool);
    System.err.println("midrun: " + pending + " record(s) left in the spool after the run (the rest flushed automatically)");
    if (pending > 0) {
      assertTrue(run.stdout.contains("slaft mlflow sync --spool " + spool), run.stdout);
      Cli sync = mlflowCli("sync", "--spool", spool.toString(), "--tracking-uri", uri.toString());
      assertEquals(ExitCode.OK, sync.code, sync.out + sync.err);
    }
    assertEquals(0, SpoolReplayer.pending(spool));
    verify(rest, experiment, cfg, out);
  }

  /** Whether some child run of {@code experiment} already has {@code n} loss points on the server. */
  private static boolean childHasSteps(MlflowRest rest, String experiment, int n) {
    try {
      String exp = rest.experimentId(experiment);
      for (JsonNode r : rest.runs(exp)) {
        if (MlflowRest.tag(r, RunSpec.PARENT_RUN_ID_TAG) != null && rest.history(r.path("info").path("run_id").asText(), "loss").size() >= n) {
          return true;
        }
      }
    } catch (IllegalStateException e) {
      // experiment not created yet
    }
    return false;
  }

  /** Everything the pipeline logged, read back: exactly one parent, one child per point × task, complete. */
  private static void verify(MlflowRest rest, String experiment, Path cfg, Path out) throws IOException {
    ExperimentConfig config = ExperimentConfig.load(cfg);
    List<SweepPoint> points = SweepPoints.of(config);
    assertEquals(2, points.size());
    List<String> tasks = config.get(ConfigKeys.TASKS);
    String exp = rest.experimentId(experiment);
    List<JsonNode> runs = rest.runs(exp);
    assertEquals(1 + points.size() * tasks.size(), runs.size(), "one parent + one child per point x task, no duplicates");

    Map<String, JsonNode> byKey = new HashMap<>();
    JsonNode parent = null;
    for (JsonNode r : runs) {
      String key = MlflowRest.tag(r, RunRef.RUN_KEY_TAG);
      assertNotNull(key, "every run carries its run key");
      assertFalse(byKey.containsKey(key), "duplicate run for key " + key);
      byKey.put(key, r);
      if (MlflowRest.tag(r, RunSpec.PARENT_RUN_ID_TAG) == null) {
        assertEquals(null, parent, "exactly one top-level run");
        parent = r;
      }
    }
    assertNotNull(parent);
    String parentId = parent.path("info").path("run_id").asText();
    String parentKey = MlflowRest.tag(parent, RunRef.RUN_KEY_TAG);
    JsonNode p = rest.run(parentId);
    assertEquals("FINISHED", p.path("info").path("status").asText());
    assertEquals(config.hash(), MlflowRest.tag(p, "slaft.config_hash"));
    assertEquals(config.resolved(), MlflowRest.params(p), "the parent carries the resolved config");
    List<String> parentArtifacts = rest.artifacts(parentId, "");
    for (String a : List.of("summary.json", "results.md", "report.md")) {
      assertTrue(parentArtifacts.contains(a), a + " in " + parentArtifacts);
      assertArrayEquals(Files.readAllBytes(out.resolve(a)), rest.download(exp, parentId, a), a);
    }

    for (SweepPoint point : points) {
      Map<String, String> resolved = config.with(point.overrides()).resolved();
      for (String task : tasks) {
        String key = parentKey + "/" + point.id() + "/" + task;
        JsonNode found = byKey.get(key);
        assertNotNull(found, "child run " + key + " among " + byKey.keySet());
        String id = found.path("info").path("run_id").asText();
        JsonNode child = rest.run(id);
        String where = point.label() + " " + task;
        assertEquals(parentId, MlflowRest.tag(child, RunSpec.PARENT_RUN_ID_TAG), where);
        assertEquals("FINISHED", child.path("info").path("status").asText(), where);
        assertEquals(resolved, MlflowRest.params(child), "every param of the resolved config, " + where);
        assertEquals(config.with(point.overrides()).hash(), MlflowRest.tag(child, "slaft.config_hash"), where);
        assertNotNull(MlflowRest.tag(child, "slaft.git_commit"), where);
        String digest = MlflowRest.tag(child, "slaft.data_digest." + task);
        assertNotNull(digest, "data digest tag, " + where);

        List<JsonNode> loss = rest.history(id, "loss");
        List<Long> steps = java.util.stream.LongStream.rangeClosed(1, STEPS).boxed().toList();
        assertEquals(steps, loss.stream().map(m -> m.path("step").asLong()).sorted().toList(),
            "every step's loss exactly once (train.log_every=1), " + where);
        List<Long> evalSteps = rest.history(id, "dev_accuracy").stream().map(m -> m.path("step").asLong()).sorted().toList();
        assertTrue(evalSteps.contains(4L) && evalSteps.contains((long) STEPS), "dev_accuracy at steps 4 and 8: " + evalSteps);
        assertEquals(evalSteps.size(), evalSteps.stream().distinct().count(), "each evaluation once: " + evalSteps);
        for (String m : List.of("lambda", "lr", "gate_mass", "active_modules", "sparsity", "tokens_per_s")) {
          assertEquals(STEPS, rest.history(id, m).size(), m + ", " + where);
        }
        assertEquals(1, rest.history(id, "final_accuracy").size(), where);

        JsonNode inputs = child.path("inputs").path("dataset_inputs");
        assertEquals(1, inputs.size(), inputs.toString());
        assertEquals(task, inputs.get(0).path("dataset").path("name").asText());
        assertTrue(digest.startsWith(inputs.get(0).path("dataset").path("digest").asText()), where);

        List<String> artifacts = rest.artifacts(id, "").stream().sorted().toList();
        assertEquals(List.of("config.resolved.yaml", "model/export.json", "model/structure.json", "model/weights.bin",
            "plots/gates.png", "plots/training.png", "predictions.tsv", "structure.json"), artifacts, where);
        JsonNode export = MlflowRest.JSON.readTree(rest.download(exp, id, "model/export.json"));
        assertEquals("slaft-export", export.path("format").asText(), "exported adapter, " + where);
        for (String png : List.of("plots/gates.png", "plots/training.png")) {
          byte[] b = rest.download(exp, id, png);
          assertTrue(b.length > 8 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G', png + " is a PNG");
        }
        String yaml = new String(rest.download(exp, id, "config.resolved.yaml"), StandardCharsets.UTF_8);
        assertEquals(resolved, ExperimentConfig.load(write(out.resolve("downloaded-" + point.id() + ".yaml"), yaml)).resolved(),
            "resolved config artifact, " + where);
        String preds = new String(rest.download(exp, id, "predictions.tsv"), StandardCharsets.UTF_8);
        assertEquals(config.get(ConfigKeys.DATA_DEV_LIMIT) + 1, preds.strip().split("\n").length, "one prediction per dev row, " + where);
        JsonNode structure = MlflowRest.JSON.readTree(rest.download(exp, id, "structure.json"));
        assertTrue(structure.size() > 0, "structure.json " + where);
      }
    }
  }

  private static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  /** The tiny experiment of issue 6: SST-2, 64/32 rows, 8 steps of 8, length 32, LoRA only, eval every 4, λ ∈ {0.5, 1.0}. */
  private static Path writeConfig(String name, String trackingUri, String experiment) throws IOException {
    String yaml = String.join("\n",
        "name: slaft-it-" + name,
        "seed: 7",
        "method: sla",
        "tasks: [sst2]",
        "backbone:",
        "  name: minilm-l6",
        "  max_length: 32",
        "data:",
        "  dir: \"" + DataRoot.resolve(null).path().toAbsolutePath() + "\"",
        "  train_limit: 64",
        "  dev_limit: 32",
        "adapters:",
        "  sites: [lora]",
        "train:",
        "  steps: " + STEPS,
        "  batch_size: 8",
        "  eval_every: 4",
        "  checkpoint_every: 0",
        "  log_every: 1",
        "  threads: " + threads(),
        "tracking:",
        "  uri: \"" + trackingUri + "\"",
        "  experiment: " + experiment,
        "sweep:",
        "  grid:",
        "    sparsity.lambda: [0.5, 1.0]",
        "");
    return write(WORK.resolve(name + ".yaml"), yaml);
  }

  static int threads() {
    String env = System.getenv("SLAFT_THREADS");
    return env == null || env.isBlank() ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(env.trim());
  }

  private record Run(int code, String stdout) {}

  /** {@code slaft run --config CFG --out OUT --no-cache} in this JVM, stdout captured (and still printed). */
  private static Run runSlaft(Path cfg, Path out) throws IOException {
    deleteTree(out);
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream tee = new PrintStream(new OutputStream() {
      @Override
      public void write(int b) {
        captured.write(b);
        original.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        captured.write(b, off, len);
        original.write(b, off, len);
      }
    }, true, StandardCharsets.UTF_8);
    System.setOut(tee);
    try {
      int code = new CommandLine(new RunCommand()).execute("--config", cfg.toString(), "--out", out.toString(), "--no-cache",
          "--threads", Integer.toString(threads()));
      tee.flush();
      return new Run(code, captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(original);
    }
  }

  private record Cli(int code, String out, String err) {}

  private static Cli mlflowCli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new MlflowCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    System.err.println("slaft mlflow " + String.join(" ", args) + " -> " + code + "\n" + out + err);
    return new Cli(code, out.toString(), err.toString());
  }

  private LocalMlflowServer freshServer(String name) throws IOException {
    Path state = WORK.resolve("mlflow-" + name);
    LocalMlflowServer server = LocalMlflowServer.inRepository(Path.of(""), state);
    if (server.running()) {
      server.stop();
    }
    deleteTree(state);
    started.add(server);
    return server;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
