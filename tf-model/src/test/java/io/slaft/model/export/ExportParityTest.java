package io.slaft.model.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.model.adapters.Activation;
import io.slaft.model.adapters.GateFamily;
import io.slaft.model.adapters.SearchSpace;
import io.slaft.model.adapters.Site;
import io.slaft.model.adapters.SparsityControl;
import io.slaft.model.backbone.Backbone;
import io.slaft.model.backbone.BackboneConfig;
import io.slaft.model.backbone.BackboneWeights;
import io.slaft.model.backbone.Precision;
import io.slaft.model.eval.MetricKind;
import io.slaft.model.tokenize.Encoded;
import io.slaft.model.train.LabeledExample;
import io.slaft.model.train.ModuleGate;
import io.slaft.model.train.NoiseSite;
import io.slaft.model.train.OptimizerConfig;
import io.slaft.model.train.TrainSpec;
import io.slaft.model.train.TrainTask;
import io.slaft.model.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pruned, merged export computes what the gated model computes with hard gates. */
class ExportParityTest {
  /**
   * Every site, prefix modules included (their MLP folded into keys and values, the gate into a logit
   * bias); fusion modules need trained sources, {@code AdapterFusionTest} covers them.
   */
  @Test
  void prunedAndMergedEqualsHardGatedModel(@TempDir Path dir) throws Exception {
    assertExportParity(new SparsityControl(GateFamily.HARD_CONCRETE, 0.05f, 0f, 0, 0, 1f, 1f, 1.0f, 0.5f), dir, Precision.FP32,
        EnumSet.complementOf(EnumSet.of(Site.FUSION)));
  }

  /** Budget gates are a relaxation: the discrete model and its export switch kept modules fully on. */
  @Test
  void budgetFamilyExportServesKeptModulesFullyOpen(@TempDir Path dir) throws Exception {
    assertExportParity(new SparsityControl(GateFamily.BUDGET, 0f, 0.05f, 0, 0, 1f, 1f, 1.0f, 0.5f), dir, Precision.FP32,
        EnumSet.complementOf(EnumSet.of(Site.PREFIX, Site.FUSION)));
  }

  /**
   * Trained with bf16 frozen matmuls, the export says so and is served in bf16, LoRA beside the
   * rounded weights (not merged into them): it computes what the trainer's discrete model computes.
   */
  @Test
  void aBf16TrainedExportIsServedInBf16(@TempDir Path dir) throws Exception {
    assertExportParity(new SparsityControl(GateFamily.HARD_CONCRETE, 0.05f, 0f, 0, 0, 1f, 1f, 1.0f, 0.5f), dir, Precision.BF16,
        EnumSet.complementOf(EnumSet.of(Site.FUSION)));
    assertEquals("bf16", CompactModel.manifest(dir).backbone().precision());
  }

  private static void assertExportParity(SparsityControl sp, Path dir, Precision precision, java.util.Set<Site> sites)
      throws Exception {
    Backbone backbone = Backbone.of("tiny", BackboneWeights.random(BackboneConfig.tiny(3, 16, 2, 40), 11), null)
        .withPrecision(precision);
    SearchSpace space = new SearchSpace(sites, List.of(), 6, 2, 4f, List.of(Activation.values()),
        true, true, false, false, 0.3f, 3, 8);
    TrainSpec spec = new TrainSpec("sla", space, sp, new OptimizerConfig(2e-2f, 0.1f, 1e-3f, 0f, 0.1f, 1f, 0.9f, 0.999f, 1e-8f),
        40, 16, 0, 16, 0, 0, 3, 1f, 2, 100, NoiseSite.NONE, 0f);
    TrainTask cls = new TrainTask("cls", 3, MetricKind.ACCURACY, examples(120, 1, 3), examples(40, 2, 3));
    TrainTask reg = new TrainTask("reg", 0, MetricKind.PEARSON, examples(120, 3, 0), examples(40, 4, 0));
    try (Trainer t = Trainer.create(backbone, spec, List.of(cls, reg))) {
      t.run();
      long pruned = 0;
      long keptBiasModules = 0;
      long keptPrefixModules = 0;
      Exporter.export(t, Map.of("cls", List.of("a", "b", "c")), Map.of("seed", "3"), dir);
      assertTrue(Files.size(dir.resolve("weights.bin")) > 0);
      for (TrainTask task : List.of(cls, reg)) {
        List<ModuleGate> structure = t.structure(task.name());
        for (ModuleGate g : structure) {
          if (g.active()) {
            assertTrue(sp.family() == GateFamily.BUDGET ? g.servedGate(sp.family()) == 1.0 && g.gate() < 1.0
                : g.servedGate(sp.family()) == g.gate(), g.toString());
          }
        }
        keptBiasModules += structure.stream().filter(g -> g.active() && g.site().equals(Site.BIAS.id())).count();
        keptPrefixModules += structure.stream().filter(g -> g.active() && g.site().equals(Site.PREFIX.id())).count();
        long closed = structure.stream().filter(g -> !g.active()).count();
        long active = structure.size() - closed;
        assertTrue(active > 0, task.name() + ": the test needs some active modules");
        int removedChannels = 0;
        for (float[] c : t.channelGates(task.name())) {
          for (float v : c) {
            removedChannels += v == 0f ? 1 : 0;
          }
        }
        System.out.printf("%s: %d active, %d closed modules, %d removed channels%n", task.name(), active, closed, removedChannels);
        pruned += closed + removedChannels;
        float[][] gated = t.outputs(task, task.dev(), Trainer.EvalControls.discretized());
        List<Encoded> enc = new ArrayList<>();
        task.dev().forEach(e -> enc.add(e.tokens()));
        try (CompactModel m = CompactModel.load(dir, task.name(), backbone)) {
          assertEquals(active, m.task().modules().size());
          float[][] compact = m.outputs(enc);
          double maxDiff = 0;
          for (int i = 0; i < gated.length; i++) {
            for (int k = 0; k < gated[i].length; k++) {
              maxDiff = Math.max(maxDiff, Math.abs(gated[i][k] - compact[i][k]));
            }
          }
          // bf16 serving runs the trainer's ops (LoRA beside the rounded weights, not merged into them), so it
          // agrees to float rounding; serving a bf16-trained model in fp32 differs by about 7e-5 here.
          double tolerance = precision == Precision.FP32 ? 1e-4 : 1e-5;
          System.out.println(task.name() + " max diff " + maxDiff);
          assertTrue(maxDiff < tolerance, task.name() + " max diff " + maxDiff);
        }
      }
      assertTrue(pruned > 0, "the test needs something pruned");
      assertTrue(keptBiasModules > 0, "the test needs a kept bias module (merged into the frozen biases, on top of BitFit's)");
      if (sites.contains(Site.PREFIX)) {
        assertTrue(keptPrefixModules > 0, "the test needs a kept prefix module (MLP folded, gate as a logit bias)");
      }
      assertFalse(Files.readString(dir.resolve("export.json")).contains("word_embeddings"), "no backbone copy");
    }
  }

  private static List<LabeledExample> examples(int n, long seed, int classes) {
    SplittableRandom r = new SplittableRandom(seed);
    List<LabeledExample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int len = 3 + r.nextInt(8);
      int[] ids = new int[len];
      int[] types = new int[len];
      for (int k = 0; k < len; k++) {
        ids[k] = 5 + r.nextInt(35);
        types[k] = k > len / 2 ? 1 : 0;
      }
      out.add(classes == 0 ? new LabeledExample(i, new Encoded(ids, types), -1, (float) r.nextDouble())
          : new LabeledExample(i, new Encoded(ids, types), r.nextInt(classes), 0f));
    }
    return out;
  }
}
