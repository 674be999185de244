package io.slaft.pipelines.tracking;

import io.slaft.tracking.SiblingTags;
import io.slaft.tracking.mlflow.MlflowSiblingTags;
import io.slaft.transforms.stopping.RungStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The {@link RungStore} of a tracked sweep: a point reports its score at rung {@code r} as the tag
 * {@code slaft.rung.<r>} on its child runs (one per task), and reads the other points' scores back from the tags of
 * the parent run's children on the tracking server, so workers that share no filesystem still compare with each
 * other, and the scores are on the runs for anyone looking. A point with several tasks is counted once. A server
 * that cannot be reached throws, and the point goes on ({@link io.slaft.transforms.stopping.RungStopRule}).
 * Serializable: the connection is opened on the worker, on first use.
 */
public final class TrackedRungStore implements RungStore {
  /** The tag a rung's score is kept in: this prefix and the rung's step. */
  public static final String TAG_PREFIX = "slaft.rung.";

  private final String experiment;
  private final String parentKey;
  private final List<String> tasks;
  private final SerializableTags tags;
  private transient SiblingTags open;

  /** How the store reaches the server; a lambda over settings travels to workers. */
  interface SerializableTags extends Supplier<SiblingTags>, java.io.Serializable {}

  TrackedRungStore(String experiment, String parentKey, List<String> tasks, SerializableTags tags) {
    this.experiment = experiment;
    this.parentKey = parentKey;
    this.tasks = List.copyOf(tasks);
    this.tags = tags;
  }

  /** The store of the sweep tracked by {@code settings} under the parent run {@code parentKey}. */
  static TrackedRungStore on(TrackingSettings settings, String parentKey, List<String> tasks) {
    return new TrackedRungStore(settings.experiment(), parentKey, tasks, () -> MlflowSiblingTags.connect(settings.config()));
  }

  @Override
  public void report(int rung, String pointId, double score) {
    for (String task : tasks) {
      tags().put(TrackingObserver.child(experiment, parentKey, pointId, task).runKey(), TAG_PREFIX + rung, Double.toString(score));
    }
  }

  @Override
  public List<Report> others(int rung, String pointId) {
    Map<String, Double> byPoint = new TreeMap<>();
    tags().read(parentKey, TAG_PREFIX + rung).forEach((runKey, value) ->
        TrackingObserver.pointOf(parentKey, runKey).filter(p -> !p.equals(pointId))
            .ifPresent(p -> byPoint.put(p, Double.parseDouble(value))));
    List<Report> out = new ArrayList<>();
    byPoint.forEach((p, s) -> out.add(new Report(p, s)));
    return out;
  }

  private synchronized SiblingTags tags() {
    if (open == null) {
      open = tags.get();
    }
    return open;
  }
}
