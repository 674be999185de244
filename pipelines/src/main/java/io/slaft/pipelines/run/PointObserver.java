package io.slaft.pipelines.run;

import io.slaft.model.train.TrainListener;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.ExperimentRunner;
import io.slaft.transforms.stopping.RungStore;
import io.slaft.transforms.sweep.SweepPoint;
import java.io.Serializable;

/**
 * Hook around the training of each sweep point (experiment tracking plugs in here). Serializable:
 * it travels to Beam workers; implementations create their connections lazily on the worker.
 */
public interface PointObserver extends Serializable {
  /** The listener to train with; wraps {@code progress}. */
  default io.slaft.model.train.TrainListener listener(SweepPoint point, ExperimentConfig config, TrainListener progress) {
    return progress;
  }

  /** Called after a point trained (not for cache hits). */
  default void finished(SweepPoint point, ExperimentConfig config, ExperimentRunner.PointResult result) {}

  /**
   * Called instead of {@link #listener} and {@link #finished} for a point taken from the step cache:
   * {@code records} are its stored summary records (one per task, in {@code tasks} order) and
   * {@code exportDir} where its export was written (it may be missing).
   */
  default void cached(SweepPoint point, ExperimentConfig config, java.util.List<java.util.Map<String, Object>> records,
      java.nio.file.Path exportDir) {}

  /**
   * Where the points of the sweep {@code base} report their early-stopping rungs: by default files under {@code out}
   * ({@link PointTrainer#fileRungStore}); a tracking observer keeps them on its server.
   */
  default RungStore rungStore(ExperimentConfig base, java.nio.file.Path out) {
    return PointTrainer.fileRungStore(base, out);
  }

  PointObserver NONE = new PointObserver() {};
}
