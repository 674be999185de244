package io.slaft.tracking.spool;

import static com.google.common.base.Preconditions.checkState;

import io.slaft.tracking.DatasetInput;
import io.slaft.tracking.MetricPoint;
import io.slaft.tracking.Redactor;
import io.slaft.tracking.RunRef;
import io.slaft.tracking.RunSpec;
import io.slaft.tracking.RunStatus;
import io.slaft.tracking.Tracker;
import io.slaft.tracking.TrackingStatus;
import io.slaft.tracking.record.RecordFactory;
import io.slaft.tracking.record.TrackingRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Tracker} for when no tracking server is configured: every record is appended to the
 * spool, synchronously, and can later be replayed with {@link SpoolReplayer} ({@code slaft mlflow
 * sync}). Thread-safe. {@link #remoteRunId} is always empty.
 */
public final class SpoolingTracker implements Tracker {

  private static final Logger LOG = LoggerFactory.getLogger(SpoolingTracker.class);

  private final Spool spool;
  private final RecordFactory records;
  private volatile boolean closed;

  public SpoolingTracker(Path spoolDir, Redactor redactor) {
    this.spool = Spool.open(spoolDir);
    this.records = new RecordFactory(redactor, spool::snapshot, System::currentTimeMillis);
    LOG.info("No MLflow tracking server configured: tracking records are spooled to {} "
        + "(replay them later with `slaft mlflow sync`)", spool.directory());
  }

  @Override
  public RunRef startRun(RunSpec spec) {
    append(records.startRun(spec));
    return spec.run();
  }

  @Override
  public void logParams(RunRef run, Map<String, String> params) {
    append(records.params(run, params));
  }

  @Override
  public void logMetrics(RunRef run, List<MetricPoint> points) {
    append(records.metrics(run, points));
  }

  @Override
  public void setTags(RunRef run, Map<String, String> tags) {
    append(records.tags(run, tags));
  }

  @Override
  public void logInput(RunRef run, DatasetInput input) {
    append(records.input(run, input));
  }

  @Override
  public void logArtifact(RunRef run, Path localFile, String artifactPath) {
    checkState(!closed, "tracker is closed");
    append(records.artifact(run, localFile, artifactPath));
  }

  @Override
  public void registerModel(RunRef run, io.slaft.tracking.ModelVersionSpec spec) {
    checkState(!closed, "tracker is closed");
    append(records.registerModel(run, spec));
  }

  @Override
  public void setModelAlias(RunRef run, String name, String alias) {
    append(records.modelAlias(run, name, alias));
  }

  @Override
  public void endRun(RunRef run, RunStatus status) {
    append(records.endRun(run, status));
  }

  @Override
  public TrackingStatus flush() {
    return status();
  }

  @Override
  public TrackingStatus status() {
    return new TrackingStatus(TrackingStatus.Mode.SPOOL_ONLY, 0, spool.appended(), 0, spool.directory(), null);
  }

  @Override
  public Optional<String> remoteRunId(RunRef run) {
    return Optional.empty();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    spool.close();
    LOG.info("Tracking records ({}) are in the spool {}; replay them with `slaft mlflow sync`", spool.appended(), spool.directory());
  }

  private void append(TrackingRecord record) {
    checkState(!closed, "tracker is closed");
    spool.append(List.of(record));
  }
}
