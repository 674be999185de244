package io.slaft.tracking.record;

import static com.google.common.base.Preconditions.checkNotNull;

import io.slaft.tracking.DatasetInput;
import io.slaft.tracking.RunRef;

/** A dataset input of a run; the server keeps one input per {@code (name, digest)} and run. */
public record LogInput(String id, RunRef run, DatasetInput input) implements TrackingRecord {

  public LogInput {
    checkNotNull(id, "id must not be null");
    checkNotNull(run, "run must not be null");
    checkNotNull(input, "input must not be null");
  }
}
