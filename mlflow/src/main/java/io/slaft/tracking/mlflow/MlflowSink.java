package io.slaft.tracking.mlflow;

import io.slaft.tracking.MetricPoint;
import io.slaft.tracking.RunRef;
import io.slaft.tracking.RunSpec;
import io.slaft.tracking.TrackingException;
import io.slaft.tracking.mlflow.MlflowApi.RemoteRun;
import io.slaft.tracking.mlflow.MlflowApi.RunContents;
import io.slaft.tracking.record.EndRun;
import io.slaft.tracking.record.LogArtifact;
import io.slaft.tracking.record.LogInput;
import io.slaft.tracking.record.LogMetrics;
import io.slaft.tracking.record.LogParams;
import io.slaft.tracking.record.RecordSink;
import io.slaft.tracking.record.RegisterModel;
import io.slaft.tracking.record.SetModelAlias;
import io.slaft.tracking.record.SetTags;
import io.slaft.tracking.record.StartRun;
import io.slaft.tracking.record.TrackingRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies records to an MLflow server through {@link MlflowApi}, idempotently.
 *
 * <p>Runs are resolved by run key (search, else create with the key tag, so a create whose answer
 * was lost is found on the next attempt). Consecutive params, tags and metrics of one run are
 * merged and sent as {@link LogBatchPlanner} requests. A ledger per run holds the params and the
 * metric steps the server is known to have: for a run that existed before, the params and metric
 * keys are read once and a key's history is read the first time that key is logged; after a
 * failed request the histories of its keys are read again. Points whose {@code (key, step)} is
 * already there, and params already set to the same value, are skipped; a param already set to a
 * different value is dropped with a warning (MLflow params are immutable). Starting a run that has
 * already ended reopens it only if the start is later than its end, so replaying an old spooled
 * start does not reopen a finished run.
 *
 * <p>Not thread-safe: one worker thread delivers; {@link #remoteRunId} may be read from any thread.
 */
final class MlflowSink implements RecordSink {

  private static final Logger LOG = LoggerFactory.getLogger(MlflowSink.class);

  private final MlflowApi api;
  private final Map<String, String> experiments = new HashMap<>();
  private final ConcurrentHashMap<RunRef, RemoteRun> runs = new ConcurrentHashMap<>();
  private final Map<RunRef, StartRun> starts = new HashMap<>();
  private final Map<String, Ledger> ledgers = new HashMap<>();
  private long skippedPoints;
  private long droppedParams;

  MlflowSink(MlflowApi api) {
    this.api = api;
  }

  Optional<String> remoteRunId(RunRef run) {
    return Optional.ofNullable(runs.get(run)).map(RemoteRun::runId);
  }

  /** Metric points not sent because the server already had their {@code (key, step)}. */
  long skippedPoints() {
    return skippedPoints;
  }

  /** Params not sent because the run already had a different value. */
  long droppedParams() {
    return droppedParams;
  }

  @Override
  public void deliver(List<TrackingRecord> records) {
    try {
      Pending pending = null;
      for (TrackingRecord record : records) {
        boolean batchable = record instanceof LogMetrics || record instanceof LogParams || record instanceof SetTags;
        if (pending != null && (!batchable || !pending.run.equals(record.run()))) {
          send(pending);
          pending = null;
        }
        if (batchable) {
          if (pending == null) {
            pending = new Pending(record.run());
          }
          pending.add(record);
        } else {
          apply(record);
        }
      }
      if (pending != null) {
        send(pending);
      }
    } catch (TrackingException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new TrackingException("unexpected error while delivering to MLflow: " + e, false, e);
    }
  }

  private void apply(TrackingRecord record) {
    if (record instanceof StartRun start) {
      applyStart(start);
    } else if (record instanceof LogInput input) {
      api.logInputs(resolve(input.run()).runId(), List.of(input.input()));
    } else if (record instanceof LogArtifact artifact) {
      api.uploadArtifact(resolve(artifact.run()), Path.of(artifact.localFile()), artifact.artifactPath());
    } else if (record instanceof EndRun end) {
      RemoteRun run = resolve(end.run());
      api.endRun(run.runId(), end.status(), end.endTimeMillis());
      runs.put(end.run(), new RemoteRun(run.runId(), run.experimentId(), run.artifactUri(), true, end.endTimeMillis()));
    } else if (record instanceof RegisterModel registration) {
      applyRegistration(registration);
    } else if (record instanceof SetModelAlias alias) {
      RemoteRun run = existing(alias.run()).orElseThrow(() -> new TrackingException("no run with key " + alias.run().runKey()
          + " in experiment '" + alias.run().experiment() + "', so alias @" + alias.alias() + " of '" + alias.name()
          + "' has no version to point at", false));
      MlflowApi.ModelVersion version = api.modelVersionOfRun(alias.name(), run.runId()).orElseThrow(() -> new TrackingException(
          "no version of registered model '" + alias.name() + "' was registered from run " + alias.run().runKey()
              + ", so alias @" + alias.alias() + " cannot point at it", false));
      api.setModelAlias(alias.name(), alias.alias(), version.version());
    } else {
      throw new IllegalStateException("not applied here: " + record.getClass().getSimpleName());
    }
  }

  /**
   * One version per (model, run): an existing one ends the registration. On a server with logged
   * models, the run's logged model of that name is found or created, filled and set READY (a
   * READY one is not uploaded again), and the version's source is {@code models:/<model id>} as
   * MLflow 3's own clients register it; otherwise the source is the run's artifact path.
   */
  private void applyRegistration(RegisterModel registration) {
    RemoteRun run = resolve(registration.run());
    api.ensureRegisteredModel(registration.name());
    if (api.modelVersionOfRun(registration.name(), run.runId()).isPresent()) {
      return;
    }
    String source = run.artifactUri() + "/" + registration.artifactPath();
    String modelId = null;
    if (api.supportsLoggedModels()) {
      MlflowApi.LoggedModel model = api.findLoggedModel(run.experimentId(), run.runId(), registration.name())
          .orElseGet(() -> api.createLoggedModel(run.experimentId(), registration.name(), run.runId(), registration.tags()));
      if (!MlflowApi.LoggedModel.READY.equals(model.status())) {
        registration.files().forEach((name, local) -> api.uploadArtifact(model.artifactUri(), Path.of(local), name));
        api.finishLoggedModel(model.modelId(), run.runId());
      }
      modelId = model.modelId();
      source = "models:/" + modelId;
    }
    api.createModelVersion(registration.name(), source, run.runId(), registration.tags(), registration.description(), modelId);
  }

  private void applyStart(StartRun start) {
    RunRef ref = start.run();
    starts.put(ref, start);
    boolean known = runs.containsKey(ref);
    RemoteRun run = resolve(ref);
    if (!known && ledgers.get(run.runId()).fresh) {
      return;
    }
    Map<String, String> tags = new LinkedHashMap<>(start.spec().tags());
    tags.put("mlflow.runName", start.spec().runName());
    if (start.spec().parent() != null) {
      tags.put(RunSpec.PARENT_RUN_ID_TAG, resolve(start.spec().parent()).runId());
    }
    api.logBatch(run.runId(), List.of(), Map.of(), tags);
    if (run.terminated() && start.startTimeMillis() > run.endTimeMillis()) {
      api.reopenRun(run.runId());
      runs.put(ref, new RemoteRun(run.runId(), run.experimentId(), run.artifactUri(), false, 0));
      LOG.info("Continuing MLflow run {} (run key {}) of experiment '{}'", run.runId(), ref.runKey(), ref.experiment());
    }
  }

  /** The run of {@code ref} if this sink or the server knows it; never creates one (an alias must not invent a run). */
  private Optional<RemoteRun> existing(RunRef ref) {
    RemoteRun known = runs.get(ref);
    if (known != null) {
      return Optional.of(known);
    }
    String experimentId = experiments.computeIfAbsent(ref.experiment(), api::experimentId);
    Optional<RemoteRun> found = api.findRun(experimentId, ref.runKey());
    found.ifPresent(run -> {
      ledgers.put(run.runId(), Ledger.continued(api.runContents(run.runId())));
      runs.put(ref, run);
    });
    return found;
  }

  private RemoteRun resolve(RunRef ref) {
    Optional<RemoteRun> found = existing(ref);
    if (found.isPresent()) {
      return found.get();
    }
    String experimentId = experiments.computeIfAbsent(ref.experiment(), api::experimentId);
    StartRun start = starts.get(ref);
    Map<String, String> tags = new LinkedHashMap<>();
    String name = ref.runKey();
    long startTime = System.currentTimeMillis();
    if (start != null) {
      tags.putAll(start.spec().tags());
      name = start.spec().runName();
      startTime = start.startTimeMillis();
      if (start.spec().parent() != null) {
        tags.put(RunSpec.PARENT_RUN_ID_TAG, resolve(start.spec().parent()).runId());
      }
    }
    tags.put(RunRef.RUN_KEY_TAG, ref.runKey());
    RemoteRun run = api.createRun(experimentId, name, startTime, tags);
    ledgers.put(run.runId(), Ledger.fresh());
    runs.put(ref, run);
    return run;
  }

  private void send(Pending pending) {
    RemoteRun run = resolve(pending.run);
    Ledger ledger = ledgers.get(run.runId());
    Map<String, String> params = new LinkedHashMap<>();
    pending.params.forEach((k, v) -> {
      String existing = ledger.params.get(k);
      if (existing == null) {
        params.put(k, v);
      } else if (!existing.equals(v)) {
        droppedParams++;
        LOG.warn("Param '{}' of run {} is already '{}' on the server; MLflow params are immutable, so the new value is dropped",
            k, pending.run.runKey(), abbreviate(existing));
      }
    });
    List<MetricPoint> metrics = new ArrayList<>(pending.metrics.size());
    for (MetricPoint p : pending.metrics) {
      if (ledger.steps(p.key(), run.runId(), api).contains(p.step())) {
        skippedPoints++;
      } else {
        metrics.add(p);
      }
    }
    for (LogBatchPlanner.Request request : LogBatchPlanner.plan(metrics, params, pending.tags)) {
      try {
        api.logBatch(run.runId(), request.metrics(), request.params(), request.tags());
      } catch (TrackingException e) {
        for (MetricPoint p : request.metrics()) {
          ledger.forget(p.key());
        }
        throw e;
      }
      ledger.params.putAll(request.params());
      for (MetricPoint p : request.metrics()) {
        ledger.steps.get(p.key()).add(p.step());
      }
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }

  /** Params, tags and metric points of one run, merged; a repeated {@code (key, step)} keeps its first point. */
  private static final class Pending {
    final RunRef run;
    final Map<String, String> params = new LinkedHashMap<>();
    final Map<String, String> tags = new LinkedHashMap<>();
    final List<MetricPoint> metrics = new ArrayList<>();
    final Map<String, Set<Long>> seen = new HashMap<>();

    Pending(RunRef run) {
      this.run = run;
    }

    void add(TrackingRecord record) {
      if (record instanceof LogParams p) {
        params.putAll(p.params());
      } else if (record instanceof SetTags t) {
        tags.putAll(t.tags());
      } else if (record instanceof LogMetrics m) {
        for (MetricPoint point : m.points()) {
          if (seen.computeIfAbsent(point.key(), k -> new HashSet<>()).add(point.step())) {
            metrics.add(point);
          }
        }
      }
    }
  }

  /** What the server is known to hold for one run. */
  private static final class Ledger {
    final boolean fresh;
    final Map<String, String> params;
    final Set<String> unreadKeys;
    final Map<String, Set<Long>> steps = new HashMap<>();

    private Ledger(boolean fresh, Map<String, String> params, Set<String> unreadKeys) {
      this.fresh = fresh;
      this.params = params;
      this.unreadKeys = unreadKeys;
    }

    static Ledger fresh() {
      return new Ledger(true, new HashMap<>(), new HashSet<>());
    }

    static Ledger continued(RunContents contents) {
      return new Ledger(false, new HashMap<>(contents.params()), new HashSet<>(contents.metricKeys()));
    }

    Set<Long> steps(String key, String runId, MlflowApi api) {
      Set<Long> known = steps.get(key);
      if (known != null) {
        return known;
      }
      Set<Long> loaded = unreadKeys.contains(key) ? new HashSet<>(api.metricSteps(runId, key)) : new HashSet<>();
      unreadKeys.remove(key);
      steps.put(key, loaded);
      return loaded;
    }

    void forget(String key) {
      steps.remove(key);
      unreadKeys.add(key);
    }
  }
}
