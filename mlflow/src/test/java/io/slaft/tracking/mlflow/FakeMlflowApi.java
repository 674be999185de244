package io.slaft.tracking.mlflow;

import io.slaft.tracking.DatasetInput;
import io.slaft.tracking.MetricPoint;
import io.slaft.tracking.RunRef;
import io.slaft.tracking.RunStatus;
import io.slaft.tracking.TrackingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** In-memory MLflow with MLflow's validation rules and injectable failures. Synchronized. */
final class FakeMlflowApi implements MlflowApi {

  /** Decides, per operation, whether it fails; {@code applied} tells if the failure comes after the effect. */
  interface Faults {
    TrackingException before(String operation);

    default TrackingException after(String operation) {
      return null;
    }
  }

  static final class Run {
    final String id;
    final String experimentId;
    final Map<String, String> tags = new LinkedHashMap<>();
    final Map<String, String> params = new LinkedHashMap<>();
    final List<MetricPoint> metrics = new ArrayList<>();
    final List<DatasetInput> inputs = new ArrayList<>();
    final Map<String, byte[]> artifacts = new LinkedHashMap<>();
    String name;
    RunStatus status;
    long endTime;

    Run(String id, String experimentId) {
      this.id = id;
      this.experimentId = experimentId;
    }
  }

  final Map<String, String> experiments = new LinkedHashMap<>();
  final Map<String, Run> runs = new LinkedHashMap<>();
  final List<String> calls = new CopyOnWriteArrayList<>();
  final List<Integer> batchSizes = new ArrayList<>();
  volatile Faults faults = op -> null;
  volatile boolean healthy = true;
  boolean closed;

  @Override
  public String server() {
    return "fake://mlflow";
  }

  private void check(String op) {
    calls.add(op);
    TrackingException e = faults.before(op);
    if (e != null) {
      throw e;
    }
  }

  private void checkAfter(String op) {
    TrackingException e = faults.after(op);
    if (e != null) {
      throw e;
    }
  }

  @Override
  public synchronized String experimentId(String name) {
    check("experimentId");
    return experiments.computeIfAbsent(name, n -> Integer.toString(experiments.size() + 1));
  }

  @Override
  public synchronized Optional<RemoteRun> findRun(String experimentId, String runKey) {
    check("findRun");
    return runs.values().stream()
        .filter(r -> r.experimentId.equals(experimentId) && runKey.equals(r.tags.get(RunRef.RUN_KEY_TAG)))
        .findFirst()
        .map(this::remote);
  }

  @Override
  public synchronized RemoteRun createRun(String experimentId, String runName, long startTimeMillis, Map<String, String> tags) {
    check("createRun");
    Run run = new Run("run" + (runs.size() + 1), experimentId);
    run.name = runName;
    run.tags.putAll(tags);
    runs.put(run.id, run);
    checkAfter("createRun");
    return remote(run);
  }

  @Override
  public synchronized void reopenRun(String runId) {
    check("reopenRun");
    runs.get(runId).status = null;
    runs.get(runId).endTime = 0;
  }

  @Override
  public synchronized RunContents runContents(String runId) {
    check("runContents");
    Run run = runs.get(runId);
    return new RunContents(Map.copyOf(run.params), run.metrics.stream().map(MetricPoint::key).collect(Collectors.toSet()));
  }

  @Override
  public synchronized void logBatch(String runId, List<MetricPoint> metrics, Map<String, String> params, Map<String, String> tags) {
    check("logBatch");
    if (metrics.size() > 1000 || params.size() > 100 || tags.size() > 100 || metrics.size() + params.size() + tags.size() > 1000) {
      throw new TrackingException("log-batch over limits: " + metrics.size() + "/" + params.size() + "/" + tags.size(), false);
    }
    Run run = runs.get(runId);
    for (Map.Entry<String, String> p : params.entrySet()) {
      String old = run.params.get(p.getKey());
      if (old != null && !old.equals(p.getValue())) {
        throw new TrackingException("param " + p.getKey() + " changed", false);
      }
    }
    run.params.putAll(params);
    run.tags.putAll(tags);
    if (tags.containsKey("mlflow.runName")) {
      run.name = tags.get("mlflow.runName");
    }
    run.metrics.addAll(metrics);
    batchSizes.add(metrics.size() + params.size() + tags.size());
    checkAfter("logBatch");
  }

  @Override
  public synchronized Set<Long> metricSteps(String runId, String key) {
    check("metricSteps");
    return runs.get(runId).metrics.stream().filter(m -> m.key().equals(key)).map(MetricPoint::step).collect(Collectors.toSet());
  }

  @Override
  public synchronized void logInputs(String runId, List<DatasetInput> inputs) {
    check("logInputs");
    Run run = runs.get(runId);
    for (DatasetInput in : inputs) {
      boolean present = run.inputs.stream().anyMatch(i -> i.name().equals(in.name()) && i.digest().equals(in.digest()));
      if (!present) {
        run.inputs.add(in);
      }
    }
  }

  @Override
  public synchronized void uploadArtifact(RemoteRun remote, Path file, String artifactPath) {
    check("uploadArtifact");
    try {
      byte[] bytes = Files.readAllBytes(file);
      runs.get(remote.runId()).artifacts.put(artifactPath, bytes);
      files.put(remote(runs.get(remote.runId())).artifactUri() + "/" + artifactPath, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void endRun(String runId, RunStatus status, long endTimeMillis) {
    check("endRun");
    runs.get(runId).status = status;
    runs.get(runId).endTime = endTimeMillis;
  }

  /** Artifact files by full artifact URI ({@code root/path}), for runs and logged models alike. */
  final Map<String, byte[]> files = new LinkedHashMap<>();
  final Map<String, List<ModelVersion>> registered = new LinkedHashMap<>();
  final Map<String, String> aliases = new LinkedHashMap<>();
  final Map<String, LoggedModel> loggedModels = new LinkedHashMap<>();
  final Map<String, String> loggedModelRuns = new LinkedHashMap<>();
  final Map<String, List<String>> runOutputs = new LinkedHashMap<>();
  final Map<String, Map<String, String>> versionTags = new LinkedHashMap<>();
  volatile boolean hasLoggedModels = true;

  @Override
  public synchronized void uploadArtifact(String artifactRoot, Path file, String path) {
    check("uploadArtifact");
    try {
      files.put(artifactRoot + "/" + path, Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized List<ArtifactFile> listArtifacts(String artifactRoot, String path) {
    check("listArtifacts");
    String prefix = artifactRoot + "/" + (path.isEmpty() ? "" : path + "/");
    List<ArtifactFile> out = new ArrayList<>();
    files.forEach((uri, bytes) -> {
      if (uri.startsWith(prefix) && !uri.substring(prefix.length()).contains("/")) {
        out.add(new ArtifactFile(uri.substring(artifactRoot.length() + 1), false, bytes.length));
      }
    });
    return out;
  }

  @Override
  public synchronized void downloadArtifact(String artifactRoot, String path, Path target) {
    check("downloadArtifact");
    byte[] bytes = files.get(artifactRoot + "/" + path);
    if (bytes == null) {
      throw new TrackingException("no artifact " + artifactRoot + "/" + path, false);
    }
    try {
      Files.write(target, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void ensureRegisteredModel(String name) {
    check("ensureRegisteredModel");
    registered.computeIfAbsent(name, n -> new ArrayList<>());
  }

  @Override
  public synchronized Optional<ModelVersion> modelVersionOfRun(String name, String runId) {
    check("modelVersionOfRun");
    return registered.getOrDefault(name, List.of()).stream().filter(v -> v.runId().equals(runId)).findFirst();
  }

  @Override
  public synchronized ModelVersion createModelVersion(String name, String source, String runId, Map<String, String> tags,
      String description, String modelId) {
    check("createModelVersion");
    List<ModelVersion> versions = registered.get(name);
    if (versions == null) {
      throw new TrackingException("RESOURCE_DOES_NOT_EXIST: registered model " + name, false);
    }
    ModelVersion v = new ModelVersion(name, Integer.toString(versions.size() + 1), source, runId, modelId == null ? "" : modelId);
    versions.add(v);
    versionTags.put(name + "/" + v.version(), Map.copyOf(tags));
    checkAfter("createModelVersion");
    return v;
  }

  @Override
  public synchronized ModelVersion modelVersion(String name, String version) {
    check("modelVersion");
    return registered.getOrDefault(name, List.of()).stream().filter(v -> v.version().equals(version)).findFirst()
        .orElseThrow(() -> new TrackingException("RESOURCE_DOES_NOT_EXIST: version " + version + " of " + name, false));
  }

  @Override
  public synchronized ModelVersion modelVersionByAlias(String name, String alias) {
    check("modelVersionByAlias");
    String version = aliases.get(name + "@" + alias);
    if (version == null) {
      throw new TrackingException("RESOURCE_DOES_NOT_EXIST: alias " + alias + " of " + name, false);
    }
    return modelVersion(name, version);
  }

  @Override
  public synchronized void setModelAlias(String name, String alias, String version) {
    check("setModelAlias");
    aliases.put(name + "@" + alias, version);
  }

  @Override
  public synchronized Optional<LoggedModel> findLoggedModel(String experimentId, String runId, String name) {
    check("findLoggedModel");
    return loggedModels.values().stream()
        .filter(m -> runId.equals(loggedModelRuns.get(m.modelId())) && m.artifactUri().contains("/" + name + "-")).findFirst();
  }

  @Override
  public boolean supportsLoggedModels() {
    return hasLoggedModels;
  }

  @Override
  public synchronized LoggedModel createLoggedModel(String experimentId, String name, String runId, Map<String, String> tags) {
    check("createLoggedModel");
    String id = "m-" + (loggedModels.size() + 1);
    LoggedModel m = new LoggedModel(id, "mlflow-artifacts:/" + experimentId + "/models/" + name + "-" + id + "/artifacts",
        "LOGGED_MODEL_PENDING");
    loggedModels.put(id, m);
    loggedModelRuns.put(id, runId);
    return m;
  }

  @Override
  public synchronized LoggedModel loggedModel(String modelId) {
    check("loggedModel");
    return loggedModels.get(modelId);
  }

  @Override
  public synchronized void finishLoggedModel(String modelId, String runId) {
    check("finishLoggedModel");
    LoggedModel m = loggedModels.get(modelId);
    loggedModels.put(modelId, new LoggedModel(modelId, m.artifactUri(), LoggedModel.READY));
    runOutputs.computeIfAbsent(runId, r -> new ArrayList<>()).add(modelId);
  }

  @Override
  public boolean healthy() {
    return healthy;
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  synchronized Run runByKey(String key) {
    return runs.values().stream().filter(r -> key.equals(r.tags.get(RunRef.RUN_KEY_TAG))).findFirst().orElseThrow();
  }

  synchronized List<MetricPoint> points(String runKey, String metric) {
    return runByKey(runKey).metrics.stream().filter(m -> m.key().equals(metric)).toList();
  }

  private RemoteRun remote(Run run) {
    return new RemoteRun(run.id, run.experimentId, "mlflow-artifacts:/" + run.experimentId + "/" + run.id + "/artifacts",
        run.status != null, run.endTime);
  }
}
