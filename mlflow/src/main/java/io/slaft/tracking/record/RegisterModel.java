package io.slaft.tracking.record;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableMap;
import io.slaft.tracking.RunRef;
import java.util.List;
import java.util.Map;

/**
 * Registration of the run's model as a version of registered model {@code name} (created if
 * missing), with source the run's {@code artifactPath}; on servers with logged models (MLflow 3.x)
 * a logged model linked to the run is created first, holding {@code files} (name → the tracker's
 * snapshot), and the version points to it. Idempotent by {@code (name, run)}.
 */
public record RegisterModel(String id, RunRef run, String name, String artifactPath, Map<String, String> files,
    Map<String, String> tags, String description) implements TrackingRecord {

  public RegisterModel {
    checkNotNull(id, "id must not be null");
    checkNotNull(run, "run must not be null");
    checkNotNull(name, "name must not be null");
    checkNotNull(artifactPath, "artifactPath must not be null");
    files = ImmutableMap.copyOf(files);
    tags = ImmutableMap.copyOf(tags);
    description = description == null ? "" : description;
  }

  @Override
  public List<String> localFiles() {
    return List.copyOf(files.values());
  }
}
