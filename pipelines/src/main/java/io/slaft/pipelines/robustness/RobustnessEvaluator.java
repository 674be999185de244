package io.slaft.pipelines.robustness;

import io.slaft.model.tokenize.Encoded;
import io.slaft.model.tokenize.TextTokenizer;
import io.slaft.model.train.LabeledExample;
import io.slaft.model.train.NoiseSite;
import io.slaft.model.train.TrainTask;
import io.slaft.pipelines.experiment.TaskLoader;
import io.slaft.transforms.data.Example;
import io.slaft.transforms.perturb.ExampleRandom;
import io.slaft.transforms.perturb.Perturbations;
import io.slaft.transforms.perturb.PerturbationLevel;
import io.slaft.transforms.perturb.RobustnessMetrics;
import io.slaft.transforms.perturb.TextPerturber;
import io.slaft.transforms.perturb.TokenPerturber;
import io.slaft.transforms.perturb.TokenVocabulary;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Evaluates a trained model under every configured perturbation family and severity: per task ×
 * family × severity the primary metric, its drop from the clean metric and the prediction-flip
 * rate against the clean predictions; per task × family the area under the metric-versus-severity
 * curve.
 *
 * <p>Text families perturb the raw dev texts and re-tokenize them with the backbone tokenizer;
 * token families perturb the encoded ids ([CLS]/[SEP]/[PAD] kept); noise families feed Gaussian
 * noise with σ = severity × std through {@code Trainer.EvalControls.noiseSigma} (skipped for
 * exported models, which have no noise inputs). Every draw derives from
 * {@link RobustnessSettings#seed()}, the family and the example id, so results are deterministic
 * per seed (at a fixed TensorFlow thread count), and severity 0 reproduces the clean predictions.
 *
 * <p>Not thread-safe (it drives the model's trainers).
 */
public final class RobustnessEvaluator {
  private final RobustnessSettings settings;
  private Consumer<String> log = s -> {};

  private RobustnessEvaluator(RobustnessSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  public static RobustnessEvaluator of(RobustnessSettings settings) {
    return new RobustnessEvaluator(settings);
  }

  /** Receives one progress line per evaluated family. */
  public RobustnessEvaluator progress(Consumer<String> log) {
    this.log = log == null ? s -> {} : log;
    return this;
  }

  /**
   * Runs the evaluation.
   *
   * @param models the trained model (its primary trainer must already be trained)
   * @param tasks the tasks, with their tokenized dev examples
   * @param rawDev raw dev examples per task name, in the order of the task's dev list; needed only
   *     for text families
   * @param tokenizer the backbone tokenizer; needed only for text families
   * @param vocabulary the token vocabulary; needed only for token families
   * @throws IllegalArgumentException if a family needs an input that is missing
   */
  public RobustnessTable evaluate(EvalModels models, List<TrainTask> tasks, Map<String, List<Example>> rawDev,
      TextTokenizer tokenizer, TokenVocabulary vocabulary) {
    double[] sev = settings.severities().toArray();
    List<RobustnessTable.Row> rows = new ArrayList<>();
    List<RobustnessTable.Curve> curves = new ArrayList<>();
    for (TrainTask task : tasks) {
      EvalModels.Scored clean = models.score(task, task.dev(), NoiseSite.NONE, 0f, 0L, settings.discrete());
      String metric = clean.metrics().keySet().iterator().next();
      double cleanValue = clean.metrics().get(metric);
      double tolerance = task.isRegression() ? 0.1 * range(task.dev()) : 0;
      for (String family : settings.families()) {
        if (RobustnessSettings.isNoise(family) && !models.supportsNoise()) {
          log.accept("robustness " + task.name() + " " + family + ": skipped (an exported model has no noise inputs)");
          continue;
        }
        long t0 = System.nanoTime();
        double[] values = new double[sev.length];
        for (int i = 0; i < sev.length; i++) {
          EvalModels.Scored r = evaluateOne(models, task, family, sev[i], rawDev, tokenizer, vocabulary);
          values[i] = r.metrics().get(metric);
          rows.add(new RobustnessTable.Row(task.name(), metric, family, sev[i], values[i],
              RobustnessMetrics.dropFromClean(cleanValue, values[i]),
              flipRate(clean.predictions(), r.predictions(), tolerance)));
        }
        double auc = sev.length < 2 ? Double.NaN : RobustnessMetrics.areaUnderCurve(sev, values);
        curves.add(new RobustnessTable.Curve(task.name(), metric, family, cleanValue, auc));
        log.accept(String.format(java.util.Locale.ROOT, "robustness %s %-15s %s=%.4f … %.4f  AUC %.4f  (%.1f s)",
            task.name(), family, metric, values[0], values[values.length - 1], auc, (System.nanoTime() - t0) / 1e9));
      }
    }
    return new RobustnessTable(settings.severities().levels(), rows, curves);
  }

  private EvalModels.Scored evaluateOne(EvalModels models, TrainTask task, String family, double severity,
      Map<String, List<Example>> rawDev, TextTokenizer tokenizer, TokenVocabulary vocabulary) {
    long seed = ExampleRandom.seed(settings.seed(), family, task.name(), 0);
    if (RobustnessSettings.isNoise(family)) {
      NoiseSite site = family.equals(RobustnessSettings.EMBEDDING_NOISE) ? NoiseSite.EMBEDDINGS : NoiseSite.HIDDEN;
      return models.score(task, task.dev(), site, (float) severity, seed, settings.discrete());
    }
    List<LabeledExample> perturbed = Perturbations.level(family) == PerturbationLevel.TOKEN
        ? perturbTokens(task, family, severity, vocabulary)
        : perturbText(task, family, severity, rawDev, tokenizer);
    return models.score(task, perturbed, NoiseSite.NONE, 0f, 0L, settings.discrete());
  }

  private List<LabeledExample> perturbTokens(TrainTask task, String family, double severity, TokenVocabulary vocab) {
    if (vocab == null) {
      throw new IllegalArgumentException("family " + family + " needs the token vocabulary of the backbone");
    }
    TokenPerturber p = TokenPerturber.of(family, vocab, severity, settings.seed());
    List<LabeledExample> out = new ArrayList<>(task.dev().size());
    for (LabeledExample e : task.dev()) {
      Encoded enc = e.tokens();
      int[] ids = p.apply(task.name() + ":" + e.id(), enc.ids(), enc.length());
      out.add(new LabeledExample(e.id(), new Encoded(ids, enc.typeIds()), e.label(), e.score()));
    }
    return out;
  }

  private List<LabeledExample> perturbText(TrainTask task, String family, double severity,
      Map<String, List<Example>> rawDev, TextTokenizer tokenizer) {
    List<Example> raw = rawDev == null ? null : rawDev.get(task.name());
    if (raw == null || tokenizer == null) {
      throw new IllegalArgumentException("family " + family + " needs the raw dev texts of task " + task.name()
          + " and the backbone tokenizer");
    }
    if (raw.size() != task.dev().size()) {
      throw new IllegalArgumentException("task " + task.name() + ": " + raw.size() + " raw dev examples but "
          + task.dev().size() + " tokenized ones; they must be the same rows in the same order");
    }
    TextPerturber p = TextPerturber.of(family, severity, settings.seed());
    List<Example> out = new ArrayList<>(raw.size());
    for (Example e : raw) {
      List<String> texts = e.textPair().isPresent() ? List.of(e.text(), e.textPair().get()) : List.of(e.text());
      List<String> changed = p.applyAll(task.name() + ":" + e.line(), texts);
      out.add(withTexts(e, nonBlank(changed.get(0), e.text()),
          changed.size() > 1 ? nonBlank(changed.get(1), e.textPair().get()) : null));
    }
    return TaskLoader.tokenize(out, tokenizer);
  }

  private static String nonBlank(String s, String fallback) {
    return s == null || s.isBlank() ? fallback : s;
  }

  static Example withTexts(Example e, String text, String pair) {
    return e.isRegression()
        ? Example.regression(e.task(), e.split(), e.id(), text, pair, e.score(), e.sourceFile(), e.line())
        : Example.classification(e.task(), e.split(), e.id(), text, pair, e.label(), e.sourceFile(), e.line());
  }

  private static double range(List<LabeledExample> dev) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (LabeledExample e : dev) {
      min = Math.min(min, e.score());
      max = Math.max(max, e.score());
    }
    return max > min ? max - min : 1.0;
  }

  /** Fraction of predictions that differ by more than {@code tolerance} (0: any change of class). */
  static double flipRate(float[] clean, float[] perturbed, double tolerance) {
    if (clean.length != perturbed.length || clean.length == 0) {
      throw new IllegalArgumentException("prediction arrays must be non-empty and of equal length, got "
          + clean.length + " and " + perturbed.length);
    }
    int flips = 0;
    for (int i = 0; i < clean.length; i++) {
      if (Math.abs(clean[i] - perturbed[i]) > tolerance) {
        flips++;
      }
    }
    return flips / (double) clean.length;
  }

  /**
   * The token vocabulary of {@code tokenizer}: BERT-uncased's (with its reserved {@code [unusedN]}
   * ids) when the special ids and size match it, otherwise the tokenizer's size and special ids with
   * no reserved ids.
   */
  public static TokenVocabulary vocabulary(TextTokenizer tokenizer) {
    TokenVocabulary bert = TokenVocabulary.bertUncased();
    if (tokenizer.vocabSize() == bert.size() && tokenizer.padId() == bert.padId() && tokenizer.unkId() == bert.unkId()
        && tokenizer.clsId() == bert.clsId() && tokenizer.sepId() == bert.sepId() && tokenizer.maskId() == bert.maskId()) {
      return bert;
    }
    Set<Integer> none = new HashSet<>();
    return new TokenVocabulary(tokenizer.vocabSize(), tokenizer.padId(), tokenizer.unkId(), tokenizer.clsId(),
        tokenizer.sepId(), tokenizer.maskId(), none);
  }
}
