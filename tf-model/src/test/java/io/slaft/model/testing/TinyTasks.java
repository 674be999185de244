package io.slaft.model.testing;

import io.slaft.model.adapters.Activation;
import io.slaft.model.adapters.GateFamily;
import io.slaft.model.adapters.SearchSpace;
import io.slaft.model.adapters.Site;
import io.slaft.model.adapters.SparsityControl;
import io.slaft.model.backbone.Backbone;
import io.slaft.model.backbone.BackboneConfig;
import io.slaft.model.backbone.BackboneWeights;
import io.slaft.model.backbone.Pooling;
import io.slaft.model.eval.MetricKind;
import io.slaft.model.inference.FrozenEncoder;
import io.slaft.model.tokenize.Encoded;
import io.slaft.model.tokenize.TokenBatch;
import io.slaft.model.train.LabeledExample;
import io.slaft.model.train.NoiseSite;
import io.slaft.model.train.OptimizerConfig;
import io.slaft.model.train.TrainSpec;
import io.slaft.model.train.TrainTask;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Tiny random transformers and synthetic tasks for fast unit tests, shared through tf-model's test
 * jar (the pipelines' tests use it too): a 2-layer, 16-wide random backbone over a 40-token
 * vocabulary, a "does the marker token occur" classification task and a "fraction of marker
 * tokens" regression task, and a small search spec.
 */
public final class TinyTasks {
  public static final int VOCAB = 40;
  public static final int MARKER = 7;
  /** Token ids of the special tokens ([CLS], [SEP]); content ids are 10..39. */
  public static final int CLS = 1;
  public static final int SEP = 3;

  private TinyTasks() {}

  public static Backbone backbone() {
    BackboneConfig c = BackboneConfig.tiny(2, 16, 2, VOCAB);
    return Backbone.of("tiny", BackboneWeights.random(c, 11), null);
  }

  /** Label 1 iff the marker token occurs; [CLS] first; lengths 4..12. */
  public static List<LabeledExample> markerExamples(int n, long seed) {
    return markerExamples(n, seed, false);
  }

  /**
   * Label 1 iff the marker token occurs; [CLS] first; with {@code sepTerminated} also [SEP] last
   * (lengths 5..13, as a tokenizer writes them; token perturbations need it), else lengths 4..12.
   */
  public static List<LabeledExample> markerExamples(int n, long seed, boolean sepTerminated) {
    SplittableRandom r = new SplittableRandom(seed);
    List<LabeledExample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int len = (sepTerminated ? 5 : 4) + r.nextInt(9);
      int body = sepTerminated ? len - 2 : len - 1;
      int[] ids = new int[len];
      int label = r.nextInt(2);
      ids[0] = CLS;
      for (int k = 1; k <= body; k++) {
        int t;
        do {
          t = 10 + r.nextInt(VOCAB - 10);
        } while (t == MARKER);
        ids[k] = t;
      }
      if (sepTerminated) {
        ids[len - 1] = SEP;
      }
      if (label == 1) {
        ids[1 + r.nextInt(body)] = MARKER;
      }
      out.add(new LabeledExample(i, new Encoded(ids, new int[len]), label, 0f));
    }
    return out;
  }

  /** Score = fraction of marker tokens (regression). */
  public static List<LabeledExample> regressionExamples(int n, long seed) {
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

  /** Argmax of {@code frozen pooled · w + b} for each dev example of {@code task}: the frozen backbone plus a head. */
  public static float[] frozenPlusHeadPredictions(Backbone backbone, TrainTask task, float[] w, float[] b) {
    float[] expected = new float[task.dev().size()];
    int h = backbone.config().hidden();
    try (FrozenEncoder fe = new FrozenEncoder(backbone.weights(), Pooling.CLS)) {
      for (int i = 0; i < expected.length; i++) {
        float[] pooled = fe.pooled(TokenBatch.pad(List.of(task.dev().get(i).tokens()), 0));
        float best = Float.NEGATIVE_INFINITY;
        int arg = 0;
        for (int c = 0; c < task.outputs(); c++) {
          float z = b[c];
          for (int k = 0; k < h; k++) {
            z += pooled[k] * w[k * b.length + c];
          }
          if (z > best) {
            best = z;
            arg = c;
          }
        }
        expected[i] = arg;
      }
    }
    return expected;
  }

  /** The marker task: 256 training and 64 dev examples. */
  public static TrainTask markerTask(String name) {
    return markerTask(name, false);
  }

  /** The marker task, its examples [SEP]-terminated or not. */
  public static TrainTask markerTask(String name, boolean sepTerminated) {
    return new TrainTask(name, 2, MetricKind.ACCURACY, markerExamples(256, 1, sepTerminated),
        markerExamples(64, 2, sepTerminated));
  }

  public static TrainTask regressionTask() {
    return new TrainTask("reg", 0, MetricKind.PEARSON, regressionExamples(256, 3), regressionExamples(64, 4));
  }

  public static TrainSpec spec(GateFamily family, float lambda, int steps, long seed) {
    return spec(family, lambda, steps, seed, steps / 3, steps / 3, 5e-2f);
  }

  public static TrainSpec spec(GateFamily family, float lambda, int steps, long seed, int warmup, int ramp, float structureLr) {
    // every site but prefix (prefix-tuning cannot learn these tiny tasks; BaselinePresetsTest and ExportParityTest cover it)
    // and fusion (it needs trained sources; AdapterFusionTest covers it)
    SearchSpace space = new SearchSpace(EnumSet.complementOf(EnumSet.of(Site.PREFIX, Site.FUSION)), List.of(), 4, 2, 4f,
        List.of(Activation.values()), true, false, false, false, 0.05f);
    SparsityControl sp = new SparsityControl(family, lambda, family == GateFamily.BUDGET ? 0.1f : 0f, warmup, ramp,
        1f, 1f, 2f, 0.5f);
    return new TrainSpec("sla", space, sp, new OptimizerConfig(1e-2f, structureLr, 1e-3f, 0.0f, 0.1f, 1f, 0.9f, 0.999f, 1e-8f),
        steps, 16, 0, 32, 0, 0, seed, 1f, 4, 10, NoiseSite.NONE, 0f);
  }
}
