package io.slaft.pipelines.robustness;

import io.slaft.model.tokenize.Encoded;
import io.slaft.model.tokenize.TextTokenizer;
import io.slaft.model.train.LabeledExample;
import io.slaft.pipelines.config.ConfigException;
import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.TaskLoader;
import io.slaft.transforms.data.Example;
import io.slaft.transforms.data.TaskSpec;
import io.slaft.transforms.perturb.LabelNoise;
import io.slaft.transforms.perturb.PerturbationLevel;
import io.slaft.transforms.perturb.Perturbations;
import io.slaft.transforms.perturb.TextPerturber;
import io.slaft.transforms.perturb.TokenPerturber;
import java.util.ArrayList;
import java.util.List;

/**
 * Data-level noise on the training split, for the data-perturbation and label-noise studies:
 * {@code data.perturb_family} at {@code data.perturb_ratio} perturbs every training example's text
 * (or token ids) with that ratio of units changed, and {@code data.label_noise} flips that fraction
 * of class labels (or jitters regression scores with σ = ratio × range). Seeded by {@code seed};
 * which examples and units change depends only on (seed, task, example line). Dev data is never
 * touched. With the defaults ({@code none}, 0, 0) the result equals {@link TaskLoader#tokenize}.
 */
public final class TrainingDataNoise {
  private TrainingDataNoise() {}

  /** Whether {@code c} asks for any training-data noise. */
  public static boolean enabled(ExperimentConfig c) {
    return (!c.get(ConfigKeys.DATA_PERTURB_FAMILY).equals("none") && c.get(ConfigKeys.DATA_PERTURB_RATIO) > 0)
        || c.get(ConfigKeys.DATA_LABEL_NOISE) > 0;
  }

  /**
   * Tokenizes {@code train} of task {@code spec} with the configured perturbation and label noise.
   *
   * @throws ConfigException if a ratio is outside [0, 1] or the family is unknown
   */
  public static List<LabeledExample> apply(ExperimentConfig c, TaskSpec spec, List<Example> train, TextTokenizer tok) {
    if (!enabled(c)) {
      return TaskLoader.tokenize(train, tok);
    }
    String family = c.get(ConfigKeys.DATA_PERTURB_FAMILY);
    double ratio = c.get(ConfigKeys.DATA_PERTURB_RATIO);
    double labelNoise = c.get(ConfigKeys.DATA_LABEL_NOISE);
    long seed = c.get(ConfigKeys.SEED);
    String task = spec.name();
    try {
      if (ratio < 0 || ratio > 1 || labelNoise < 0 || labelNoise > 1) {
        throw new IllegalArgumentException("data.perturb_ratio and data.label_noise must be in [0, 1], got "
            + ratio + " and " + labelNoise);
      }
      boolean perturb = !family.equals("none") && ratio > 0;
      boolean tokenLevel = perturb && Perturbations.level(family) == PerturbationLevel.TOKEN;
      List<Example> texts = train;
      if (perturb && !tokenLevel) {
        TextPerturber p = TextPerturber.of(family, ratio, seed);
        texts = new ArrayList<>(train.size());
        for (Example e : train) {
          String a = p.apply(task + ":" + e.line(), 0, e.text());
          String b = e.textPair().map(t -> p.apply(task + ":" + e.line(), 1, t)).orElse(null);
          texts.add(RobustnessEvaluator.withTexts(e, a.isBlank() ? e.text() : a,
              b == null || b.isBlank() ? e.textPair().orElse(null) : b));
        }
      }
      List<LabeledExample> out = TaskLoader.tokenize(texts, tok);
      if (tokenLevel) {
        TokenPerturber p = TokenPerturber.of(family, RobustnessEvaluator.vocabulary(tok), ratio, seed);
        List<LabeledExample> changed = new ArrayList<>(out.size());
        for (LabeledExample e : out) {
          int[] ids = p.apply(task + ":" + e.id(), e.tokens().ids(), e.tokens().length());
          changed.add(new LabeledExample(e.id(), new Encoded(ids, e.tokens().typeIds()), e.label(), e.score()));
        }
        out = changed;
      }
      return labelNoise > 0 ? withLabelNoise(out, spec, labelNoise, seed) : out;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(c.source() + ": data noise for task " + task + ": " + e.getMessage(), e);
    }
  }

  static List<LabeledExample> withLabelNoise(List<LabeledExample> in, TaskSpec spec, double ratio, long seed) {
    List<String> keys = in.stream().map(e -> spec.name() + ":" + e.id()).toList();
    List<LabeledExample> out = new ArrayList<>(in.size());
    if (spec.target().isRegression()) {
      double[] scores = in.stream().mapToDouble(LabeledExample::score).toArray();
      double min = spec.target().min();
      double max = spec.target().max();
      for (int i = 0; i < scores.length; i++) {
        scores[i] = Math.min(max, Math.max(min, scores[i]));
      }
      double[] noisy = LabelNoise.jitterScores(keys, scores, min, max, ratio, seed);
      for (int i = 0; i < noisy.length; i++) {
        LabeledExample e = in.get(i);
        out.add(new LabeledExample(e.id(), e.tokens(), e.label(), (float) noisy[i]));
      }
    } else {
      int[] labels = in.stream().mapToInt(LabeledExample::label).toArray();
      int[] noisy = LabelNoise.flipClasses(keys, labels, spec.target().outputs(), ratio, seed);
      for (int i = 0; i < noisy.length; i++) {
        LabeledExample e = in.get(i);
        out.add(new LabeledExample(e.id(), e.tokens(), noisy[i], e.score()));
      }
    }
    return out;
  }
}
