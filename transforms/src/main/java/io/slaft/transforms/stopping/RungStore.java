package io.slaft.transforms.stopping;

import java.io.Serializable;
import java.util.List;

/**
 * Where the points of one sweep report their score at each rung, shared by every worker that trains
 * them (a directory on a shared filesystem, or the MLflow server when tracking is on). Reports are
 * idempotent per point and rung (a point that reports again replaces its score). Serializable: a store
 * travels to workers and opens its connections there.
 */
public interface RungStore extends Serializable {
  /** One point's score at one rung. */
  record Report(String pointId, double score) implements Serializable {}

  /** Records {@code pointId}'s {@code score} at {@code rung}. */
  void report(int rung, String pointId, double score);

  /** What every point but {@code pointId} has reported at {@code rung} so far, in a stable order (by point id). */
  List<Report> others(int rung, String pointId);
}
