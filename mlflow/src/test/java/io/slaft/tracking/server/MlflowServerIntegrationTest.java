package io.slaft.tracking.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.slaft.tracking.DatasetInput;
import io.slaft.tracking.RetryPolicy;
import io.slaft.tracking.RunKeys;
import io.slaft.tracking.RunRef;
import io.slaft.tracking.RunSpec;
import io.slaft.tracking.RunStatus;
import io.slaft.tracking.Tracker;
import io.slaft.tracking.TrackingAuthException;
import io.slaft.tracking.TrackingConfig;
import io.slaft.tracking.TrackingCredentials;
import io.slaft.tracking.TrackingStatus;
import io.slaft.tracking.Trackers;
import io.slaft.tracking.spool.ReplayReport;
import io.slaft.tracking.spool.SpoolReplayer;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Against a real MLflow server started by mlflow/bin/mlflow-server on a free loopback port. */
@Tag("integration")
class MlflowServerIntegrationTest {

  private static final Path WORK = ItServers.WORK;
  private final ItServers servers = new ItServers();

  @AfterEach
  void stopServers() {
    servers.close();
  }

  private LocalMlflowServer freshServer(String name) throws IOException {
    return servers.fresh(name);
  }

  private static TrackingConfig config(URI uri, String name, TrackingCredentials creds) {
    return TrackingConfig.builder("slaft-it-" + name, WORK.resolve(name + "-spool"))
        .trackingUri(uri)
        .credentials(creds)
        .retry(new RetryPolicy(3, Duration.ofMillis(50), Duration.ofMillis(200), 2.0, 0.5))
        .probeInterval(Duration.ofMillis(500))
        .linger(Duration.ofMillis(50))
        .build();
  }

  private static Map<String, String> params(String prefix, int n) {
    Map<String, String> p = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      p.put(prefix + ".p" + i, "value-" + i);
    }
    return p;
  }

  private static Path png(Path dir) throws IOException {
    BufferedImage img = new BufferedImage(6, 5, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < 6; x++) {
      for (int y = 0; y < 5; y++) {
        img.setRGB(x, y, new Color(40 * x, 50 * y, 128).getRGB());
      }
    }
    Path file = dir.resolve("gate-heatmap.png");
    Files.createDirectories(dir);
    ImageIO.write(img, "png", file.toFile());
    return file;
  }

  @Test
  void parentAndChildRunsWithEverythingReadBackExactlyOnce() throws Exception {
    LocalMlflowServer server = freshServer("full");
    URI uri = server.start();
    TrackingConfig config = config(uri, "full", TrackingCredentials.none());
    Path files = WORK.resolve("full-files");
    Path png = png(files);
    Path json = Files.writeString(files.resolve("structure.json"), "{\"sst2\":{\"active_sites\":[\"attn_out@3\"]}}");
    String invocation = RunKeys.of("it", "full");
    List<String> childKeys = List.of(RunKeys.of(invocation, "sst2", "0.5"), RunKeys.of(invocation, "sst2", "1.0"));

    try (Tracker tracker = Trackers.create(config)) {
      logPipeline(tracker, config.experimentName(), invocation, childKeys, png, json, 0, 400);
      TrackingStatus status = tracker.flush();
      assertEquals(TrackingStatus.Mode.REMOTE, status.mode(), status.toString());
      assertEquals(0, status.spooled());
      assertEquals(0, status.rejected());
    }

    MlflowRest rest = new MlflowRest(uri, TrackingCredentials.none());
    String exp = rest.experimentId(config.experimentName());
    Map<String, JsonNode> byKey = runsByKey(rest, exp);
    assertEquals(3, byKey.size());
    String parentId = byKey.get(invocation).path("info").path("run_id").asText();
    JsonNode parent = rest.run(parentId);
    assertEquals(150, parent.path("data").path("params").size());
    assertEquals("deadbeef", MlflowRest.tag(parent, "git.commit"));
    assertEquals("FINISHED", parent.path("info").path("status").asText());
    JsonNode inputs = parent.path("inputs").path("dataset_inputs");
    assertEquals(1, inputs.size());
    assertEquals("glue/sst2/train", inputs.get(0).path("dataset").path("name").asText());
    assertEquals("3f2a9c", inputs.get(0).path("dataset").path("digest").asText());

    for (String key : childKeys) {
      JsonNode child = rest.run(byKey.get(key).path("info").path("run_id").asText());
      String childId = child.path("info").path("run_id").asText();
      assertEquals(parentId, MlflowRest.tag(child, RunSpec.PARENT_RUN_ID_TAG));
      assertEquals(120, child.path("data").path("params").size());
      for (String metric : List.of("train.loss", "train.gate_mass", "train.tokens_per_s")) {
        List<JsonNode> history = rest.history(childId, metric);
        assertEquals(400, history.size(), metric);
        assertEquals(400, history.stream().map(m -> m.path("step").asLong()).distinct().count(), metric);
      }
      assertEquals(List.of("config/structure.json", "plots/gate-heatmap.png"),
          rest.artifacts(childId, "").stream().sorted().toList());
      assertArrayEquals(Files.readAllBytes(png), rest.download(exp, childId, "plots/gate-heatmap.png"));
      assertArrayEquals(Files.readAllBytes(json), rest.download(exp, childId, "config/structure.json"));
    }

    try (Tracker resumed = Trackers.create(config)) {
      logPipeline(resumed, config.experimentName(), invocation, childKeys, png, json, 0, 410);
      assertEquals(0, resumed.flush().rejected());
    }
    assertEquals(3, rest.runs(exp).size(), "a resumed invocation continues its runs");
    for (String key : childKeys) {
      String childId = runsByKey(rest, exp).get(key).path("info").path("run_id").asText();
      List<JsonNode> history = rest.history(childId, "train.loss");
      assertEquals(410, history.size(), "re-logged steps are not duplicated");
      assertEquals(2, rest.artifacts(childId, "").size());
    }
  }

  @Test
  void serverKilledMidRunLosesAndDuplicatesNothing() throws Exception {
    LocalMlflowServer server = freshServer("fault");
    URI uri = server.start();
    int port = uri.getPort();
    TrackingConfig config = config(uri, "fault", TrackingCredentials.none());
    Path files = WORK.resolve("fault-files");
    Path png = png(files);
    String live = RunKeys.of("it", "fault", "live");
    String synced = RunKeys.of("it", "fault", "synced");

    try (Tracker tracker = Trackers.create(config)) {
      RunRef run = tracker.startRun(RunSpec.root(config.experimentName(), live, "auto-flush"));
      tracker.logParams(run, params("cfg", 130));
      for (int s = 0; s < 250; s++) {
        tracker.logMetric(run, "loss", 1.0 / (s + 1), s, 1_000 + s);
        if (s == 120) {
          tracker.flush();
        }
      }
      server.kill();
      for (int s = 250; s < 600; s++) {
        tracker.logMetric(run, "loss", 1.0 / (s + 1), s, 1_000 + s);
      }
      tracker.logArtifact(run, png, "plots/curve.png");
      TrackingStatus down = tracker.flush();
      assertEquals(TrackingStatus.Mode.SPOOLING, down.mode(), down.toString());
      assertTrue(down.spooled() > 0);

      assertEquals(port, server.start(new LocalMlflowServer.StartOptions(port, false)).getPort());
      TrackingStatus up = tracker.flush();
      assertEquals(TrackingStatus.Mode.REMOTE, up.mode(), up.toString());
      assertEquals(0, up.spooled());
      tracker.endRun(run, RunStatus.FINISHED);
    }

    try (Tracker tracker = Trackers.create(config)) {
      RunRef run = tracker.startRun(RunSpec.root(config.experimentName(), synced, "synced-later"));
      for (int s = 0; s < 100; s++) {
        tracker.logMetric(run, "loss", s, s, s);
      }
      tracker.flush();
      server.kill();
      for (int s = 100; s < 300; s++) {
        tracker.logMetric(run, "loss", s, s, s);
      }
      tracker.logArtifact(run, png, "plots/final.png");
      tracker.endRun(run, RunStatus.FINISHED);
    }
    assertTrue(SpoolReplayer.pending(config.spoolDir()) > 0);
    server.start(new LocalMlflowServer.StartOptions(port, false));
    ReplayReport first = Trackers.sync(config);
    assertTrue(first.complete(), first.toString());
    assertTrue(first.replayed() > 0);
    ReplayReport second = Trackers.sync(config);
    assertEquals(0, second.replayed());
    assertEquals(0, SpoolReplayer.pending(config.spoolDir()));

    MlflowRest rest = new MlflowRest(uri, TrackingCredentials.none());
    String exp = rest.experimentId(config.experimentName());
    Map<String, JsonNode> byKey = runsByKey(rest, exp);
    assertEquals(2, byKey.size());
    String liveId = byKey.get(live).path("info").path("run_id").asText();
    List<JsonNode> liveLoss = rest.history(liveId, "loss");
    assertEquals(600, liveLoss.size());
    assertEquals(600, liveLoss.stream().map(m -> m.path("step").asLong()).distinct().count());
    assertEquals(130, rest.run(liveId).path("data").path("params").size());
    assertEquals(List.of("plots/curve.png"), rest.artifacts(liveId, ""));
    assertArrayEquals(Files.readAllBytes(png), rest.download(exp, liveId, "plots/curve.png"));
    assertEquals("FINISHED", rest.run(liveId).path("info").path("status").asText());

    String syncedId = byKey.get(synced).path("info").path("run_id").asText();
    List<JsonNode> syncedLoss = rest.history(syncedId, "loss");
    assertEquals(300, syncedLoss.size());
    assertEquals(300, syncedLoss.stream().map(m -> m.path("step").asLong()).distinct().count());
    assertEquals(List.of("plots/final.png"), rest.artifacts(syncedId, ""));
    assertEquals("FINISHED", rest.run(syncedId).path("info").path("status").asText());
  }

  @Test
  void basicAuthServerAcceptsCredentialsAndRejectsMissingOnesClearly() throws Exception {
    LocalMlflowServer server = freshServer("auth");
    URI uri = server.start(new LocalMlflowServer.StartOptions(0, true));
    TrackingCredentials admin = server.adminCredentials().orElseThrow();

    TrackingAuthException missing = assertThrows(TrackingAuthException.class,
        () -> Trackers.create(config(uri, "auth", TrackingCredentials.none())));
    assertEquals(401, missing.statusCode());
    assertTrue(missing.getMessage().contains("MLFLOW_TRACKING_USERNAME"), missing.getMessage());
    assertTrue(missing.getMessage().contains("MLFLOW_TRACKING_TOKEN"), missing.getMessage());
    TrackingAuthException wrong = assertThrows(TrackingAuthException.class,
        () -> Trackers.create(config(uri, "auth", TrackingCredentials.basic(admin.username().orElseThrow(), "wrong-password"))));
    assertFalse(wrong.getMessage().contains("wrong-password"));

    TrackingConfig config = config(uri, "auth", admin);
    String key = RunKeys.of("it", "auth");
    try (Tracker tracker = Trackers.create(config)) {
      RunRef run = tracker.startRun(RunSpec.root(config.experimentName(), key, "with-credentials"));
      tracker.logParams(run, Map.of("lr", "0.001", "mlflow_token", "tok-should-not-be-stored"));
      for (int s = 0; s < 50; s++) {
        tracker.logMetric(run, "loss", s, s, s);
      }
      tracker.endRun(run, RunStatus.FINISHED);
      TrackingStatus status = tracker.flush();
      assertEquals(0, status.spooled(), status.toString());
    }
    MlflowRest rest = new MlflowRest(uri, admin);
    String exp = rest.experimentId(config.experimentName());
    String runId = runsByKey(rest, exp).get(key).path("info").path("run_id").asText();
    assertEquals(50, rest.history(runId, "loss").size());
    String stored = rest.run(runId).toString();
    assertFalse(stored.contains("tok-should-not-be-stored"));
    assertFalse(stored.contains(admin.password().orElseThrow()));
  }

  private static void logPipeline(Tracker tracker, String experiment, String invocation, List<String> childKeys,
      Path png, Path json, int fromStep, int toStep) {
    RunRef parent = tracker.startRun(RunSpec.root(experiment, invocation, "sweep").withTags(Map.of("git.commit", "deadbeef")));
    tracker.logParams(parent, params("config", 150));
    tracker.logInput(parent, new DatasetInput("glue/sst2/train", "3f2a9c", "local",
        "{\"uri\":\"file:///data/glue/SST-2/train.tsv\"}", "{\"columns\":[\"sentence\",\"label\"]}",
        "{\"rows\":67349}", "train"));
    for (String key : childKeys) {
      RunRef child = tracker.startRun(RunSpec.child(parent, key, "trial " + key.substring(0, 6)));
      tracker.logParams(child, params("trial", 120));
      for (int s = fromStep; s < toStep; s++) {
        tracker.logMetrics(child, List.of(
            new io.slaft.tracking.MetricPoint("train.loss", 2.0 / (s + 1), s, 1_700_000_000_000L + s),
            new io.slaft.tracking.MetricPoint("train.gate_mass", 0.5 + s * 1e-3, s, 1_700_000_000_000L + s),
            new io.slaft.tracking.MetricPoint("train.tokens_per_s", 3500 + s, s, 1_700_000_000_000L + s)));
      }
      tracker.logArtifact(child, png, "plots/gate-heatmap.png");
      tracker.logArtifact(child, json, "config/structure.json");
      tracker.endRun(child, RunStatus.FINISHED);
    }
    tracker.endRun(parent, RunStatus.FINISHED);
  }

  private static Map<String, JsonNode> runsByKey(MlflowRest rest, String exp) {
    return ItServers.runsByKey(rest, exp);
  }
}
