package io.slaft.pipelines.experiment;

import io.slaft.model.backbone.Backbone;
import io.slaft.model.train.NoiseSite;
import io.slaft.model.train.StopRule;
import io.slaft.model.train.TrainListener;
import io.slaft.model.train.TrainResult;
import io.slaft.model.train.Trainer;
import io.slaft.pipelines.config.ExperimentConfig;
import java.nio.file.Path;

/**
 * One experiment ready to train: the bound spec, the backbone (shared per JVM), the read and
 * tokenized data and the provenance, built one way for {@code train}, {@code run}, {@code
 * robustness}, {@code export} and the benches. {@link #train} is the one way a point is trained,
 * so what one command serves is what the others serve: search (resuming from the point's
 * checkpoint), then the discrete re-training when configured.
 *
 * <p>Not thread-safe; the backbone is shared, the data belongs to this session.
 */
public final class ExperimentSession {
  private final ExperimentSpec spec;
  private final Backbone backbone;
  private final LoadedTasks data;
  private final Provenance provenance;

  private ExperimentSession(ExperimentSpec spec, Backbone backbone, LoadedTasks data, Provenance provenance) {
    this.spec = spec;
    this.backbone = backbone;
    this.data = data;
    this.provenance = provenance;
  }

  /**
   * Binds {@code config}, loads its backbone and reads its tasks (dead letters collected, limit
   * enforced), printing to stderr what reading found: inferred labels and, per split, rows =
   * examples + dead letters ({@link TaskLoader#load}).
   */
  public static ExperimentSession open(ExperimentConfig config) {
    return open(config, null);
  }

  /**
   * As {@link #open(ExperimentConfig)}, reading the tasks from {@code prepared} (the pipeline's
   * prepare stage, which printed their lines) when it covers {@code config}'s read settings, else
   * from the raw files.
   */
  public static ExperimentSession open(ExperimentConfig config, PreparedData prepared) {
    ExperimentSpec spec = ExperimentSpec.bind(config);
    Backbone backbone = Backbone.shared(spec.backbone(), spec.maxLength()).withPrecision(spec.precision());
    LoadedTasks data = TaskLoader.load(config, backbone, prepared != null && prepared.covers(config) ? prepared : null,
        System.err::println);
    return new ExperimentSession(spec.forData(data.tasks(), System.err::println), backbone, data,
        Provenance.of(config, data, backbone));
  }

  /**
   * Trains the point whose checkpoints live in {@code out/checkpoints/<pointId>} (resuming from the
   * one there) and, when configured and the method learns structure, re-trains its discrete
   * structure. The returned point holds the open trainer; close it.
   *
   * @param evalNoise representation-noise inputs the graph also needs (robustness), or {@link NoiseSite#NONE}
   */
  public TrainedPoint train(Path out, String pointId, TrainListener listener, NoiseSite evalNoise) {
    return train(out, pointId, listener, evalNoise, StopRule.NEVER);
  }

  /**
   * As {@link #train(Path, String, TrainListener, NoiseSite)}, asking {@code stopRule} after every evaluation
   * whether the search goes on (a sweep's early stopping); a point it stops is not re-trained.
   */
  public TrainedPoint train(Path out, String pointId, TrainListener listener, NoiseSite evalNoise, StopRule stopRule) {
    Trainer t = evalNoise == NoiseSite.NONE ? Trainer.create(backbone, spec.train(), data.tasks())
        : Trainer.createWithNoise(backbone, spec.train(), data.tasks(), evalNoise);
    try {
      t.listener(listener).stopRule(stopRule);
      if (spec.train().checkpointEvery() > 0) {
        t.checkpointDir(checkpointDir(out, pointId));
      }
      TrainResult result = t.run();
      if (spec.retrainSteps() > 0 && t.learnsStructure() && result.stoppedEarly() == null) {
        result = t.retrainDiscrete(result, spec.retrainSteps());
      }
      return new TrainedPoint(this, pointId, t, result);
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
  }

  /** Where the checkpoints of {@code pointId} live under a run directory. */
  public static Path checkpointDir(Path out, String pointId) {
    return out.resolve("checkpoints").resolve(pointId);
  }

  /** Where a run directory holds the export of {@code pointId}. */
  public static Path exportDir(Path out, String pointId) {
    return out.resolve("model").resolve(pointId);
  }

  public ExperimentSpec spec() {
    return spec;
  }

  public ExperimentConfig config() {
    return spec.config();
  }

  public Backbone backbone() {
    return backbone;
  }

  public LoadedTasks data() {
    return data;
  }

  public Provenance provenance() {
    return provenance;
  }
}
