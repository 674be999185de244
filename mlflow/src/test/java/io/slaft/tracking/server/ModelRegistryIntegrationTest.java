package io.slaft.tracking.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.slaft.tracking.ModelVersionSpec;
import io.slaft.tracking.RunKeys;
import io.slaft.tracking.RunRef;
import io.slaft.tracking.RunSpec;
import io.slaft.tracking.RunStatus;
import io.slaft.tracking.Tracker;
import io.slaft.tracking.TrackingConfig;
import io.slaft.tracking.TrackingStatus;
import io.slaft.tracking.Trackers;
import io.slaft.tracking.mlflow.RegisteredModels;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The registry path on both supported MLflow lines: the default 3.x release (logged models) and
 * 2.17.2 (the oldest supported, no logged models). Runs, params, metrics and artifacts, a version
 * per run registered exactly once (also when the records are sent twice), an alias, and the
 * version's files downloaded back by {@code models:/} reference byte for byte.
 */
@Tag("integration")
class ModelRegistryIntegrationTest {

  private final ItServers servers = new ItServers();

  @AfterEach
  void stopServers() {
    servers.close();
  }

  @ParameterizedTest(name = "MLflow {0}")
  @ValueSource(strings = {"3.17.2", "2.17.2"})
  void versionsAliasesAndDownloadsOnEachSupportedServer(String version) throws Exception {
    String name = "registry-" + version.replace('.', '-');
    LocalMlflowServer server = servers.fresh(name, version);
    URI uri = server.start();
    String served = new MlflowRest(uri).serverVersion();
    assertEquals(version, served, "the server runs the release asked for");
    TrackingConfig config = ItServers.config(name, uri);
    Path files = Files.createDirectories(ItServers.WORK.resolve(name + "-files"));
    Map<String, Path> model = new LinkedHashMap<>();
    model.put("export.json", Files.writeString(files.resolve("export.json"), "{\"format\":\"slaft-export\",\"tasks\":[\"sst2\"]}"));
    byte[] weights = new byte[70_000];
    new java.util.Random(7).nextBytes(weights);
    model.put("weights.bin", Files.write(files.resolve("weights.bin"), weights));
    String parentKey = RunKeys.of("it", name);
    List<String> points = List.of(RunKeys.of(parentKey, "a"), RunKeys.of(parentKey, "b"));
    String registered = "slaft-it-" + name;

    for (int attempt = 0; attempt < 2; attempt++) { // the second pass is a replay of the same records
      try (Tracker tracker = Trackers.create(config)) {
        RunRef parent = tracker.startRun(RunSpec.root(config.experimentName(), parentKey, "sweep"));
        for (String key : points) {
          RunRef run = tracker.startRun(RunSpec.child(parent, key, "point " + key));
          tracker.logParams(run, Map.of("method", "sla", "point", key));
          for (int s = 0; s < 20; s++) {
            tracker.logMetric(run, "loss", 1.0 / (s + 1), s, 1_000 + s);
          }
          model.forEach((f, p) -> tracker.logArtifact(run, p, "model/" + f));
          tracker.registerModel(run, new ModelVersionSpec(registered, "model", model,
              Map.of("slaft.task", "sst2", "slaft.point", key), "## structure\n| layer | site |\n|---|---|\n| 3 | ffn |"));
          tracker.endRun(run, RunStatus.FINISHED);
        }
        tracker.setModelAlias(new RunRef(config.experimentName(), points.get(1)), registered, "champion");
        tracker.endRun(parent, RunStatus.FINISHED);
        TrackingStatus status = tracker.flush();
        assertEquals(TrackingStatus.Mode.REMOTE, status.mode(), status.toString());
        assertEquals(0, status.rejected(), status.toString());
      }
    }

    MlflowRest rest = new MlflowRest(uri);
    String exp = rest.experimentId(config.experimentName());
    Map<String, JsonNode> runs = ItServers.runsByKey(rest, exp);
    assertEquals(3, runs.size(), "a parent and two points, none added by registering");
    JsonNode versions = rest.get("model-versions/search?filter=" + enc("name='" + registered + "'")).path("model_versions");
    assertEquals(2, versions.size(), "one version per run, the replay added none: " + versions);
    boolean logsModels = version.startsWith("3.");
    for (JsonNode v : versions) {
      String runId = v.path("run_id").asText();
      String key = points.stream().filter(k -> runs.get(k).path("info").path("run_id").asText().equals(runId)).findFirst().orElseThrow();
      assertEquals(20, rest.history(runId, "loss").size(), "the run's metrics are there on " + served);
      Map<String, String> tags = new LinkedHashMap<>();
      v.path("tags").forEach(t -> tags.put(t.path("key").asText(), t.path("value").asText()));
      assertEquals(key, tags.get("slaft.point"));
      assertTrue(v.path("description").asText().contains("| 3 | ffn |"), v.toString());
      if (logsModels) {
        assertTrue(v.path("source").asText().startsWith("models:/"), v.toString());
        JsonNode logged = rest.get("logged-models/" + v.path("source").asText().substring("models:/".length())).path("model").path("info");
        assertEquals("LOGGED_MODEL_READY", logged.path("status").asText(), logged.toString());
        assertEquals(runId, logged.path("source_run_id").asText());
      } else {
        assertTrue(v.path("source").asText().endsWith("/" + runId + "/artifacts/model"), v.toString());
      }
    }

    String championRun = runs.get(points.get(1)).path("info").path("run_id").asText();
    RegisteredModels registry = RegisteredModels.of(config);
    Path cache = ItServers.WORK.resolve(name + "-cache");
    ItServers.deleteTree(cache);
    RegisteredModels.Fetched champion = registry.fetch("models:/" + registered + "@champion", cache, false);
    assertEquals(championRun, champion.runId());
    RegisteredModels.Fetched other = registry.fetch("models:/" + registered + "/" + (champion.version().equals("1") ? "2" : "1"), cache, false);
    assertNotEquals(championRun, other.runId());
    for (RegisteredModels.Fetched f : List.of(champion, other)) {
      assertEquals(List.of("export.json", "weights.bin"), Files.list(f.dir()).map(p -> p.getFileName().toString()).sorted().toList());
      assertArrayEquals(weights, Files.readAllBytes(f.dir().resolve("weights.bin")));
      assertArrayEquals(Files.readAllBytes(model.get("export.json")), Files.readAllBytes(f.dir().resolve("export.json")));
    }
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }
}
