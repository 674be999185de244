package io.slaft.tracking.mlflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slaft.tracking.MetricPoint;
import io.slaft.tracking.RunStatus;
import io.slaft.tracking.TrackingAuthException;
import io.slaft.tracking.TrackingConfig;
import io.slaft.tracking.TrackingCredentials;
import io.slaft.tracking.TrackingException;
import io.slaft.tracking.mlflow.LoopbackHttpServer.Reply;
import io.slaft.tracking.mlflow.LoopbackHttpServer.Request;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlflowRestApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REST = "/api/2.0/mlflow/";

  @TempDir Path tmp;

  private final MlflowRestApi api = new MlflowRestApi(
      TrackingConfig.builder("e", Path.of("spool")).trackingUri(URI.create("http://127.0.0.1:5000/")).build());

  @Test
  void artifactUrlFollowsTheServedArtifactsRoute() {
    var run = new MlflowApi.RemoteRun("abc", "7", "mlflow-artifacts:/7/abc/artifacts", false, 0);
    assertEquals(
        URI.create("http://127.0.0.1:5000/api/2.0/mlflow-artifacts/artifacts/7/abc/artifacts/plots/gate%20heatmap.png"),
        api.artifactUrl(run, "plots/gate heatmap.png"));
  }

  @Test
  void serverWithoutServedArtifactsIsANonRetryableError() {
    var run = new MlflowApi.RemoteRun("abc", "7", "file:///tmp/mlruns/7/abc/artifacts", false, 0);
    TrackingException e = assertThrows(TrackingException.class, () -> api.artifactUrl(run, "a.json"));
    assertFalse(e.retryable());
  }

  @Test
  void unreachableServerIsNotHealthyAndErrorsAreRetryable() {
    MlflowRestApi down = new MlflowRestApi(
        TrackingConfig.builder("e", Path.of("spool")).trackingUri(URI.create("http://127.0.0.1:1")).build());
    assertFalse(down.healthy());
    TrackingException e = assertThrows(TrackingException.class, () -> down.experimentId("x"));
    assertEquals(true, e.retryable());
  }

  private static MlflowRestApi api(URI uri, TrackingCredentials creds) {
    return new MlflowRestApi(TrackingConfig.builder("e", Path.of("spool")).trackingUri(uri).credentials(creds).build());
  }

  private static JsonNode body(Request r) throws Exception {
    return JSON.readTree(r.body());
  }

  @Test
  void speaksMlflowsRestApiWithCredentialsOnEveryCall() throws Exception {
    Map<String, String> answers = new LinkedHashMap<>();
    answers.put("GET " + REST + "experiments/get-by-name?experiment_name=my+exp", "404 {\"error_code\":\"RESOURCE_DOES_NOT_EXIST\"}");
    answers.put("POST " + REST + "experiments/create", "200 {\"experiment_id\":\"7\"}");
    answers.put("POST " + REST + "runs/search", "200 {\"runs\":["
        + "{\"info\":{\"run_id\":\"b\",\"experiment_id\":\"7\",\"artifact_uri\":\"mlflow-artifacts:/7/b/artifacts\","
        + "\"status\":\"FINISHED\",\"start_time\":20,\"end_time\":30}},"
        + "{\"info\":{\"run_id\":\"a\",\"experiment_id\":\"7\",\"artifact_uri\":\"mlflow-artifacts:/7/a/artifacts\","
        + "\"status\":\"FINISHED\",\"start_time\":10,\"end_time\":15}}]}");
    answers.put("POST " + REST + "runs/create", "200 {\"run\":{\"info\":{\"run_id\":\"c\",\"experiment_id\":\"7\","
        + "\"artifact_uri\":\"mlflow-artifacts:/7/c/artifacts\",\"status\":\"RUNNING\",\"start_time\":5}},\"data\":{}}");
    answers.put("GET " + REST + "runs/get?run_id=c", "200 {\"run\":{\"data\":{\"params\":[{\"key\":\"lr\",\"value\":\"0.1\"}],"
        + "\"metrics\":[{\"key\":\"loss\",\"value\":1.5,\"step\":3}]}}}");
    answers.put("POST " + REST + "runs/log-batch", "200 {}");
    answers.put("GET " + REST + "metrics/get-history?run_id=c&metric_key=loss&max_results=25000",
        "200 {\"metrics\":[{\"key\":\"loss\",\"step\":1},{\"key\":\"loss\",\"step\":2}],\"next_page_token\":\"p2\"}");
    answers.put("GET " + REST + "metrics/get-history?run_id=c&metric_key=loss&max_results=25000&page_token=p2",
        "200 {\"metrics\":[{\"key\":\"loss\",\"step\":3}]}");
    answers.put("POST " + REST + "runs/update", "200 {}");
    answers.put("PUT /api/2.0/mlflow-artifacts/artifacts/7/c/artifacts/plots/a%20b.png", "200 {}");
    TrackingCredentials creds = TrackingCredentials.basic("alice", "s3cret");
    Path png = Files.write(tmp.resolve("a.png"), new byte[] {1, 2, 3, 4, 5});
    try (LoopbackHttpServer server = LoopbackHttpServer.answering(r -> {
      String a = answers.getOrDefault(r.method() + " " + r.target(), "599 unexpected " + r.method() + " " + r.target());
      return new Reply(Integer.parseInt(a.substring(0, 3)), a.substring(4));
    })) {
      MlflowRestApi api = api(server.uri(), creds);
      assertEquals("7", api.experimentId("my exp"));
      MlflowApi.RemoteRun found = api.findRun("7", "key-1").orElseThrow();
      assertEquals(new MlflowApi.RemoteRun("a", "7", "mlflow-artifacts:/7/a/artifacts", true, 15), found, "the earliest run");
      MlflowApi.RemoteRun created = api.createRun("7", "trial 1", 5, Map.of("slaft.run_key", "key-1"));
      assertEquals(new MlflowApi.RemoteRun("c", "7", "mlflow-artifacts:/7/c/artifacts", false, 0), created);
      assertEquals(new MlflowApi.RunContents(Map.of("lr", "0.1"), Set.of("loss")), api.runContents("c"));
      api.logBatch("c", List.of(new MetricPoint("loss", 0.25, 4, 1_700_000_000_123L), new MetricPoint("loss", Double.NaN, 5, 9)),
          Map.of("lr", "0.1"), Map.of("t", "v"));
      assertEquals(Set.of(1L, 2L, 3L), api.metricSteps("c", "loss"));
      api.reopenRun("c");
      api.endRun("c", RunStatus.KILLED, 99);
      api.uploadArtifact(created, png, "plots/a b.png");

      List<Request> requests = server.requests();
      assertEquals(11, requests.size(), requests.toString());
      String basic = creds.authorizationHeader().orElseThrow();
      for (Request r : requests) {
        assertEquals(basic, r.headers().get("authorization"), r.target());
        if (r.method().equals("POST")) {
          assertEquals("application/json", r.headers().get("content-type"), r.target());
        }
      }
      assertEquals("my exp", body(requests.get(1)).path("name").asText());
      JsonNode search = body(requests.get(2));
      assertEquals("7", search.path("experiment_ids").get(0).asText());
      assertEquals("tags.\"slaft.run_key\" = 'key-1'", search.path("filter").asText());
      assertEquals("ACTIVE_ONLY", search.path("run_view_type").asText());
      JsonNode create = body(requests.get(3));
      assertEquals("trial 1", create.path("run_name").asText());
      assertEquals(5, create.path("start_time").asLong());
      assertEquals("key-1", create.path("tags").get(0).path("value").asText());
      JsonNode batch = body(requests.get(5));
      assertEquals("c", batch.path("run_id").asText());
      assertEquals(0.25, batch.path("metrics").get(0).path("value").asDouble());
      assertEquals(1_700_000_000_123L, batch.path("metrics").get(0).path("timestamp").asLong());
      assertEquals(4, batch.path("metrics").get(0).path("step").asLong());
      assertEquals("NaN", batch.path("metrics").get(1).path("value").asText(), "MLflow's JSON spelling of NaN");
      assertEquals("lr", batch.path("params").get(0).path("key").asText());
      assertEquals("v", batch.path("tags").get(0).path("value").asText());
      assertEquals("RUNNING", body(requests.get(8)).path("status").asText());
      JsonNode end = body(requests.get(9));
      assertEquals("KILLED", end.path("status").asText());
      assertEquals(99, end.path("end_time").asLong());
      assertEquals("PUT", requests.get(10).method());
      assertArrayEquals(Files.readAllBytes(png), requests.get(10).body().getBytes(StandardCharsets.ISO_8859_1));
    }
  }

  @Test
  void answersMapToAuthRetryableAndPermanentErrors() throws Exception {
    AtomicReference<Reply> answer = new AtomicReference<>();
    try (LoopbackHttpServer server = LoopbackHttpServer.answering(r -> answer.get())) {
      MlflowRestApi api = api(server.uri(), TrackingCredentials.none());
      for (int status : new int[] {401, 403}) {
        answer.set(new Reply(status, "{}"));
        TrackingAuthException e = assertThrows(TrackingAuthException.class, () -> api.endRun("r", RunStatus.FINISHED, 1));
        assertEquals(status, e.statusCode());
        assertFalse(e.retryable());
      }
      for (int status : new int[] {429, 500, 503}) {
        answer.set(new Reply(status, "busy"));
        assertTrue(assertThrows(TrackingException.class, () -> api.runContents("r")).retryable(), "status " + status);
      }
      answer.set(new Reply(400, "{\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"bad key\"}"));
      TrackingException bad = assertThrows(TrackingException.class, () -> api.logBatch("r", List.of(), Map.of("k", "v"), Map.of()));
      assertFalse(bad.retryable());
      assertTrue(bad.getMessage().contains("bad key"), bad.getMessage());
      answer.set(new Reply(200, "<html>proxy</html>"));
      assertTrue(assertThrows(TrackingException.class, () -> api.runContents("r")).retryable(), "unparsable answer");
      answer.set(new Reply(302, ""));
      assertFalse(assertThrows(TrackingException.class, () -> api.runContents("r")).retryable(), "redirects are not followed");
      answer.set(new Reply(200, "ok"));
      assertTrue(api.healthy());
      answer.set(new Reply(503, "down"));
      assertFalse(api.healthy());
    }
  }

  @Test
  void deletedExperimentIsRestoredAndACreateRaceFindsTheWinner() throws Exception {
    AtomicReference<String> lookup = new AtomicReference<>(
        "{\"experiment\":{\"experiment_id\":\"3\",\"name\":\"e\",\"lifecycle_stage\":\"deleted\"}}");
    try (LoopbackHttpServer server = LoopbackHttpServer.answering(r -> {
      if (r.target().contains("get-by-name")) {
        return lookup.get() == null ? new Reply(404, "{}") : new Reply(200, lookup.get());
      }
      if (r.target().endsWith("experiments/create")) {
        lookup.set("{\"experiment\":{\"experiment_id\":\"4\",\"name\":\"e\",\"lifecycle_stage\":\"active\"}}");
        return new Reply(400, "{\"error_code\":\"RESOURCE_ALREADY_EXISTS\"}");
      }
      return new Reply(200, "{}");
    })) {
      MlflowRestApi api = api(server.uri(), TrackingCredentials.none());
      assertEquals("3", api.experimentId("e"));
      Request restore = server.requests().get(1);
      assertEquals(REST + "experiments/restore", restore.target());
      assertEquals("3", body(restore).path("experiment_id").asText());
      lookup.set(null);
      assertEquals("4", api.experimentId("e"), "another client created it between our lookup and our create");
    }
  }
}
