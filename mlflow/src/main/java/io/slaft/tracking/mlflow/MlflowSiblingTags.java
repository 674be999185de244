package io.slaft.tracking.mlflow;

import io.slaft.tracking.RunRef;
import io.slaft.tracking.SiblingTags;
import io.slaft.tracking.TrackingConfig;
import io.slaft.tracking.TrackingException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link SiblingTags} on an MLflow server, over its REST API: {@link #put} finds the run by its run-key tag and
 * sets the tag ({@code runs/log-batch}); {@link #read} finds the parent run the same way and reads the tags of
 * its child runs ({@code runs/search} on {@code tags.mlflow.parentRunId}), so each read is one search however many
 * points the sweep has. Run ids are remembered once found. Thread-safe.
 */
public final class MlflowSiblingTags implements SiblingTags {
  private final MlflowRestApi api;
  private final String experiment;
  private final Map<String, String> runIds = new ConcurrentHashMap<>();
  private volatile String experimentId;

  private MlflowSiblingTags(MlflowRestApi api, String experiment) {
    this.api = api;
    this.experiment = experiment;
  }

  /** Tags of the runs of {@code config}'s experiment on its server; connects on first use. */
  public static MlflowSiblingTags connect(TrackingConfig config) {
    return new MlflowSiblingTags(new MlflowRestApi(config), config.experimentName());
  }

  @Override
  public void put(String runKey, String tag, String value) {
    api.logBatch(runId(runKey), List.of(), Map.of(), Map.of(tag, value));
  }

  @Override
  public Map<String, String> read(String parentRunKey, String tag) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map<String, String> tags : api.childRunTags(experimentId(), runId(parentRunKey))) {
      String key = tags.get(RunRef.RUN_KEY_TAG);
      String value = tags.get(tag);
      if (key != null && value != null) {
        out.put(key, value);
      }
    }
    return out;
  }

  private String runId(String runKey) {
    String id = runIds.get(runKey);
    if (id == null) {
      id = api.findRun(experimentId(), runKey)
          .orElseThrow(() -> new TrackingException("no run with key " + runKey + " on " + api.server() + " yet", true))
          .runId();
      runIds.put(runKey, id);
    }
    return id;
  }

  private String experimentId() {
    if (experimentId == null) {
      experimentId = api.experimentId(experiment);
    }
    return experimentId;
  }
}
