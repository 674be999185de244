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
      runs.get(remote.runId()).artifacts.put(artifactPath, Files.readAllBytes(file));
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
