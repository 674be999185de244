package io.slaft.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slaft.tracking.TrackingCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads a real MLflow server back through its REST API, for assertions in integration tests. */
public final class MlflowRest {

  public static final ObjectMapper JSON = new ObjectMapper();
  private final URI server;
  private final TrackingCredentials credentials;
  private final HttpClient http = HttpClient.newHttpClient();

  public MlflowRest(URI server, TrackingCredentials credentials) {
    this.server = server;
    this.credentials = credentials;
  }

  /** A client without credentials (a local test server). */
  public MlflowRest(URI server) {
    this(server, TrackingCredentials.none());
  }

  /** The params of a run ({@code runs/get}'s {@code run}) as a sorted map. */
  public static java.util.Map<String, String> params(JsonNode run) {
    java.util.Map<String, String> m = new java.util.TreeMap<>();
    for (JsonNode p : run.path("data").path("params")) {
      m.put(p.path("key").asText(), p.path("value").asText());
    }
    return m;
  }

  /** A tag of a run, or null. */
  public static String tag(JsonNode run, String key) {
    for (JsonNode t : run.path("data").path("tags")) {
      if (t.path("key").asText().equals(key)) {
        return t.path("value").asText();
      }
    }
    return null;
  }

  /** The MLflow release the server reports ({@code GET /version}). */
  public String serverVersion() {
    return new String(bytes("/version"), StandardCharsets.UTF_8).strip();
  }

  public JsonNode get(String pathAndQuery) {
    return readTree("/api/2.0/mlflow/" + pathAndQuery);
  }

  public JsonNode post(String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve("/api/2.0/mlflow/" + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    credentials.authorizationHeader().ifPresent(a -> b.header("Authorization", a));
    return parse(send(b.build()));
  }

  public String experimentId(String name) {
    return get("experiments/get-by-name?experiment_name=" + enc(name)).path("experiment").path("experiment_id").asText();
  }

  public List<JsonNode> runs(String experimentId) {
    JsonNode page = post("runs/search", "{\"experiment_ids\":[\"" + experimentId + "\"],\"max_results\":1000}");
    List<JsonNode> out = new ArrayList<>();
    page.path("runs").forEach(out::add);
    return out;
  }

  public JsonNode run(String runId) {
    return get("runs/get?run_id=" + enc(runId)).path("run");
  }

  public List<JsonNode> history(String runId, String key) {
    List<JsonNode> out = new ArrayList<>();
    get("metrics/get-history?run_id=" + enc(runId) + "&metric_key=" + enc(key) + "&max_results=25000").path("metrics").forEach(out::add);
    return out;
  }

  public List<String> artifacts(String runId, String path) {
    List<String> out = new ArrayList<>();
    JsonNode files = get("artifacts/list?run_id=" + enc(runId) + (path.isEmpty() ? "" : "&path=" + enc(path))).path("files");
    for (JsonNode f : files) {
      if (f.path("is_dir").asBoolean()) {
        out.addAll(artifacts(runId, f.path("path").asText()));
      } else {
        out.add(f.path("path").asText());
      }
    }
    return out;
  }

  public byte[] download(String experimentId, String runId, String artifactPath) {
    return bytes("/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId + "/artifacts/" + artifactPath);
  }

  private JsonNode readTree(String path) {
    return parse(new String(bytes(path), StandardCharsets.UTF_8));
  }

  private byte[] bytes(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path)).GET();
    credentials.authorizationHeader().ifPresent(a -> b.header("Authorization", a));
    try {
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("GET " + path + " -> " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
      }
      return r.body();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(request.method() + " " + request.uri() + " -> " + r.statusCode() + ": " + r.body());
      }
      return r.body();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode parse(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
