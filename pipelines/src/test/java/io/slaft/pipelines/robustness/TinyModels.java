package io.slaft.pipelines.robustness;

import io.slaft.model.adapters.Activation;
import io.slaft.model.adapters.GateFamily;
import io.slaft.model.adapters.SearchSpace;
import io.slaft.model.adapters.Site;
import io.slaft.model.adapters.SparsityControl;
import io.slaft.model.backbone.Backbone;
import io.slaft.model.backbone.BackboneConfig;
import io.slaft.model.backbone.BackboneWeights;
import io.slaft.model.eval.MetricKind;
import io.slaft.model.tokenize.Encoded;
import io.slaft.model.train.LabeledExample;
import io.slaft.model.train.NoiseSite;
import io.slaft.model.train.OptimizerConfig;
import io.slaft.model.train.TrainSpec;
import io.slaft.model.train.TrainTask;
import io.slaft.transforms.perturb.TokenVocabulary;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/** Tiny random transformers and synthetic tasks (after tf-model's TinyTasks) for fast tests. */
final class TinyModels {
  static final int VOCAB = 40;
  static final int MARKER = 7;

  private TinyModels() {}

  static Backbone backbone() {
    return Backbone.of("tiny", BackboneWeights.random(BackboneConfig.tiny(2, 16, 2, VOCAB), 11), null);
  }

  /** [PAD]=0, [CLS]=1, [UNK]=2, [SEP]=3, [MASK]=4; content ids are 10..39. */
  static TokenVocabulary vocabulary() {
    return new TokenVocabulary(VOCAB, 0, 2, 1, 3, 4, Set.of(5, 6, 8, 9));
  }

  /** Label 1 iff the marker token occurs; [CLS] first, [SEP] last; lengths 5..13. */
  static List<LabeledExample> markerExamples(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<LabeledExample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int len = 5 + r.nextInt(9);
      int[] ids = new int[len];
      int label = r.nextInt(2);
      ids[0] = 1;
      for (int k = 1; k < len - 1; k++) {
        int t;
        do {
          t = 10 + r.nextInt(VOCAB - 10);
        } while (t == MARKER);
        ids[k] = t;
      }
      ids[len - 1] = 3;
      if (label == 1) {
        ids[1 + r.nextInt(len - 2)] = MARKER;
      }
      out.add(new LabeledExample(i, new Encoded(ids, new int[len]), label, 0f));
    }
    return out;
  }

  /** Score = fraction of marker tokens (regression). */
  static List<LabeledExample> regressionExamples(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<LabeledExample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int len = 6;
      int[] ids = new int[len];
      int count = 0;
      for (int k = 0; k < len; k++) {
        boolean marker = r.nextInt(3) == 0;
        ids[k] = marker ? MARKER : 10 + r.nextInt(5);
        count += marker ? 1 : 0;
      }
      out.add(new LabeledExample(i, new Encoded(ids, new int[len]), -1, count / (float) len));
    }
    return out;
  }

  static TrainTask markerTask(String name) {
    return new TrainTask(name, 2, MetricKind.ACCURACY, markerExamples(256, 1), markerExamples(64, 2));
  }

  static TrainTask regressionTask() {
    return new TrainTask("reg", 0, MetricKind.PEARSON_SPEARMAN, regressionExamples(256, 3), regressionExamples(64, 4));
  }

  static TrainSpec spec(int steps, long seed) {
    SearchSpace space = new SearchSpace(EnumSet.allOf(Site.class), List.of(), 4, 2, 4f,
        List.of(Activation.values()), true, false, false, false, 0.05f);
    SparsityControl sp = new SparsityControl(GateFamily.HARD_CONCRETE, 0.1f, 0f, steps / 3, steps / 3, 1f, 1f, 2f, 0.5f);
    return new TrainSpec("sla", space, sp, new OptimizerConfig(1e-2f, 5e-2f, 1e-3f, 0.0f, 0.1f, 1f, 0.9f, 0.999f, 1e-8f),
        steps, 16, 0, 32, 0, 0, seed, 1f, 4, 10, NoiseSite.NONE, 0f);
  }
}
