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

  /** Whether {@code /health} answers within the request timeout; never throws. */
  boolean healthy();

  @Override
  void close();

  /** Server-side identity of a run; {@code endTimeMillis} is 0 while it runs. */
  record RemoteRun(String runId, String experimentId, String artifactUri, boolean terminated, long endTimeMillis) {}

  /** What a run already holds. */
  record RunContents(Map<String, String> params, Set<String> metricKeys) {}
}
