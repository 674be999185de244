package io.slaft.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.model.adapters.GateFamily;
import io.slaft.model.adapters.Method;
import io.slaft.model.adapters.Site;
import io.slaft.model.backbone.Backbone;
import io.slaft.model.testing.TinyTasks;
import io.slaft.model.export.Exporter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The UniPELT-style, prefix-tuning and full fine-tuning presets on a tiny random transformer. */
class BaselinePresetsTest {
  private final Backbone backbone = TinyTasks.backbone();

  private static TrainSpec preset(Method method, int steps) {
    TrainSpec s = TinyTasks.spec(GateFamily.HARD_CONCRETE, 0.1f, steps, 4);
    return new TrainSpec(method.id(), method.space(s.space()), method.sparsity(s.sparsity()), s.optimizer(), steps,
        s.batchSize(), s.evalEvery(), s.evalBatchSize(), s.patience(), s.checkpointEvery(), s.seed(),
        s.taskTemperature(), s.bucketWindow(), s.logEvery(), s.noiseSite(), s.trainNoise());
  }

  @Test
  void unipeltLearnsWithPerExampleGatesThatCanCloseEveryModule() {
    TrainTask task = TinyTasks.markerTask("m");
    TrainSpec spec = preset(Method.UNIPELT, 200);
    assertEquals(EnumSet.of(Site.FFN, Site.LORA), spec.space().sites());
    assertTrue(spec.space().exampleGates());
    try (Trainer t = Trainer.create(backbone, spec, List.of(task))) {
      TrainResult r = t.run();
      assertTrue(r.tasks().get(0).metrics().get("accuracy") >= 0.85, "accuracy " + r.tasks().get(0).metrics());
      int modules = t.layout().size();
      int h = backbone.config().hidden();
      assertEquals(2 * backbone.config().layers(), modules);
      // every module (all open) counts its example-gate weights and bias as active
      long withoutGates = (long) h * 2 + 2;
      for (var m : t.layout().modules()) {
        withoutGates += m.params();
      }
      assertEquals(withoutGates + (long) modules * (h + 1), r.tasks().get(0).activeParams());

      float[] open = predictions(t, task);
      // the learned gates differ between examples: the gate input is each example's own mean
      assertFalse(Arrays.equals(t.value("m0_gw", "m"), new float[h]), "gate weights must be trained");
      for (int i = 0; i < modules; i++) {
        Arrays.fill(t.value("m" + i + "_gb", "m"), -1e4f);
        Arrays.fill(t.value("m" + i + "_gw", "m"), 0f);
      }
      float[] closed = predictions(t, task);
      float[] expected = TinyTasks.frozenPlusHeadPredictions(backbone, task, t.value("head_w", "m"),
          t.value("head_b", "m"));
      assertArrayEquals(expected, closed, "closed example gates leave the frozen backbone plus head");
      assertFalse(Arrays.equals(open, closed), "open gates must change the predictions");
    }
  }

  @Test
  void unipeltAndFullFineTuningHaveNoCompactExport(@TempDir Path dir) {
    try (Trainer t = Trainer.create(backbone, preset(Method.UNIPELT, 2), List.of(TinyTasks.markerTask("m")))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Exporter.export(t, Map.of("m", List.of("a", "b")), Map.of(), dir));
      assertTrue(e.getMessage().contains("unipelt"), e.getMessage());
    }
  }

  @Test
  void fullFineTuningStartsFromPretrainedWeightsAndLeavesTheBackboneObjectAlone() {
    TrainTask task = TinyTasks.markerTask("m");
    String before = backbone.weights().digest();
    try (Trainer t = Trainer.create(backbone, preset(Method.FULL_FT, 120), List.of(task))) {
      float[] q0 = backbone.weights().layers().get(0).query();
      assertArrayEquals(q0, t.value("bb_l0.query.w", "m"), "initialized from the pretrained weights");
      assertArrayEquals(backbone.weights().wordEmbeddings(), t.value("bb_emb.word", "m"));
      long head = 2L * backbone.config().hidden() + 2;
      assertEquals(backbone.config().parameterCount() + head, t.params().count(), "every backbone tensor is trainable");
      // before any step the model is exactly the frozen backbone plus the head
      assertArrayEquals(TinyTasks.frozenPlusHeadPredictions(backbone, task, t.value("head_w", "m"),
          t.value("head_b", "m")), predictions(t, task));

      TrainResult r = t.run();
      assertTrue(r.tasks().get(0).metrics().get("accuracy") >= 0.85, "accuracy " + r.tasks().get(0).metrics());
      assertFalse(Arrays.equals(q0, t.value("bb_l0.query.w", "m")), "backbone tensors are trained");
      assertEquals(backbone.config().parameterCount() + head, r.tasks().get(0).activeParams());
    }
    assertEquals(before, backbone.weights().digest(), "the shared Backbone object is never written");
  }

  /**
   * Prefix-tuning: one prefix module per layer, nothing else but the head; its embedding and
   * reparameterisation MLP train, and the export keeps only the folded keys and values
   * ({@code 2 x prefix_length x hidden} per layer) and serves what the trainer computes. (A prefix
   * cannot make this tiny random encoder find the marker, so learning is shown on MiniLM:
   * {@code PrefixTuningIntegrationTest}; the gradients are checked in {@code AttentionPrefixTest}.)
   */
  @Test
  void prefixTuningLearnsAndItsExportKeepsOnlyFoldedKeysAndValues(@TempDir Path dir) throws Exception {
    TrainTask task = TinyTasks.markerTask("m");
    TrainSpec spec = preset(Method.PREFIX, 200);
    assertEquals(EnumSet.of(Site.PREFIX), spec.space().sites());
    int h = backbone.config().hidden();
    int layers = backbone.config().layers();
    int p = spec.space().prefixLength();
    try (Trainer t = Trainer.create(backbone, spec, List.of(task))) {
      assertEquals(layers, t.layout().size());
      float[] emb0 = t.value("m0_pe", "m").clone();
      float[] w10 = t.value("m0_pw1", "m").clone();
      TrainResult r = t.run();
      assertFalse(Arrays.equals(emb0, t.value("m0_pe", "m")), "the prefix embedding is trained");
      assertFalse(Arrays.equals(w10, t.value("m0_pw1", "m")), "the reparameterisation MLP is trained");
      long served = (long) layers * 2 * p * h + 2L * h + 2;
      assertEquals(served, r.tasks().get(0).activeParams(), "active = folded keys and values + head");
      long mlp = (long) layers * ((long) p * h + (long) h * spec.space().prefixHidden() + spec.space().prefixHidden()
          + 2L * (spec.space().prefixHidden() * h + h));
      assertEquals(mlp + 2L * h + 2, r.trainableParams(), "trained: embedding and MLP per layer + head");

      Exporter.export(t, Map.of("m", List.of("a", "b")), Map.of(), dir);
      Map<String, io.slaft.model.export.WeightFile.Tensor> w = io.slaft.model.export.WeightFile.read(dir.resolve("weights.bin"));
      assertEquals(List.of(p, h), Arrays.stream(w.get("m/l0.prefix/prefix_k").shape()).boxed().toList());
      assertFalse(w.keySet().stream().anyMatch(k -> k.contains("pw") || k.contains("pe")), "no MLP in the export: " + w.keySet());
      float[][] trained = t.outputs(task, task.dev(), Trainer.EvalControls.discretized());
      List<io.slaft.model.tokenize.Encoded> enc = task.dev().stream().map(LabeledExample::tokens).toList();
      try (io.slaft.model.export.CompactModel m = io.slaft.model.export.CompactModel.load(dir, "m", backbone)) {
        assertEquals(served, m.task().activeParams());
        float[][] compact = m.outputs(enc);
        for (int i = 0; i < trained.length; i++) {
          for (int k = 0; k < trained[i].length; k++) {
            assertEquals(trained[i][k], compact[i][k], 1e-4, "example " + i + " output " + k);
          }
        }
      }
    }
  }

  private static float[] predictions(Trainer t, TrainTask task) {
    float[][] out = t.outputs(task, task.dev(), Trainer.EvalControls.search());
    float[] p = new float[out.length];
    for (int i = 0; i < out.length; i++) {
      p[i] = out[i][1] > out[i][0] ? 1 : 0;
    }
    return p;
  }
}
