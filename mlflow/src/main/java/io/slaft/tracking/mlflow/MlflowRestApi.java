package io.slaft.tracking.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slaft.tracking.DatasetInput;
import io.slaft.tracking.MetricPoint;
import io.slaft.tracking.Redactor;
import io.slaft.tracking.RunRef;
import io.slaft.tracking.RunStatus;
import io.slaft.tracking.TrackingAuthException;
import io.slaft.tracking.TrackingConfig;
import io.slaft.tracking.TrackingException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.StreamSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * {@link MlflowApi} over {@code java.net.http} and Jackson: MLflow's REST API 2.0
 * ({@code <tracking uri>/api/2.0/mlflow/...}) for experiments, runs, params, metrics, tags and
 * dataset inputs, {@code PUT /api/2.0/mlflow-artifacts/artifacts/<exp>/<run>/artifacts/<path>} for
 * artifact uploads and {@code GET /health} for probes.
 *
 * <p>No call can hang: connecting is bounded by {@link TrackingConfig#connectTimeout()}, and the
 * whole exchange (request, response headers and body) by {@link TrackingConfig#requestTimeout()}
 * ({@code min(requestTimeout, 3 s)} for health probes); a call that runs out of time is cancelled
 * and fails with a retryable {@link TrackingException}, exactly like a refused connection, so the
 * tracker retries it and then spools. HTTP 401/403 become {@link TrackingAuthException}; 429 and
 * 5xx are retryable, other non-2xx answers are not. Redirects are not followed. Credentials come
 * from the {@link TrackingConfig} and are sent only in the {@code Authorization} header.
 *
 * <p>Thread-safe (the JDK client is); {@link #close()} releases nothing, the JDK client's threads
 * end when it becomes unreachable.
 */
final class MlflowRestApi implements MlflowApi {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ARTIFACT_SCHEME = "mlflow-artifacts";
  private static final String REST = "/api/2.0/mlflow/";
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

  private final URI tracking;
  private final HttpClient http;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final Optional<String> authorization;
  private final Redactor redactor;
  private volatile Boolean loggedModels;

  MlflowRestApi(TrackingConfig config) {
    this.tracking = config.tracking().orElseThrow(() -> new IllegalArgumentException("trackingUri is required for MLflow"));
    this.connectTimeout = config.connectTimeout();
    this.requestTimeout = config.requestTimeout();
    this.authorization = config.credentials().authorizationHeader();
    this.redactor = Redactor.of(config.credentials());
    HttpClient.Builder builder = HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER);
    if (config.insecureTls()) {
      builder.sslContext(trustAll());
    }
    this.http = builder.build();
  }

  @Override
  public String server() {
    return tracking.toString();
  }

  @Override
  public String experimentId(String name) {
    String operation = "get or create experiment '" + name + "'";
    Optional<JsonNode> existing = experimentByName(name, operation);
    if (existing.isPresent()) {
      JsonNode exp = existing.get();
      String id = exp.path("experiment_id").asText();
      if ("deleted".equals(exp.path("lifecycle_stage").asText())) {
        ok(post("experiments/restore", JSON.createObjectNode().put("experiment_id", id), operation), operation);
      }
      return id;
    }
    Reply created = post("experiments/create", JSON.createObjectNode().put("name", name), operation);
    if (created.status() == 400) {
      Optional<JsonNode> raced = experimentByName(name, operation);
      if (raced.isPresent()) {
        return raced.get().path("experiment_id").asText();
      }
    }
    return ok(created, operation).path("experiment_id").asText();
  }

  @Override
  public Optional<RemoteRun> findRun(String experimentId, String runKey) {
    String operation = "search run " + runKey;
    ObjectNode body = JSON.createObjectNode();
    body.putArray("experiment_ids").add(experimentId);
    body.put("filter", "tags.\"" + RunRef.RUN_KEY_TAG + "\" = '" + runKey + "'")
        .put("run_view_type", "ACTIVE_ONLY")
        .put("max_results", 10);
    JsonNode page = ok(post("runs/search", body, operation), operation);
    return StreamSupport.stream(page.path("runs").spliterator(), false)
        .map(r -> r.path("info"))
        .min(Comparator.comparingLong((JsonNode info) -> info.path("start_time").asLong(0))
            .thenComparing(info -> info.path("run_id").asText()))
        .map(MlflowRestApi::remote);
  }

  /**
   * The tags of every active child run of {@code parentRunId} in the experiment ({@code runs/search} on
   * {@code tags.mlflow.parentRunId}, all pages), one map per run. Not part of {@link MlflowApi}: only
   * {@link SiblingTags} reads runs back.
   */
  List<Map<String, String>> childRunTags(String experimentId, String parentRunId) {
    String operation = "search the child runs of " + parentRunId;
    List<Map<String, String>> runs = new ArrayList<>();
    String token = null;
    do {
      ObjectNode body = JSON.createObjectNode();
      body.putArray("experiment_ids").add(experimentId);
      body.put("filter", "tags.\"" + io.slaft.tracking.RunSpec.PARENT_RUN_ID_TAG + "\" = '" + parentRunId + "'")
          .put("run_view_type", "ACTIVE_ONLY")
          .put("max_results", 1000);
      if (token != null) {
        body.put("page_token", token);
      }
      JsonNode page = ok(post("runs/search", body, operation), operation);
      for (JsonNode run : page.path("runs")) {
        Map<String, String> tags = new LinkedHashMap<>();
        run.path("data").path("tags").forEach(t -> tags.put(t.path("key").asText(), t.path("value").asText()));
        runs.add(tags);
      }
      token = page.path("next_page_token").asText("");
      token = token.isEmpty() ? null : token;
    } while (token != null);
    return runs;
  }

  @Override
  public RemoteRun createRun(String experimentId, String runName, long startTimeMillis, Map<String, String> tags) {
    String operation = "create run " + runName;
    ObjectNode body = JSON.createObjectNode()
        .put("experiment_id", experimentId)
        .put("run_name", runName)
        .put("start_time", startTimeMillis);
    if (!tags.isEmpty()) {
      putKeyValues(body.putArray("tags"), tags);
    }
    return remote(ok(post("runs/create", body, operation), operation).path("run").path("info"));
  }

  @Override
  public void reopenRun(String runId) {
    String operation = "reopen run " + runId;
    ok(post("runs/update", JSON.createObjectNode().put("run_id", runId).put("status", "RUNNING"), operation), operation);
  }

  @Override
  public RunContents runContents(String runId) {
    String operation = "get run " + runId;
    JsonNode data = ok(get("runs/get?run_id=" + enc(runId), operation), operation).path("run").path("data");
    Map<String, String> params = new LinkedHashMap<>();
    data.path("params").forEach(p -> params.put(p.path("key").asText(), p.path("value").asText()));
    Set<String> keys = new HashSet<>();
    data.path("metrics").forEach(m -> keys.add(m.path("key").asText()));
    return new RunContents(params, keys);
  }

  @Override
  public void logBatch(String runId, List<MetricPoint> metrics, Map<String, String> params, Map<String, String> tags) {
    String operation = "log-batch to run " + runId;
    ObjectNode body = JSON.createObjectNode().put("run_id", runId);
    if (!metrics.isEmpty()) {
      ArrayNode m = body.putArray("metrics");
      for (MetricPoint p : metrics) {
        m.addObject().put("key", p.key()).put("value", p.value()).put("timestamp", p.timestampMillis()).put("step", p.step());
      }
    }
    if (!params.isEmpty()) {
      putKeyValues(body.putArray("params"), params);
    }
    if (!tags.isEmpty()) {
      putKeyValues(body.putArray("tags"), tags);
    }
    ok(post("runs/log-batch", body, operation), operation);
  }

  @Override
  public Set<Long> metricSteps(String runId, String key) {
    String operation = "get metric history " + key;
    Set<Long> steps = new HashSet<>();
    String token = null;
    do {
      String path = "metrics/get-history?run_id=" + enc(runId) + "&metric_key=" + enc(key) + "&max_results=25000"
          + (token == null ? "" : "&page_token=" + enc(token));
      JsonNode page = ok(get(path, operation), operation);
      for (JsonNode metric : page.path("metrics")) {
        steps.add(metric.path("step").asLong(0));
      }
      token = page.path("next_page_token").asText("");
      token = token.isEmpty() ? null : token;
    } while (token != null);
    return steps;
  }

  @Override
  public void logInputs(String runId, List<DatasetInput> inputs) {
    String operation = "log-inputs to run " + runId;
    ObjectNode body = JSON.createObjectNode().put("run_id", runId);
    ArrayNode datasets = body.putArray("datasets");
    for (DatasetInput in : inputs) {
      ObjectNode entry = datasets.addObject();
      if (!in.context().isEmpty()) {
        entry.putArray("tags").addObject().put("key", "mlflow.data.context").put("value", in.context());
      }
      ObjectNode ds = entry.putObject("dataset")
          .put("name", in.name())
          .put("digest", in.digest())
          .put("source_type", in.sourceType())
          .put("source", in.source());
      if (!in.schema().isEmpty()) {
        ds.put("schema", in.schema());
      }
      if (!in.profile().isEmpty()) {
        ds.put("profile", in.profile());
      }
    }
    ok(post("runs/log-inputs", body, operation), operation);
  }

  @Override
  public void uploadArtifact(RemoteRun run, Path file, String artifactPath) {
    uploadArtifact(run.artifactUri(), file, artifactPath);
  }

  @Override
  public void uploadArtifact(String artifactRoot, Path file, String path) {
    String operation = "upload of artifact " + path;
    HttpRequest.Builder request;
    try {
      request = HttpRequest.newBuilder(artifactUrl(artifactRoot, path))
          .header("Content-Type", "application/octet-stream")
          .PUT(HttpRequest.BodyPublishers.ofFile(file));
    } catch (FileNotFoundException e) {
      throw new TrackingException("artifact copy " + file + " is missing; it cannot be uploaded", false, e);
    }
    Reply reply = send(request, requestTimeout, operation);
    if (!reply.ok()) {
      throw httpError(operation, reply.status(), reply.body());
    }
  }

  @Override
  public List<ArtifactFile> listArtifacts(String artifactRoot, String path) {
    String operation = "list of artifacts " + artifactRoot + "/" + path;
    URI root = artifactRootUri(artifactRoot);
    String full = (root.getPath() == null ? "" : root.getPath()) + (path.isEmpty() ? "" : "/" + path);
    String rel = full.startsWith("/") ? full.substring(1) : full;
    Reply reply = send(HttpRequest.newBuilder(URI.create(tracking + "/api/2.0/mlflow-artifacts/artifacts?path=" + enc(rel))).GET(),
        requestTimeout, operation);
    List<ArtifactFile> files = new ArrayList<>();
    for (JsonNode f : ok(reply, operation).path("files")) {
      String name = f.path("path").asText();
      files.add(new ArtifactFile(path.isEmpty() ? name : path + "/" + name, f.path("is_dir").asBoolean(false),
          f.path("file_size").asLong(0)));
    }
    return files;
  }

  @Override
  public void downloadArtifact(String artifactRoot, String path, Path target) {
    String operation = "download of artifact " + path;
    HttpRequest.Builder request = HttpRequest.newBuilder(artifactUrl(artifactRoot, path)).GET().timeout(requestTimeout);
    authorization.ifPresent(a -> request.header("Authorization", a));
    try {
      HttpResponse<Path> response = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofFile(target))
          .get(connectTimeout.plus(requestTimeout).toMillis(), TimeUnit.MILLISECONDS);
      if (response.statusCode() / 100 != 2) {
        String body = Files.exists(target) && Files.size(target) < 4096 ? Files.readString(target) : "";
        Files.deleteIfExists(target);
        throw httpError(operation, response.statusCode(), body);
      }
    } catch (TimeoutException e) {
      throw new TrackingException(notAnswered(operation, connectTimeout.plus(requestTimeout)), true, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrackingException("interrupted during " + operation, true, e);
    } catch (ExecutionException | IOException e) {
      throw new TrackingException("cannot download " + path + " from MLflow server " + server() + ": " + rootCause(e), true, e);
    }
  }

  @Override
  public void ensureRegisteredModel(String name) {
    String operation = "create registered model '" + name + "'";
    Reply reply = post("registered-models/create", JSON.createObjectNode().put("name", name), operation);
    if (reply.status() == 400 && reply.body() != null && reply.body().contains("RESOURCE_ALREADY_EXISTS")) {
      return;
    }
    ok(reply, operation);
  }

  @Override
  public Optional<ModelVersion> modelVersionOfRun(String name, String runId) {
    String operation = "search versions of '" + name + "' from run " + runId;
    String filter = "name = '" + name.replace("'", "") + "' and run_id = '" + runId.replace("'", "") + "'";
    JsonNode page = ok(get("model-versions/search?filter=" + enc(filter) + "&max_results=10", operation), operation);
    return StreamSupport.stream(page.path("model_versions").spliterator(), false)
        .min(Comparator.comparingLong(v -> v.path("version").asLong()))
        .map(MlflowRestApi::version);
  }

  @Override
  public ModelVersion createModelVersion(String name, String source, String runId, Map<String, String> tags,
      String description, String modelId) {
    String operation = "create a version of '" + name + "'";
    ObjectNode body = JSON.createObjectNode().put("name", name).put("source", source).put("run_id", runId)
        .put("description", description);
    if (modelId != null && !modelId.isEmpty()) {
      body.put("model_id", modelId);
    }
    if (!tags.isEmpty()) {
      putKeyValues(body.putArray("tags"), tags);
    }
    return version(ok(post("model-versions/create", body, operation), operation).path("model_version"));
  }

  @Override
  public ModelVersion modelVersion(String name, String version) {
    String operation = "get version " + version + " of '" + name + "'";
    return version(ok(get("model-versions/get?name=" + enc(name) + "&version=" + enc(version), operation), operation)
        .path("model_version"));
  }

  @Override
  public ModelVersion modelVersionByAlias(String name, String alias) {
    String operation = "get alias @" + alias + " of '" + name + "'";
    return version(ok(get("registered-models/alias?name=" + enc(name) + "&alias=" + enc(alias), operation), operation)
        .path("model_version"));
  }

  @Override
  public void setModelAlias(String name, String alias, String version) {
    String operation = "set alias @" + alias + " of '" + name + "'";
    ok(post("registered-models/alias", JSON.createObjectNode().put("name", name).put("alias", alias).put("version", version),
        operation), operation);
  }

  @Override
  public boolean supportsLoggedModels() {
    Boolean known = loggedModels;
    if (known == null) {
      String operation = "probe for logged models";
      ObjectNode body = JSON.createObjectNode();
      body.putArray("experiment_ids").add("0");
      body.put("max_results", 1);
      Reply reply = post("logged-models/search", body, operation);
      if (reply.status() == 404 || (reply.body() != null && reply.body().contains("ENDPOINT_NOT_FOUND"))) {
        known = false;
      } else {
        ok(reply, operation);
        known = true;
      }
      loggedModels = known;
    }
    return known;
  }

  @Override
  public Optional<LoggedModel> findLoggedModel(String experimentId, String runId, String name) {
    if (!supportsLoggedModels()) {
      return Optional.empty();
    }
    String operation = "search logged model '" + name + "' of run " + runId;
    ObjectNode body = JSON.createObjectNode();
    body.putArray("experiment_ids").add(experimentId);
    body.put("filter", "source_run_id = '" + runId.replace("'", "") + "' AND name = '" + name.replace("'", "") + "'");
    body.put("max_results", 10);
    JsonNode page = ok(post("logged-models/search", body, operation), operation);
    return StreamSupport.stream(page.path("models").spliterator(), false)
        .map(m -> logged(m.path("info")))
        .min(Comparator.comparing((LoggedModel m) -> !m.status().equals(LoggedModel.READY)).thenComparing(LoggedModel::modelId));
  }

  @Override
  public LoggedModel createLoggedModel(String experimentId, String name, String runId, Map<String, String> tags) {
    String operation = "create logged model '" + name + "'";
    ObjectNode body = JSON.createObjectNode().put("experiment_id", experimentId).put("name", name).put("source_run_id", runId)
        .put("model_type", "slaft-adapter");
    if (!tags.isEmpty()) {
      putKeyValues(body.putArray("tags"), tags);
    }
    return logged(ok(post("logged-models", body, operation), operation).path("model").path("info"));
  }

  @Override
  public LoggedModel loggedModel(String modelId) {
    String operation = "get logged model " + modelId;
    return logged(ok(get("logged-models/" + enc(modelId), operation), operation).path("model").path("info"));
  }

  @Override
  public void finishLoggedModel(String modelId, String runId) {
    String operation = "finalize logged model " + modelId;
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(tracking + REST + "logged-models/" + enc(modelId)))
        .header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(
            JSON.createObjectNode().put("model_id", modelId).put("status", LoggedModel.READY).toString(), StandardCharsets.UTF_8));
    ok(send(request, requestTimeout, operation), operation);
    ObjectNode outputs = JSON.createObjectNode().put("run_id", runId);
    outputs.putArray("models").addObject().put("model_id", modelId).put("step", 0);
    ok(post("runs/outputs", outputs, "log outputs of run " + runId), "log outputs of run " + runId);
  }

  private static ModelVersion version(JsonNode v) {
    return new ModelVersion(v.path("name").asText(), v.path("version").asText(), v.path("source").asText(),
        v.path("run_id").asText(), v.path("model_id").asText(""));
  }

  private static LoggedModel logged(JsonNode info) {
    return new LoggedModel(info.path("model_id").asText(), info.path("artifact_uri").asText(), info.path("status").asText(""));
  }

  @Override
  public void endRun(String runId, RunStatus status, long endTimeMillis) {
    String operation = "end run " + runId;
    ObjectNode body = JSON.createObjectNode().put("run_id", runId).put("status", status.name()).put("end_time", endTimeMillis);
    ok(post("runs/update", body, operation), operation);
  }

  @Override
  public boolean healthy() {
    Duration timeout = requestTimeout.compareTo(PROBE_TIMEOUT) < 0 ? requestTimeout : PROBE_TIMEOUT;
    try {
      return send(HttpRequest.newBuilder(URI.create(tracking + "/health")).GET(), timeout, "health probe").status() == 200;
    } catch (TrackingException e) {
      return false;
    }
  }

  @Override
  public void close() {}

  URI artifactUrl(RemoteRun run, String artifactPath) {
    return artifactUrl(run.artifactUri(), artifactPath);
  }

  URI artifactUrl(String artifactRoot, String artifactPath) {
    URI root = artifactRootUri(artifactRoot);
    StringBuilder url = new StringBuilder(tracking.toString()).append("/api/2.0/mlflow-artifacts/artifacts");
    String rootPath = root.getPath() == null ? "" : root.getPath();
    for (String segment : (rootPath + "/" + artifactPath).split("/")) {
      if (!segment.isEmpty()) {
        url.append('/').append(enc(segment).replace("+", "%20"));
      }
    }
    return URI.create(url.toString());
  }

  private URI artifactRootUri(String artifactRoot) {
    URI root = URI.create(artifactRoot);
    if (!ARTIFACT_SCHEME.equals(root.getScheme())) {
      throw new TrackingException("MLflow server " + server() + " does not serve artifacts (artifact root is "
          + artifactRoot + "); start it with --serve-artifacts (mlflow/bin/mlflow-server does)", false);
    }
    return root;
  }

  /** The experiment of {@code experiments/get-by-name}, empty on 404. */
  private Optional<JsonNode> experimentByName(String name, String operation) {
    Reply reply = get("experiments/get-by-name?experiment_name=" + enc(name), operation);
    if (reply.status() == 404) {
      return Optional.empty();
    }
    return Optional.of(ok(reply, operation).path("experiment"));
  }

  private Reply get(String pathAndQuery, String operation) {
    return send(HttpRequest.newBuilder(URI.create(tracking + REST + pathAndQuery)).GET(), requestTimeout, operation);
  }

  private Reply post(String path, ObjectNode body, String operation) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(tracking + REST + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    return send(request, requestTimeout, operation);
  }

  /**
   * Sends one request and waits at most {@code connectTimeout + timeout} for the whole answer. The
   * JDK's own request timeout ends once the response headers arrive, so the body is bounded here:
   * on expiry the exchange is cancelled (JDK 16+ aborts its connection).
   *
   * @throws TrackingException retryable, for every transport failure: refused or reset
   *     connection, connect or request timeout, TLS failure, interruption
   */
  private Reply send(HttpRequest.Builder request, Duration timeout, String operation) {
    request.timeout(timeout);
    authorization.ifPresent(a -> request.header("Authorization", a));
    CompletableFuture<HttpResponse<String>> exchange = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    Duration deadline = connectTimeout.plus(timeout);
    try {
      HttpResponse<String> response = exchange.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
      return new Reply(response.statusCode(), response.body());
    } catch (TimeoutException e) {
      exchange.cancel(true);
      throw new TrackingException(notAnswered(operation, deadline), true, e);
    } catch (InterruptedException e) {
      exchange.cancel(true);
      Thread.currentThread().interrupt();
      throw new TrackingException("interrupted during " + operation + " on MLflow server " + server(), true, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof HttpTimeoutException) {
        throw new TrackingException(notAnswered(operation, deadline) + ": " + cause.getMessage(), true, cause);
      }
      throw new TrackingException("cannot reach MLflow server " + server() + " for " + operation + ": " + rootCause(cause), true, cause);
    }
  }

  private String notAnswered(String operation, Duration deadline) {
    return "MLflow server " + server() + " did not answer " + operation + " within " + deadline.toMillis()
        + " ms (connect timeout " + connectTimeout.toMillis() + " ms, request timeout " + requestTimeout.toMillis() + " ms)";
  }

  /** The parsed body of a 2xx answer ({@code {}} when empty). */
  private JsonNode ok(Reply reply, String operation) {
    if (!reply.ok()) {
      throw httpError(operation, reply.status(), reply.body());
    }
    String body = reply.body() == null || reply.body().isBlank() ? "{}" : reply.body();
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new TrackingException("unparsable answer from MLflow server " + server() + " to " + operation + ": " + e.getMessage(), true, e);
    }
  }

  private TrackingException httpError(String operation, int status, String body) {
    if (status == 401 || status == 403) {
      return new TrackingAuthException(server(), status, operation);
    }
    boolean retryable = status == 429 || status >= 500;
    // A proxy or server may echo the request, Authorization header included: mask the body before
    // cutting it, so that no cut-off start of a secret is shown either.
    String masked = body == null ? "" : redactor.text(body.length() > 2000 ? body.substring(0, 2000) : body);
    String detail = masked.length() > 500 ? masked.substring(0, 500) + "…" : masked;
    return new TrackingException("MLflow server " + server() + " answered " + status + " to " + operation + ": " + detail, retryable);
  }

  private static void putKeyValues(ArrayNode array, Map<String, String> entries) {
    entries.forEach((k, v) -> array.addObject().put("key", k).put("value", v));
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  /** A run's {@code info} object; a missing status counts as RUNNING. */
  private static RemoteRun remote(JsonNode info) {
    String status = info.path("status").asText("RUNNING");
    boolean terminated = !status.equals("RUNNING") && !status.equals("SCHEDULED");
    return new RemoteRun(
        info.path("run_id").asText(),
        info.path("experiment_id").asText(),
        info.path("artifact_uri").asText(),
        terminated,
        info.path("end_time").asLong(0));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /**
   * Trusts every certificate and host name. An {@link X509ExtendedTrustManager}, so that the JDK
   * does not wrap it in one that still checks the host name.
   */
  private static SSLContext trustAll() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new X509ExtendedTrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot create an SSL context", e);
    }
  }

  /** Status and body of one HTTP answer. */
  private record Reply(int status, String body) {

    boolean ok() {
      return status >= 200 && status < 300;
    }
  }
}
