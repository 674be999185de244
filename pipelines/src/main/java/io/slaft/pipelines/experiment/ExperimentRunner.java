package io.slaft.pipelines.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.slaft.model.train.NoiseSite;
import io.slaft.model.train.StopRule;
import io.slaft.model.train.TrainListener;
import io.slaft.model.train.TrainResult;
import io.slaft.pipelines.config.ExperimentConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs one training configuration end to end without Beam, through {@link ExperimentSession}:
 * train (resuming from {@code out/checkpoints/<point>}), re-train the discrete structure when
 * configured, export the served model to {@code out/model/<point>}, and return one {@link
 * RunRecord} per task. Beam stages and {@code slaft train} both call it.
 */
public final class ExperimentRunner {
  private ExperimentRunner() {}

  /** The outcome of one point: records plus the trained model's results. */
  public record PointResult(List<Map<String, Object>> records, TrainResult result, LoadedTasks data,
      Provenance provenance, Path exportDir) {}

  /**
   * Trains {@code config}.
   *
   * @param out run directory (checkpoints under {@code out/checkpoints/<pointId>}, the served
   *     export under {@code out/model/<pointId>}; {@link PointResult#exportDir()} is null for
   *     methods without a compact export, see {@link io.slaft.model.adapters.SearchSpace#exportable()})
   * @param pointId sweep point id ("main" for a single run)
   * @param overrides the point's overrides (recorded)
   * @param listener progress
   */
  public static PointResult train(ExperimentConfig config, Path out, String pointId, Map<String, String> overrides,
      TrainListener listener) {
    return train(config, out, pointId, overrides, listener, null);
  }

  /** As {@link #train(ExperimentConfig, Path, String, Map, TrainListener)}, reading tasks from {@code prepared} when it covers the point. */
  public static PointResult train(ExperimentConfig config, Path out, String pointId, Map<String, String> overrides,
      TrainListener listener, PreparedData prepared) {
    return train(config, out, pointId, overrides, listener, prepared, StopRule.NEVER);
  }

  /** As above, asking {@code stopRule} after every evaluation whether the point goes on (a sweep's early stopping). */
  public static PointResult train(ExperimentConfig config, Path out, String pointId, Map<String, String> overrides,
      TrainListener listener, PreparedData prepared, StopRule stopRule) {
    ExperimentSession session = ExperimentSession.open(config, prepared);
    try (TrainedPoint p = session.train(out, pointId, listener, NoiseSite.NONE, stopRule)) {
      Path exportDir = p.exportable() ? p.export(ExperimentSession.exportDir(out, pointId)) : null;
      return new PointResult(p.records(overrides), p.result(), session.data(), session.provenance(), exportDir);
    }
  }

  public static ObjectMapper json() {
    return RunSummary.json();
  }
}
