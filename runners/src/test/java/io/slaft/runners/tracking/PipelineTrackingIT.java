package io.slaft.runners.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.slaft.cli.ExitCode;
import io.slaft.cli.InProcessCli;
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
import java.util.Set;
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
    rungsReportedThroughTheServer(new MlflowRest(uri), experiment);

    // The champion, by name, predicts exactly what its export directory predicts.
    String champion = io.slaft.pipelines.tracking.Champions.choose(ExperimentConfig.load(cfg), out.resolve("summary.json")).get("sst2");
    String input = "a gripping , beautifully made film\nthe plot is a mess and the acting worse\n";
    InProcessCli byName = InProcessCli.run(input, "predict", "--model", "models:/" + registeredModel("e2e") + "@champion",
        "--tracking-uri", uri.toString(), "--task", "sst2");
    InProcessCli byDir = InProcessCli.run(input, "predict", "--model", io.slaft.pipelines.experiment.ExperimentSession.exportDir(out, champion).toString(),
        "--task", "sst2");
    assertEquals(0, byName.code(), byName.err());
    assertEquals(0, byDir.code(), byDir.err());
    assertEquals(byDir.out(), byName.out());
    assertEquals(2, byName.out().strip().split("\n").length, byName.out());
    assertTrue(byName.err().contains("verified"), byName.err());
    // ... and as a batch: every prediction names the registry version the alias points at
    java.util.regex.Matcher version = java.util.regex.Pattern.compile(": version (\\d+) of ").matcher(byName.err());
    assertTrue(version.find(), byName.err());
    Path tsv = out.resolve("predict-input.tsv");
    Files.writeString(tsv, "sentence\n" + input);
    InProcessCli batch = InProcessCli.run("", "predict", "--model", "models:/" + registeredModel("e2e") + "@champion",
        "--tracking-uri", uri.toString(), "--task", "sst2", "--input", tsv.toString(), "--output", out.resolve("predicted").toString());
    assertEquals(0, batch.code(), batch.err());
    io.slaft.pipelines.predict.PredictOutput predicted = io.slaft.pipelines.predict.PredictOutput.read(out.resolve("predicted"));
    assertTrue(predicted.balanced() && predicted.predictions().size() == 2, predicted.summary());
    for (io.slaft.pipelines.predict.PredictedRow r : predicted.predictions()) {
      assertEquals(version.group(1), r.version(), r.toString());
      assertEquals("models:/" + registeredModel("e2e") + "@champion", r.model());
      assertEquals(byDir.out().strip().split("\n")[(int) r.line() - 2].split("\t")[0], r.label(), "line " + r.line());
    }

    seenInABrowser(new MlflowRest(uri), uri, experiment, out, champion);
    registeredByExport(new MlflowRest(uri), uri, out, champion, byDir.out(), input);
    registeredFromTheStepCache(new MlflowRest(uri), uri, experiment, out, champion);
  }

  /**
   * {@code registry.model} turned on for a sweep that already ran (a new model name, the same
   * {@code --out}): every point comes from the step cache and is registered from the child run it
   * trained in; no run is added and the champion alias lands on the same point.
   */
  private static void registeredFromTheStepCache(MlflowRest rest, URI uri, String experiment, Path out, String champion)
      throws Exception {
    String expId = rest.experimentId(experiment);
    Map<String, String> childRuns = new java.util.TreeMap<>();
    for (JsonNode r : rest.runs(expId)) {
      // the sweep's child runs: a parent and a point (the export --register run has a point and no parent)
      if (MlflowRest.tag(r, RunSpec.PARENT_RUN_ID_TAG) != null && MlflowRest.tag(r, "slaft.point") != null) {
        childRuns.put(r.path("info").path("run_id").asText(), MlflowRest.tag(r, RunRef.RUN_KEY_TAG));
      }
    }
    int runsBefore = rest.runs(expId).size();
    String model = registeredModel("e2e") + "-cached";
    Path cfg = writeConfig("e2e", uri.toString(), experiment, model);
    Run again = runSlaft(cfg, out, false);
    assertEquals(ExitCode.OK, again.code, again.stdout);
    assertEquals(runsBefore, rest.runs(expId).size(), "no run added: the cached points continue their child runs");
    JsonNode versions = rest.get("model-versions/search?filter="
        + java.net.URLEncoder.encode("name = '" + model + "'", StandardCharsets.UTF_8)).path("model_versions");
    assertEquals(childRuns.size(), versions.size(), "one version per point x task: " + versions);
    Set<String> fromRuns = new java.util.TreeSet<>();
    versions.forEach(v -> fromRuns.add(v.path("run_id").asText()));
    assertEquals(childRuns.keySet(), fromRuns, "each registered from the run that trained it");
    // The step cache stores results only from a clean checkout (a dirty tree's code is not a version); then the points
    // were trained again above, into the same runs, which the assertions before this one hold for too.
    if (!io.slaft.pipelines.experiment.Provenance.currentCommit().endsWith("-dirty")) {
      for (JsonNode v : versions) {
        assertEquals("hit", MlflowRest.tag(rest.run(v.path("run_id").asText()), "slaft.step_cache"),
            "registered from the step cache, not trained again");
      }
    }
    JsonNode alias = rest.get("registered-models/alias?name=" + model + "&alias=champion").path("model_version");
    assertTrue(childRuns.get(alias.path("run_id").asText()).contains("/" + champion + "/"),
        "the champion alias is on the champion point " + champion + ": " + alias);
  }

  /**
   * {@code slaft export --register}: the champion's export copied and registered by hand is one
   * version (also when registered twice) whose tags agree with the version the run registered
   * (the structure digest read from the manifest equals the one computed from the training result),
   * and it predicts what its directory predicts, loaded by alias.
   */
  private static void registeredByExport(MlflowRest rest, URI uri, Path out, String champion, String expected, String input) {
    Path exportDir = io.slaft.pipelines.experiment.ExperimentSession.exportDir(out, champion);
    String manual = registeredModel("e2e") + "-manual";
    for (int i = 0; i < 2; i++) {
      InProcessCli reg = InProcessCli.run("", "export", "--model", exportDir.toString(), "--out", WORK.resolve("e2e-exported").toString(),
          "--register", manual, "--alias", "prod", "--tracking-uri", uri.toString());
      assertEquals(0, reg.code(), reg.out() + reg.err());
      assertTrue(reg.out().contains("load it as models:/" + manual + "@prod"), reg.out());
    }
    JsonNode versions = rest.get("model-versions/search?filter="
        + java.net.URLEncoder.encode("name = '" + manual + "'", StandardCharsets.UTF_8)).path("model_versions");
    assertEquals(1, versions.size(), "the same export registered twice is one version: " + versions);
    JsonNode inRun = rest.get("registered-models/alias?name=" + registeredModel("e2e") + "&alias=champion").path("model_version");
    Map<String, String> byHand = tags(versions.get(0));
    Map<String, String> byRun = tags(inRun);
    for (String key : List.of("slaft.task", "slaft.method", "slaft.point", "slaft.seed", "slaft.active_params", "slaft.compression",
        "slaft.structure_digest", "dev_accuracy", "validation_accuracy")) {
      assertEquals(byRun.get(key), byHand.get(key), key + " of the registered export vs the run's own version");
    }
    JsonNode run = rest.run(versions.get(0).path("run_id").asText());
    assertTrue(MlflowRest.tag(run, RunRef.RUN_KEY_TAG).startsWith("export/"), run.toString());
    assertEquals("export · SST-2 · sla", run.path("info").path("run_name").asText());
    assertEquals(run.path("info").path("experiment_id").asText(), inRun.path("run_id").isMissingNode() ? "" : rest.run(inRun.path("run_id").asText())
        .path("info").path("experiment_id").asText(), "registered in the run's own experiment");
    InProcessCli byAlias = InProcessCli.run(input, "predict", "--model", "models:/" + manual + "@prod", "--tracking-uri", uri.toString(),
        "--task", "sst2");
    assertEquals(0, byAlias.code(), byAlias.err());
    assertEquals(expected, byAlias.out());
  }

  private static Map<String, String> tags(JsonNode version) {
    Map<String, String> tags = new HashMap<>();
    version.path("tags").forEach(t -> tags.put(t.path("key").asText(), t.path("value").asText()));
    return tags;
  }

  /**
   * The champion's pages in the MLflow UI, rendered by headless Chromium: the run page shows its
   * registered version, its logged model, its note and system metrics; the System metrics tab draws
   * them; the version page shows the source run, the alias and the tags. Screenshots under
   * {@code target/it-tracking/screenshots/}.
   */
  private static void seenInABrowser(MlflowRest rest, URI uri, String experiment, Path out, String champion) throws Exception {
    String model = registeredModel("e2e");
    JsonNode version = rest.get("registered-models/alias?name=" + model + "&alias=champion").path("model_version");
    String runId = version.path("run_id").asText();
    JsonNode run = rest.run(runId);
    String runName = run.path("info").path("run_name").asText();
    String expId = rest.experimentId(experiment);
    Map<String, String> vtags = new HashMap<>();
    version.path("tags").forEach(t -> vtags.put(t.path("key").asText(), t.path("value").asText()));
    HeadlessChromium chromium = HeadlessChromium.find(WORK);
    Path shots = WORK.resolve("screenshots");
    URI runPage = URI.create(uri + "/#/experiments/" + expId + "/runs/" + runId);
    URI systemTab = URI.create(runPage + "/system-metrics");
    URI versionPage = URI.create(uri + "/#/models/" + model + "/versions/" + version.path("version").asText());

    String overview = renderedUntil(chromium, runPage, "Logged models");
    for (String shown : List.of(runName, "Registered models", model + " v" + version.path("version").asText(), "Logged models (1)",
        "Ready", "structure digest: " + vtags.get("slaft.structure_digest"), "./slaft run --config", "System metrics (",
        "system/jvm_heap_used_megabytes", "system/process_memory_rss_megabytes", "Source slaft ")) {
      assertTrue(overview.contains(shown), "the run page shows '" + shown + "': " + overview);
    }
    String system = renderedUntil(chromium, systemTab, "jvm_heap_used");
    long systemMetrics = java.util.stream.StreamSupport.stream(run.path("data").path("metrics").spliterator(), false)
        .filter(m -> m.path("key").asText().startsWith("system/")).count();
    // The tab draws the first charts in name order and the rest as they are scrolled to.
    for (String shown : List.of("System metrics (" + systemMetrics + ")", "cpu_utilization_percentage",
        "(system/jvm_heap_used_megabytes)", runName + " (system/cpu_utilization_percentage)")) {
      assertTrue(system.contains(shown), "the System metrics tab shows '" + shown + "': " + system);
    }
    String versionText = renderedUntil(chromium, versionPage, "Source Run");
    for (String shown : List.of("Version " + version.path("version").asText(), "Source Run", runName, "champion",
        "slaft.structure_digest", vtags.get("slaft.structure_digest"), "dev_accuracy")) {
      assertTrue(versionText.contains(shown), "the version page shows '" + shown + "': " + versionText);
    }
    for (Map.Entry<String, URI> page : Map.of("run-overview", runPage, "run-system-metrics", systemTab,
        "model-version", versionPage).entrySet()) {
      Path png = chromium.screenshot(page.getValue(), 20_000, shots.resolve(page.getKey() + ".png"));
      java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
      assertEquals(1400, image.getWidth(), png.toString());
      assertTrue(distinctColours(image) > 50, "a rendered page, not a blank one: " + png);
    }
  }

  /**
   * The page's text once it contains {@code marker} (the UI loads in stages; up to four renders with longer budgets:
   * on a loaded machine the System metrics tab has drawn no chart after 60 s of virtual time).
   */
  private static String renderedUntil(HeadlessChromium chromium, URI page, String marker) throws Exception {
    String text = "";
    for (int budget : new int[] {15_000, 30_000, 60_000, 120_000}) {
      text = chromium.text(page, budget);
      if (text.contains(marker)) {
        return text;
      }
    }
    return text;
  }

  private static int distinctColours(java.awt.image.BufferedImage image) {
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 7) {
      for (int x = 0; x < image.getWidth(); x += 7) {
        colours.add(image.getRGB(x, y));
      }
    }
    return colours.size();
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
        // evaluations during training are on the held-out validation rows; dev is evaluated once, at the end
        List<Long> evalSteps = rest.history(id, "validation_accuracy").stream().map(m -> m.path("step").asLong()).sorted().toList();
        assertTrue(evalSteps.contains(4L) && evalSteps.contains((long) STEPS), "validation_accuracy at steps 4 and 8: " + evalSteps);
        assertTrue(rest.history(id, "dev_accuracy").isEmpty(), "dev is not looked at during training, " + where);
        assertEquals(1, rest.history(id, "final_validation_accuracy").size(), where);
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

        // A page a person can read: name, source tags, the note; the System metrics tab.
        String runName = child.path("info").path("run_name").asText();
        assertTrue(runName.startsWith("SST-2 · sla λ=") && runName.endsWith(" · seed 7"), runName);
        assertEquals("LOCAL", MlflowRest.tag(child, "mlflow.source.type"), where);
        assertTrue(MlflowRest.tag(child, "mlflow.source.name").startsWith("slaft "), where);
        assertNotNull(MlflowRest.tag(child, "mlflow.user"), where);
        String note = MlflowRest.tag(child, "mlflow.note.content");
        assertTrue(note != null && note.contains("SST-2") && note.contains("structure digest") && note.contains("./slaft run"), note);
        for (String m : List.of("system/jvm_heap_used_megabytes", "system/process_memory_rss_megabytes", "system/disk_usage_percentage")) {
          assertFalse(rest.history(id, m).isEmpty(), m + " sampled, " + where);
        }

        // One registered version per point x task, from this run, pointing at a READY logged model of this run.
        String model = registeredModel(config.get(ConfigKeys.NAME).substring("slaft-it-".length()));
        JsonNode versions = rest.get("model-versions/search?filter="
            + java.net.URLEncoder.encode("name = '" + model + "' and run_id = '" + id + "'", StandardCharsets.UTF_8)).path("model_versions");
        assertEquals(1, versions.size(), "one version per point x task, " + where + ": " + versions);
        JsonNode version = versions.get(0);
        Map<String, String> vtags = new HashMap<>();
        version.path("tags").forEach(t -> vtags.put(t.path("key").asText(), t.path("value").asText()));
        assertEquals(task, vtags.get("slaft.task"), where);
        assertEquals(point.id(), vtags.get("slaft.point"), where);
        assertNotNull(vtags.get("slaft.structure_digest"), where);
        assertNotNull(vtags.get("dev_accuracy"), where);
        assertNotNull(vtags.get("validation_accuracy"), "the champion's criterion is on the version, " + where);
        String source = version.path("source").asText();
        assertTrue(source.startsWith("models:/m-"), "an MLflow 3.x version's source is its logged model, " + where + ": " + source);
        String modelId = source.substring("models:/".length());
        JsonNode logged = rest.get("logged-models/" + modelId).path("model").path("info");
        assertEquals("LOGGED_MODEL_READY", logged.path("status").asText(), where);
        assertEquals(id, logged.path("source_run_id").asText(), where);
      }
    }

    // The champion: the alias points at the version of the best point by the primary metric on the validation split.
    JsonNode records = MlflowRest.JSON.readTree(out.resolve("summary.json").toFile()).path("runs");
    double bestValidation = Double.NEGATIVE_INFINITY;
    String bestPoint = null;
    for (JsonNode r : records) {
      assertEquals("validation", r.path("selected_on").asText(), r.toString());
      double v = r.path("validation_metrics").path("accuracy").asDouble();
      if (v > bestValidation) {
        bestValidation = v;
        bestPoint = r.path("point_id").asText();
      }
    }
    String champion = io.slaft.pipelines.tracking.Champions.choose(config, out.resolve("summary.json")).get("sst2");
    assertEquals(bestPoint, champion, "the champion is the best point on validation (the first of a tie)");
    assertEquals(champion, MlflowRest.tag(p, "slaft.champion.sst2"));
    String model = registeredModel(config.get(ConfigKeys.NAME).substring("slaft-it-".length()));
    JsonNode aliased = rest.get("registered-models/alias?name=" + model + "&alias=champion").path("model_version");
    String championRun = byKey.get(parentKey + "/" + champion + "/sst2").path("info").path("run_id").asText();
    assertEquals(championRun, aliased.path("run_id").asText(), "alias champion on the best point's version");
  }

  /**
   * Early stopping's rung store is the tracking server: each point reported its validation score at rung 4 as the tag
   * {@code slaft.rung.4} of its child run, the value its {@code validation_accuracy} has at step 4 (the config's
   * {@code sweep.early_stop_min_points: 2} with two points decides nothing, so both points run to the end).
   */
  private static void rungsReportedThroughTheServer(MlflowRest rest, String experiment) {
    int tagged = 0;
    for (JsonNode r : rest.runs(rest.experimentId(experiment))) {
      String rung = MlflowRest.tag(r, io.slaft.pipelines.tracking.TrackedRungStore.TAG_PREFIX + "4");
      if (rung == null) {
        continue;
      }
      tagged++;
      String id = r.path("info").path("run_id").asText();
      double atStep4 = rest.history(id, "validation_accuracy").stream().filter(m -> m.path("step").asLong() == 4)
          .findFirst().orElseThrow().path("value").asDouble();
      assertEquals(atStep4, Double.parseDouble(rung), 1e-9, MlflowRest.tag(r, RunRef.RUN_KEY_TAG));
      assertEquals("FINISHED", r.path("info").path("status").asText(), "nobody was cut");
    }
    assertEquals(2, tagged, "both points reported rung 4 on their child runs");
  }

  private static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  /** The tiny experiment of issue 6: SST-2, 64/32 rows, 8 steps of 8, length 32, LoRA only, eval every 4, λ ∈ {0.5, 1.0}. */
  private static Path writeConfig(String name, String trackingUri, String experiment) throws IOException {
    return writeConfig(name, trackingUri, experiment, registeredModel(name));
  }

  private static Path writeConfig(String name, String trackingUri, String experiment, String model) throws IOException {
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
        "  validation: 0.25", // 16 of the 64 rows held out: evaluations, best step and champion on them
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
        "  system_metrics_interval_s: 1",
        "registry:",
        "  model: " + model,
        "sweep:",
        "  early_stop: median", // rungs at every evaluation, reported to the MLflow server
        "  early_stop_min_points: 2", // two points: no rung ever has two others, so nobody is cut
        "  grid:",
        "    sparsity.lambda: [0.5, 1.0]",
        "");
    return write(WORK.resolve(name + ".yaml"), yaml);
  }

  private static String registeredModel(String name) {
    return "slaft-it-" + name;
  }

  static int threads() {
    String env = System.getenv("SLAFT_THREADS");
    return env == null || env.isBlank() ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(env.trim());
  }

  private record Run(int code, String stdout) {}

  /** {@code slaft run --config CFG --out OUT --no-cache} in this JVM, stdout captured (and still printed). */
  private static Run runSlaft(Path cfg, Path out) throws IOException {
    return runSlaft(cfg, out, true);
  }

  /**
   * {@code slaft run --config CFG --out OUT} in this JVM, stdout captured (and still printed): {@code fresh} empties
   * {@code OUT} first and adds {@code --no-cache}; else the run reuses what {@code OUT}'s step cache holds.
   */
  private static Run runSlaft(Path cfg, Path out, boolean fresh) throws IOException {
    if (fresh) {
      deleteTree(out);
    }
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
      List<String> args = new java.util.ArrayList<>(List.of("--config", cfg.toString(), "--out", out.toString(),
          "--threads", Integer.toString(threads())));
      if (fresh) {
        args.add("--no-cache");
      }
      int code = new CommandLine(new RunCommand()).execute(args.toArray(String[]::new));
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
