package io.slaft.tracking.record;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import io.slaft.tracking.ArtifactPaths;
import io.slaft.tracking.DatasetInput;
import io.slaft.tracking.MetricPoint;
import io.slaft.tracking.ModelVersionSpec;
import io.slaft.tracking.Redactor;
import io.slaft.tracking.RunRef;
import io.slaft.tracking.RunSpec;
import io.slaft.tracking.RunStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns tracker calls into validated, redacted records: the one place where arguments are checked,
 * secrets are masked (in param and tag values, run names and dataset inputs, by {@link Redactor};
 * artifact files are copied as they are), over-long values are truncated and artifact files are
 * copied. Record ids are
 * a random per-factory prefix plus a counter, unique across processes sharing a spool.
 * Thread-safe.
 */
public final class RecordFactory {

  /** MLflow's limit on param values. */
  public static final int MAX_PARAM_VALUE_LENGTH = 6000;
  /** MLflow's limit on tag values. */
  public static final int MAX_TAG_VALUE_LENGTH = 8000;
  /** MLflow's limit on param, metric and tag keys. */
  public static final int MAX_KEY_LENGTH = 250;

  private static final Logger LOG = LoggerFactory.getLogger(RecordFactory.class);

  private final Redactor redactor;
  private final BiFunction<Path, String, Path> snapshotter;
  private final LongSupplier clock;
  private final String idPrefix = UUID.randomUUID() + "-";
  private final java.util.concurrent.atomic.AtomicLong idCounter = new java.util.concurrent.atomic.AtomicLong();

  /**
   * @param snapshotter copies an artifact file for the record with the given id and returns the copy
   */
  public RecordFactory(Redactor redactor, BiFunction<Path, String, Path> snapshotter, LongSupplier clock) {
    this.redactor = checkNotNull(redactor);
    this.snapshotter = checkNotNull(snapshotter);
    this.clock = checkNotNull(clock);
  }

  public StartRun startRun(RunSpec spec) {
    checkNotNull(spec, "spec must not be null");
    RunSpec clean = new RunSpec(spec.run(), redactor.text(spec.runName()), spec.parent(), tagValues(spec.tags()));
    return new StartRun(newId(), clean, clock.getAsLong());
  }

  public LogParams params(RunRef run, Map<String, String> params) {
    checkNotNull(run, "run must not be null");
    checkNotNull(params, "params must not be null");
    Map<String, String> out = new LinkedHashMap<>(params.size() * 2);
    params.forEach((key, value) -> {
      checkKey("param", key);
      checkArgument(value != null, "param %s must not have a null value", key);
      String v = redactor.value(key, value);
      if (v.length() > MAX_PARAM_VALUE_LENGTH) {
        LOG.warn("Param '{}' is {} characters long; MLflow keeps at most {}, so it is truncated",
            key, v.length(), MAX_PARAM_VALUE_LENGTH);
        v = v.substring(0, MAX_PARAM_VALUE_LENGTH);
      }
      out.put(key, v);
    });
    return new LogParams(newId(), run, out);
  }

  public LogMetrics metrics(RunRef run, List<MetricPoint> points) {
    checkNotNull(run, "run must not be null");
    checkNotNull(points, "points must not be null");
    return new LogMetrics(newId(), run, points);
  }

  public SetTags tags(RunRef run, Map<String, String> tags) {
    checkNotNull(run, "run must not be null");
    checkNotNull(tags, "tags must not be null");
    checkArgument(!tags.containsKey(RunRef.RUN_KEY_TAG), "tag %s is reserved for the run key", RunRef.RUN_KEY_TAG);
    checkArgument(!tags.containsKey(RunSpec.PARENT_RUN_ID_TAG), "tag %s is set by startRun from the parent", RunSpec.PARENT_RUN_ID_TAG);
    return new SetTags(newId(), run, tagValues(tags));
  }

  public LogInput input(RunRef run, DatasetInput input) {
    checkNotNull(run, "run must not be null");
    checkNotNull(input, "input must not be null");
    DatasetInput clean = new DatasetInput(redactor.text(input.name()), input.digest(), input.sourceType(),
        redactor.text(input.source()), redactor.text(input.schema()), redactor.text(input.profile()), input.context());
    return new LogInput(newId(), run, clean);
  }

  public LogArtifact artifact(RunRef run, Path localFile, String artifactPath) {
    checkNotNull(run, "run must not be null");
    checkNotNull(localFile, "localFile must not be null");
    ArtifactPaths.validate(artifactPath);
    checkArgument(Files.isRegularFile(localFile), "artifact file %s does not exist or is not a regular file", localFile);
    String id = newId();
    Path copy = snapshotter.apply(localFile, id);
    long size;
    try {
      size = Files.size(copy);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new LogArtifact(id, run, copy.toString(), artifactPath, size);
  }

  /** A registration; the spec's files are snapshotted now, so the caller may delete them. */
  public RegisterModel registerModel(RunRef run, ModelVersionSpec spec) {
    checkNotNull(run, "run must not be null");
    checkNotNull(spec, "spec must not be null");
    String id = newId();
    Map<String, String> files = new LinkedHashMap<>();
    spec.files().forEach((name, file) -> {
      checkArgument(Files.isRegularFile(file), "model file %s does not exist or is not a regular file", file);
      files.put(name, snapshotter.apply(file, id).toString());
    });
    return new RegisterModel(id, run, spec.name(), spec.artifactPath(), files, tagValues(spec.tags()),
        redactor.text(spec.description()));
  }

  public SetModelAlias modelAlias(RunRef run, String name, String alias) {
    checkNotNull(run, "run must not be null");
    ModelVersionSpec.nameProblem(name).ifPresent(problem -> {
      throw new IllegalArgumentException(problem);
    });
    ModelVersionSpec.aliasProblem(alias).ifPresent(problem -> {
      throw new IllegalArgumentException(problem);
    });
    return new SetModelAlias(newId(), run, name, alias);
  }

  public EndRun endRun(RunRef run, RunStatus status) {
    checkNotNull(run, "run must not be null");
    checkNotNull(status, "status must not be null");
    return new EndRun(newId(), run, status, clock.getAsLong());
  }

  private Map<String, String> tagValues(Map<String, String> tags) {
    Map<String, String> out = new LinkedHashMap<>(tags.size() * 2);
    tags.forEach((key, value) -> {
      checkKey("tag", key);
      checkArgument(value != null, "tag %s must not have a null value", key);
      String v = redactor.value(key, value);
      if (v.length() > MAX_TAG_VALUE_LENGTH) {
        LOG.warn("Tag '{}' is {} characters long; MLflow keeps at most {}, so it is truncated", key, v.length(), MAX_TAG_VALUE_LENGTH);
        v = v.substring(0, MAX_TAG_VALUE_LENGTH);
      }
      out.put(key, v);
    });
    return out;
  }

  private static void checkKey(String kind, String key) {
    checkArgument(key != null && !key.isBlank(), "%s keys must not be blank", kind);
    checkArgument(key.length() <= MAX_KEY_LENGTH, "%s key must be at most %s characters: %s", kind, MAX_KEY_LENGTH, key);
  }

  private String newId() {
    return idPrefix + Long.toString(idCounter.incrementAndGet(), 36);
  }
}
