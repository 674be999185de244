package io.slaft.pipelines.robustness;

import io.slaft.model.backbone.Backbone;
import io.slaft.model.train.NoiseSite;
import io.slaft.model.train.TrainSpec;
import io.slaft.model.train.TrainTask;
import io.slaft.model.train.Trainer;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A trained model as the robustness evaluation sees it: the trainer that was trained, and on demand
 * a trainer for each representation-noise site. A trainer's graph has at most one noise site, so
 * evaluating embedding and hidden-state noise on one model needs a second graph; it is built with
 * the same spec and tasks and receives a copy of the trained parameters, so its clean outputs equal
 * the primary's.
 *
 * <p>Not thread-safe. Closing closes the trainers this object built, never the primary.
 */
public final class EvalModels implements AutoCloseable {
  private final Trainer primary;
  private final NoiseSite primarySite;
  private final Backbone backbone;
  private final List<TrainTask> tasks;
  private final Map<NoiseSite, Trainer> clones = new EnumMap<>(NoiseSite.class);

  private EvalModels(Trainer primary, NoiseSite primarySite, Backbone backbone, List<TrainTask> tasks) {
    this.primary = Objects.requireNonNull(primary, "primary");
    this.primarySite = Objects.requireNonNull(primarySite, "primarySite");
    this.backbone = backbone;
    this.tasks = tasks == null ? null : List.copyOf(tasks);
  }

  /**
   * Models over {@code primary}, whose graph has noise inputs at {@code primarySite} (the
   * training spec's site when it has one, otherwise the site given to
   * {@link Trainer#createWithNoise}); trainers for other sites are built from {@code backbone}
   * and {@code tasks} when asked for.
   */
  public static EvalModels of(Trainer primary, NoiseSite primarySite, Backbone backbone, List<TrainTask> tasks) {
    return new EvalModels(primary, primarySite, Objects.requireNonNull(backbone, "backbone"),
        Objects.requireNonNull(tasks, "tasks"));
  }

  /** The noise site a trainer made with {@code createWithNoise(…, requested)} for {@code spec} has. */
  public static NoiseSite siteOf(TrainSpec spec, NoiseSite requested) {
    return spec.noiseSite() != NoiseSite.NONE ? spec.noiseSite() : requested;
  }

  public Trainer primary() {
    return primary;
  }

  /**
   * A trainer with noise inputs at {@code site} holding the primary's current parameters.
   *
   * @throws IllegalArgumentException if {@code site} is {@link NoiseSite#NONE}
   */
  public Trainer forSite(NoiseSite site) {
    if (site == NoiseSite.NONE) {
      throw new IllegalArgumentException("noise site NONE has no noise inputs; use primary()");
    }
    if (site == primarySite) {
      return primary;
    }
    Trainer t = clones.get(site);
    if (t == null) {
      t = Trainer.createWithNoise(backbone, withoutTrainingNoise(primary.spec()), tasks, site);
      clones.put(site, t);
    }
    t.params().restore(primary.params().snapshot());
    return t;
  }

  private static TrainSpec withoutTrainingNoise(TrainSpec s) {
    return new TrainSpec(s.method(), s.space(), s.sparsity(), s.optimizer(), s.steps(), s.batchSize(), s.evalEvery(),
        s.evalBatchSize(), s.patience(), s.checkpointEvery(), s.seed(), s.taskTemperature(), s.bucketWindow(),
        s.logEvery(), NoiseSite.NONE, 0f);
  }

  @Override
  public void close() {
    clones.values().forEach(Trainer::close);
    clones.clear();
  }
}
