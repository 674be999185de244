package io.slaft.tracking.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slaft.tracking.DatasetInput;
import io.slaft.tracking.MetricPoint;
import io.slaft.tracking.RunRef;
import io.slaft.tracking.RunStatus;
import io.slaft.tracking.TrackingAuthException;
import io.slaft.tracking.TrackingConfig;
import io.slaft.tracking.TrackingException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * {@link MlflowApi} over {@code mlflow-client} 2.17.2 for experiments, runs, params, metrics and
 * tags, and over {@code java.net.http} for artifact uploads
 * ({@code PUT /api/2.0/mlflow-artifacts/artifacts/<exp>/<run>/artifacts/<path>}) and health
 * probes. Credentials come from the {@link TrackingConfig} and are sent only in the
 * {@code Authorization} header.
 */
final class MlflowRestApi implements MlflowApi {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ARTIFACT_SCHEME = "mlflow-artifacts";

  private final URI tracking;
  private final MlflowClient client;
  private final HttpClient http;
  private final Duration timeout;
  private final Optional<String> authorization;

  MlflowRestApi(TrackingConfig config) {
    this.tracking = config.tracking().orElseThrow(() -> new IllegalArgumentException("trackingUri is required for MLflow"));
    var creds = config.credentials();
    this.client = new MlflowClient(new BasicMlflowHostCreds(
        tracking.toString(),
        creds.username().orElse(null),
        creds.password().orElse(null),
        creds.token().orElse(null),
        config.insecureTls()));
    this.timeout = config.requestTimeout();
    this.authorization = creds.authorizationHeader();
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1);
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
    return call("get or create experiment '" + name + "'", () -> {
      Optional<Service.Experiment> existing = client.getExperimentByName(name);
      if (existing.isPresent()) {
        Service.Experiment exp = existing.get();
        if ("deleted".equals(exp.getLifecycleStage())) {
          client.restoreExperiment(exp.getExperimentId());
        }
        return exp.getExperimentId();
      }
      try {
        return client.createExperiment(name);
      } catch (MlflowHttpException e) {
        if (e.getStatusCode() == 400) {
          Optional<Service.Experiment> raced = client.getExperimentByName(name);
          if (raced.isPresent()) {
            return raced.get().getExperimentId();
          }
        }
        throw e;
      }
    });
  }

  @Override
  public Optional<RemoteRun> findRun(String experimentId, String runKey) {
    return call("search run " + runKey, () -> {
      String filter = "tags.\"" + RunRef.RUN_KEY_TAG + "\" = '" + runKey + "'";
      List<Service.Run> runs = client.searchRuns(List.of(experimentId), filter, Service.ViewType.ACTIVE_ONLY, 10).getItems();
      return runs.stream()
          .min(Comparator.comparingLong((Service.Run r) -> r.getInfo().getStartTime()).thenComparing(r -> r.getInfo().getRunId()))
          .map(r -> remote(r.getInfo()));
    });
  }

  @Override
  public RemoteRun createRun(String experimentId, String runName, long startTimeMillis, Map<String, String> tags) {
    return call("create run " + runName, () -> {
      Service.CreateRun.Builder request = Service.CreateRun.newBuilder()
          .setExperimentId(experimentId)
          .setRunName(runName)
          .setStartTime(startTimeMillis);
      tags.forEach((k, v) -> request.addTags(Service.RunTag.newBuilder().setKey(k).setValue(v)));
      return remote(client.createRun(request.build()));
    });
  }

  @Override
  public void reopenRun(String runId) {
    ObjectNode body = JSON.createObjectNode().put("run_id", runId).put("status", "RUNNING");
    call("reopen run " + runId, () -> client.sendPost("runs/update", body.toString()));
  }

  @Override
  public RunContents runContents(String runId) {
    return call("get run " + runId, () -> {
      Service.Run run = client.getRun(runId);
      Map<String, String> params = new LinkedHashMap<>();
      run.getData().getParamsList().forEach(p -> params.put(p.getKey(), p.getValue()));
      Set<String> keys = new HashSet<>();
      run.getData().getMetricsList().forEach(m -> keys.add(m.getKey()));
      return new RunContents(params, keys);
    });
  }

  @Override
  public void logBatch(String runId, List<MetricPoint> metrics, Map<String, String> params, Map<String, String> tags) {
    List<Service.Metric> m = new ArrayList<>(metrics.size());
    for (MetricPoint p : metrics) {
      m.add(Service.Metric.newBuilder().setKey(p.key()).setValue(p.value()).setStep(p.step()).setTimestamp(p.timestampMillis()).build());
    }
    List<Service.Param> ps = new ArrayList<>(params.size());
    params.forEach((k, v) -> ps.add(Service.Param.newBuilder().setKey(k).setValue(v).build()));
    List<Service.RunTag> ts = new ArrayList<>(tags.size());
    tags.forEach((k, v) -> ts.add(Service.RunTag.newBuilder().setKey(k).setValue(v).build()));
    call("log-batch to run " + runId, () -> {
      client.logBatch(runId, m, ps, ts);
      return null;
    });
  }

  @Override
  public Set<Long> metricSteps(String runId, String key) {
    return call("get metric history " + key, () -> {
      Set<Long> steps = new HashSet<>();
      String token = null;
      do {
        String path = "metrics/get-history?run_id=" + enc(runId) + "&metric_key=" + enc(key) + "&max_results=25000"
            + (token == null ? "" : "&page_token=" + enc(token));
        JsonNode page = parse(client.sendGet(path));
        for (JsonNode metric : page.path("metrics")) {
          steps.add(metric.path("step").asLong(0));
        }
        token = page.path("next_page_token").asText("");
        token = token.isEmpty() ? null : token;
      } while (token != null);
      return steps;
    });
  }

  @Override
  public void logInputs(String runId, List<DatasetInput> inputs) {
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
    call("log-inputs to run " + runId, () -> client.sendPost("runs/log-inputs", body.toString()));
  }

  @Override
  public void uploadArtifact(RemoteRun run, Path file, String artifactPath) {
    URI target = artifactUrl(run, artifactPath);
    HttpRequest.Builder request;
    try {
      request = HttpRequest.newBuilder(target)
          .timeout(timeout)
          .header("Content-Type", "application/octet-stream")
          .PUT(HttpRequest.BodyPublishers.ofFile(file));
    } catch (java.io.FileNotFoundException e) {
      throw new TrackingException("artifact copy " + file + " is missing; it cannot be uploaded", false, e);
    }
    authorization.ifPresent(a -> request.header("Authorization", a));
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new TrackingException("cannot reach MLflow server " + server() + " to upload " + artifactPath + ": " + e, true, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrackingException("interrupted while uploading " + artifactPath, true, e);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return;
    }
    throw httpError("upload of artifact " + artifactPath, status, response.body());
  }

  @Override
  public void endRun(String runId, RunStatus status, long endTimeMillis) {
    call("end run " + runId, () -> {
      client.setTerminated(runId, Service.RunStatus.valueOf(status.name()), endTimeMillis);
      return null;
    });
  }

  @Override
  public boolean healthy() {
    HttpRequest request = HttpRequest.newBuilder(URI.create(tracking + "/health"))
        .timeout(timeout.compareTo(Duration.ofSeconds(3)) < 0 ? timeout : Duration.ofSeconds(3))
        .GET()
        .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    client.close();
  }

  URI artifactUrl(RemoteRun run, String artifactPath) {
    URI root = URI.create(run.artifactUri());
    if (!ARTIFACT_SCHEME.equals(root.getScheme())) {
      throw new TrackingException("MLflow server " + server() + " does not serve artifacts (run artifact root is "
          + run.artifactUri() + "); start it with --serve-artifacts (mlflow/bin/mlflow-server does)", false);
    }
    StringBuilder url = new StringBuilder(tracking.toString()).append("/api/2.0/mlflow-artifacts/artifacts");
    String rootPath = root.getPath() == null ? "" : root.getPath();
    for (String segment : (rootPath + "/" + artifactPath).split("/")) {
      if (!segment.isEmpty()) {
        url.append('/').append(enc(segment).replace("+", "%20"));
      }
    }
    return URI.create(url.toString());
  }

  private <T> T call(String operation, Supplier<T> body) {
    try {
      return body.get();
    } catch (MlflowHttpException e) {
      throw httpError(operation, e.getStatusCode(), e.getBodyMessage());
    } catch (MlflowClientException e) {
      throw new TrackingException("cannot reach MLflow server " + server() + " for " + operation + ": " + rootCause(e), true, e);
    }
  }

  private TrackingException httpError(String operation, int status, String body) {
    if (status == 401 || status == 403) {
      return new TrackingAuthException(server(), status, operation);
    }
    boolean retryable = status == 429 || status >= 500;
    String detail = body == null ? "" : body.length() > 500 ? body.substring(0, 500) + "…" : body;
    return new TrackingException("MLflow server " + server() + " answered " + status + " to " + operation + ": " + detail, retryable);
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  private static RemoteRun remote(Service.RunInfo info) {
    boolean terminated = info.getStatus() != Service.RunStatus.RUNNING && info.getStatus() != Service.RunStatus.SCHEDULED;
    return new RemoteRun(info.getRunId(), info.getExperimentId(), info.getArtifactUri(), terminated, info.getEndTime());
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new TrackingException("unparsable answer from MLflow server: " + e.getMessage(), true, e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static SSLContext trustAll() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

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
}
