package io.slaft.pipelines.robustness;

import io.slaft.model.backbone.Backbone;
import io.slaft.model.eval.GlueMetrics;
import io.slaft.model.export.CompactModel;
import io.slaft.model.tokenize.Encoded;
import io.slaft.model.train.LabeledExample;
import io.slaft.model.train.NoiseSite;
import io.slaft.model.train.TrainSpec;
import io.slaft.model.train.TrainTask;
import io.slaft.model.train.Trainer;
import io.slaft.model.train.Trainer.EvalControls;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A trained model as the robustness evaluation sees it: either an exported compact model per task
 * (input perturbations only: an export has no noise inputs), or the trainer that was trained, and on demand
 * a trainer for each representation-noise site. A trainer's graph has at most one noise site, so
 * evaluating embedding and hidden-state noise on one model needs a second graph; it is built with
 * the same spec and tasks and adopts the trained state (parameters, settled structure), so its clean outputs equal
 * the primary's.
 *
 * <p>Not thread-safe. Closing closes the trainers this object built, never the primary or the
 * exported models.
 */
public final class EvalModels implements AutoCloseable {
  private final Trainer primary;
  private final NoiseSite primarySite;
  private final Backbone backbone;
  private final List<TrainTask> tasks;
  private final Map<String, CompactModel> exports;
  private final int batchSize;
  private final Map<NoiseSite, Trainer> clones = new EnumMap<>(NoiseSite.class);

  private EvalModels(Trainer primary, NoiseSite primarySite, Backbone backbone, List<TrainTask> tasks) {
    this.primary = Objects.requireNonNull(primary, "primary");
    this.primarySite = Objects.requireNonNull(primarySite, "primarySite");
    this.backbone = backbone;
    this.tasks = tasks == null ? null : List.copyOf(tasks);
    this.exports = null;
    this.batchSize = primary.spec().evalBatchSize();
  }

  private EvalModels(Map<String, CompactModel> exports, int batchSize) {
    this.primary = null;
    this.primarySite = NoiseSite.NONE;
    this.backbone = null;
    this.tasks = null;
    this.exports = Map.copyOf(exports);
    this.batchSize = batchSize;
  }

  /**
   * Exported compact models by task name (as written by {@code slaft export}); they evaluate the
   * discretized structure and support input perturbations only.
   */
  public static EvalModels ofExports(Map<String, CompactModel> exports, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    return new EvalModels(Objects.requireNonNull(exports, "exports"), batchSize);
  }

  /** Whether representation noise can be evaluated (false for exported models). */
  public boolean supportsNoise() {
    return exports == null;
  }

  /** Predictions (class index or score, in example order) and metrics (primary first). */
  public record Scored(Map<String, Double> metrics, float[] predictions) {}

  /**
   * Scores {@code examples} of {@code task}, with representation noise σ at {@code site} unless it
   * is {@link NoiseSite#NONE}.
   *
   * @throws IllegalArgumentException for noise on exported models, or a task without a model
   */
  public Scored score(TrainTask task, List<LabeledExample> examples, NoiseSite site, float sigma, long seed,
      boolean discrete) {
    if (exports == null) {
      Trainer t = site == NoiseSite.NONE ? primary : forSite(site);
      var r = t.evaluate(task, examples, new EvalControls(discrete, site == NoiseSite.NONE ? 0f : sigma, seed));
      return new Scored(r.metrics(), r.predictions());
    }
    if (site != NoiseSite.NONE) {
      throw new IllegalArgumentException("an exported model has no noise inputs; evaluate representation noise with "
          + "slaft robustness --config (it trains the model)");
    }
    CompactModel m = exports.get(task.name());
    if (m == null) {
      throw new IllegalArgumentException("no exported model for task " + task.name() + "; the export has "
          + exports.keySet());
    }
    Integer[] order = new Integer[examples.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Integer.compare(examples.get(a).tokens().length(), examples.get(b).tokens().length()));
    float[] preds = new float[examples.size()];
    for (int start = 0; start < order.length; start += batchSize) {
      List<Encoded> rows = new ArrayList<>();
      int end = Math.min(order.length, start + batchSize);
      for (int i = start; i < end; i++) {
        rows.add(examples.get(order[i]).tokens());
      }
      float[][] out = m.outputs(rows);
      for (int i = 0; i < out.length; i++) {
        preds[order[start + i]] = task.isRegression() ? out[i][0] : argmax(out[i], task.numLabels());
      }
    }
    if (task.isRegression()) {
      float[] gold = new float[examples.size()];
      for (int i = 0; i < gold.length; i++) {
        gold[i] = examples.get(i).score();
      }
      return new Scored(GlueMetrics.regression(task.metric(), preds, gold), preds);
    }
    int[] p = new int[preds.length];
    int[] gold = new int[preds.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = (int) preds[i];
      gold[i] = examples.get(i).label();
    }
    return new Scored(GlueMetrics.classification(task.metric(), p, gold), preds);
  }

  private static int argmax(float[] row, int n) {
    int arg = 0;
    for (int k = 1; k < Math.min(n, row.length); k++) {
      if (row[k] > row[arg]) {
        arg = k;
      }
    }
    return arg;
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

  /** The trained trainer, or null for exported models. */
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
    if (exports != null) {
      throw new IllegalArgumentException("an exported model has no noise inputs");
    }
    if (site == primarySite) {
      return primary;
    }
    Trainer t = clones.get(site);
    if (t == null) {
      t = Trainer.createWithNoise(backbone, withoutTrainingNoise(primary.spec()), tasks, site);
      clones.put(site, t);
    }
    t.adopt(primary);
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
