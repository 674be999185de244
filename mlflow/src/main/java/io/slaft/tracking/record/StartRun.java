package io.slaft.tracking.record;

import static com.google.common.base.Preconditions.checkNotNull;

import io.slaft.tracking.RunRef;
import io.slaft.tracking.RunSpec;

/** Find the run with this key in its experiment, or create it; set its name, parent and tags. */
public record StartRun(String id, RunSpec spec, long startTimeMillis) implements TrackingRecord {

  public StartRun {
    checkNotNull(id, "id must not be null");
    checkNotNull(spec, "spec must not be null");
  }

  @Override
  public RunRef run() {
    return spec.run();
  }
}
