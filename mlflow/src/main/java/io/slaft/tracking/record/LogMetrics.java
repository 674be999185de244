package io.slaft.tracking.record;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import io.slaft.tracking.MetricPoint;
import io.slaft.tracking.RunRef;
import java.util.List;

/** Metric points of a run; a point whose {@code (key, step)} is already on the server is skipped. */
public record LogMetrics(String id, RunRef run, List<MetricPoint> points) implements TrackingRecord {

  public LogMetrics {
    checkNotNull(id, "id must not be null");
    checkNotNull(run, "run must not be null");
    points = ImmutableList.copyOf(points);
  }
}
