package io.slaft.tracking.record;

import static com.google.common.base.Preconditions.checkNotNull;

import io.slaft.tracking.RunRef;
import io.slaft.tracking.RunStatus;

/** Marks the run terminated with {@code status}. */
public record EndRun(String id, RunRef run, RunStatus status, long endTimeMillis) implements TrackingRecord {

  public EndRun {
    checkNotNull(id, "id must not be null");
    checkNotNull(run, "run must not be null");
    checkNotNull(status, "status must not be null");
  }
}
