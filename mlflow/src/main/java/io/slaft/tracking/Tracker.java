package io.slaft.tracking;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Records runs, params, metrics, tags, dataset inputs and artifacts of experiments.
 *
 * <p><b>Threading.</b> Implementations are thread-safe: any number of threads may log to any
 * runs concurrently. Logging methods do not wait for the server; they validate their arguments,
 * enqueue a record and return (implementations may copy an artifact file before returning).
 * Records logged by one thread are delivered in the order they were logged (records spilled to
 * the spool because the in-memory queue was full are delivered later, which idempotency makes
 * harmless).
 *
 * <p><b>Idempotency.</b> A run is identified by its run key (tag {@value RunRef#RUN_KEY_TAG});
 * starting a run whose key already exists in the experiment continues that run. A metric point is
 * identified by {@code (run, key, step)}: logging it again adds nothing. Params are write-once,
 * tags and artifacts are overwritten, a dataset input is kept once per {@code (name, digest)}.
 *
 * <p><b>Errors.</b> Tracking never fails the caller because the server is down: records that
 * cannot be delivered after retries are appended to the spool directory and can be replayed later
 * ({@code slaft mlflow sync}). Logging methods throw {@link IllegalArgumentException} only for
 * invalid arguments (blank keys, unsafe artifact paths, missing files) and
 * {@link IllegalStateException} after {@link #close()}.
 *
 * <p><b>Secrets.</b> Values of params and tags whose keys look like secrets ({@code token},
 * {@code password}, …) and any occurrence of the configured credentials are stored as
 * {@value Redactor#REDACTED}.
 */
public interface Tracker extends AutoCloseable {

  /**
   * Starts the run described by {@code spec}, or continues the run with the same key. The
   * experiment is created if missing; a parent run is referenced by its key.
   */
  RunRef startRun(RunSpec spec);

  /** Logs params; values longer than MLflow's 6000 characters are truncated with a warning. */
  void logParams(RunRef run, Map<String, String> params);

  /** Logs metric points. */
  void logMetrics(RunRef run, List<MetricPoint> points);

  default void logMetric(RunRef run, String key, double value, long step, long timestampMillis) {
    logMetrics(run, List.of(new MetricPoint(key, value, step, timestampMillis)));
  }

  /** Sets tags; keys reserved by the tracker ({@value RunRef#RUN_KEY_TAG}) are refused. */
  void setTags(RunRef run, Map<String, String> tags);

  /** Records a dataset used by the run. */
  void logInput(RunRef run, DatasetInput input);

  /**
   * Uploads {@code localFile} to {@code artifactPath} (relative, {@code /}-separated, validated by
   * {@link ArtifactPaths#validate}) in the run's artifact root. The file is copied before this
   * method returns, so the caller may change or delete it afterwards.
   */
  void logArtifact(RunRef run, Path localFile, String artifactPath);

  /** Marks the run terminated. */
  void endRun(RunRef run, RunStatus status);

  /**
   * Registers the run's model (its files logged under {@code spec.artifactPath()}) as a new version
   * of {@code spec.name()} in the model registry, after every record logged before this call. On
   * MLflow 3.x servers the files are also logged as a logged model linked to the run (the run
   * page's "Logged models"), and the version points to it. Idempotent per run and model name.
   * The files are copied before this method returns.
   */
  void registerModel(RunRef run, ModelVersionSpec spec);

  /**
   * Points {@code alias} (e.g. {@code champion}) of registered model {@code name} at the version
   * registered from {@code run}, after every record logged before this call.
   */
  void setModelAlias(RunRef run, String name, String alias);

  /**
   * Waits until every record logged before this call has been delivered to the server or written
   * to the spool; when the tracker had fallen back to the spool and the server answers again,
   * the spooled records are delivered first. Never throws because the server is down.
   */
  TrackingStatus flush();

  /** Current counters, without waiting. */
  TrackingStatus status();

  /** The server's id of the run, once the tracker has resolved it (e.g. after {@link #flush()}). */
  Optional<String> remoteRunId(RunRef run);

  /** Flushes, then releases threads and connections. Idempotent. */
  @Override
  void close();
}
