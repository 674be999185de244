package io.slaft.tracking.record;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableMap;
import io.slaft.tracking.RunRef;
import java.util.Map;

/** Params of a run; MLflow params are write-once, so re-logging the same value is a no-op. */
public record LogParams(String id, RunRef run, Map<String, String> params) implements TrackingRecord {

  public LogParams {
    checkNotNull(id, "id must not be null");
    checkNotNull(run, "run must not be null");
    params = ImmutableMap.copyOf(params);
  }
}
