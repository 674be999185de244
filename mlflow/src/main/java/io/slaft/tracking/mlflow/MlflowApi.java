package io.slaft.tracking.mlflow;

import io.slaft.tracking.DatasetInput;
import io.slaft.tracking.MetricPoint;
import io.slaft.tracking.RunStatus;
import io.slaft.tracking.TrackingException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The MLflow operations slaft needs, one REST call (or one page loop) each. Every method returns
 * or throws within the configured timeouts, and throws {@link TrackingException} (retryable for
 * connection errors, timeouts, 5xx and 429; {@link io.slaft.tracking.TrackingAuthException} for
 * 401/403). Implementations are not required to be thread-safe: one worker thread uses them.
 */
interface MlflowApi extends AutoCloseable {

  /** Display form of the server, e.g. {@code http://127.0.0.1:5000}; contains no credentials. */
  String server();

  /** Id of the experiment named {@code name}, created if missing. */
  String experimentId(String name);

  /** The active run tagged with {@code runKey} in the experiment, if any. */
  Optional<RemoteRun> findRun(String experimentId, String runKey);

  RemoteRun createRun(String experimentId, String runName, long startTimeMillis, Map<String, String> tags);

  /** Sets a terminated run back to RUNNING. */
  void reopenRun(String runId);

  /** Params already on the run and the keys of metrics that have at least one point. */
  RunContents runContents(String runId);

  /** One {@code runs/log-batch} call; the caller keeps it within MLflow's limits. */
  void logBatch(String runId, List<MetricPoint> metrics, Map<String, String> params, Map<String, String> tags);

  /** Steps at which {@code key} has points on the server (all pages of the history). */
  Set<Long> metricSteps(String runId, String key);

  void logInputs(String runId, List<DatasetInput> inputs);

  void uploadArtifact(RemoteRun run, Path file, String artifactPath);

  void endRun(String runId, RunStatus status, long endTimeMillis);

  /** Uploads {@code file} to {@code path} under an artifact root ({@code mlflow-artifacts:/…}). */
  void uploadArtifact(String artifactRoot, Path file, String path);

  /** Files and directories directly under {@code path} of an artifact root. */
  List<ArtifactFile> listArtifacts(String artifactRoot, String path);

  /** Downloads {@code path} of an artifact root to {@code target}. */
  void downloadArtifact(String artifactRoot, String path, Path target);

  /** Creates registered model {@code name} unless it exists. */
  void ensureRegisteredModel(String name);

  /** The version of registered model {@code name} created from run {@code runId}, if any. */
  Optional<ModelVersion> modelVersionOfRun(String name, String runId);

  /** Creates a version of {@code name}; {@code modelId} (a logged model) may be null. */
  ModelVersion createModelVersion(String name, String source, String runId, Map<String, String> tags, String description,
      String modelId);

  /** {@code models/get}: version {@code version} of {@code name}. */
  ModelVersion modelVersion(String name, String version);

  /** The version alias {@code alias} of {@code name} points at. */
  ModelVersion modelVersionByAlias(String name, String alias);

  void setModelAlias(String name, String alias, String version);

  /**
   * The logged model named {@code name} whose source run is {@code runId}; empty also when the
   * server has no logged models (MLflow 2.x), which {@link #supportsLoggedModels()} tells.
   */
  Optional<LoggedModel> findLoggedModel(String experimentId, String runId, String name);

  /** Whether the server has logged models (MLflow 3.x); asked once, then remembered. */
  boolean supportsLoggedModels();

  LoggedModel createLoggedModel(String experimentId, String name, String runId, Map<String, String> tags);

  LoggedModel loggedModel(String modelId);

  /** Sets a logged model READY and records it as an output of {@code runId}. */
  void finishLoggedModel(String modelId, String runId);

  /** Whether {@code /health} answers within the request timeout; never throws. */
  boolean healthy();

  @Override
  void close();

  /** Server-side identity of a run; {@code endTimeMillis} is 0 while it runs. */
  record RemoteRun(String runId, String experimentId, String artifactUri, boolean terminated, long endTimeMillis) {}

  /** A registry version: its number, source, run and (3.x) logged model id (empty when none). */
  record ModelVersion(String name, String version, String source, String runId, String modelId) {}

  /** A logged model (MLflow 3.x) and the root of its files. */
  record LoggedModel(String modelId, String artifactUri, String status) {
    /** Status of a logged model whose files are complete. */
    static final String READY = "LOGGED_MODEL_READY";
  }

  /** One entry of an artifact listing; {@code path} is relative to the listed root. */
  record ArtifactFile(String path, boolean directory, long size) {}

  /** What a run already holds. */
  record RunContents(Map<String, String> params, Set<String> metricKeys) {}
}
