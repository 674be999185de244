package io.slaft.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.slaft.model.adapters.Activation;
import io.slaft.model.adapters.GateFamily;
import io.slaft.model.adapters.ModuleLayout;
import io.slaft.model.adapters.SearchSpace;
import io.slaft.model.adapters.Site;
import io.slaft.model.adapters.SparsityControl;
import io.slaft.model.backbone.BackboneConfig;
import io.slaft.model.eval.MetricKind;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The discrete structure read from hand-set logits, without a graph. */
class DiscretizerTest {
  private static final BackboneConfig CONFIG = new BackboneConfig(2, 8, 2, 16, 40, 32, 2, 1e-12f);
  private static final List<Activation> ACTS = List.of(Activation.RELU, Activation.GELU);
  private static final SearchSpace SPACE = new SearchSpace(EnumSet.of(Site.ATTN, Site.LORA), List.of(), 4, 2, 4f,
      ACTS, false, false, false, false, 0.05f);

  private static TrainSpec spec(GateFamily family) {
    SparsityControl sp = new SparsityControl(family, 1f, family == GateFamily.BUDGET ? 0.1f : 0f, 0, 0, 1f, 1f, 2f, 0.5f);
    return new TrainSpec("sla", SPACE, sp, OptimizerConfig.defaults(), 10, 4, 0, 8, 0, 0, 1, 1f, 4, 10,
        NoiseSite.NONE, 0f);
  }

  private static final Slot GATES = new Slot(SlotNames.GATES, new int[] {4}, Slot.Group.STRUCTURE, true);
  private static final Slot ACT_LOGITS = new Slot(SlotNames.ACTS, new int[] {2, 2}, Slot.Group.STRUCTURE, true);

  /** Modules in layout order: l0.attn, l0.lora, l1.attn, l1.lora; gate logits +4, -4, -4, +4. */
  private static ParamStore params() {
    return ParamStore.init(List.of(GATES, ACT_LOGITS), List.of("t"), (s, task, r) -> s == GATES
        ? new float[] {4f, -4f, -4f, 4f}
        : new float[] {0f, 3f, 2f, -1f}, 1);
  }

  @Test
  void keepsModulesAboveTheThresholdWithTheirArgmaxActivation() {
    ModuleLayout layout = new ModuleLayout(SPACE, CONFIG);
    Discretizer d = new Discretizer(spec(GateFamily.SIGMOID), layout, params(), List.of(GATES, ACT_LOGITS), 1000);
    List<ModuleGate> s = d.structure("t");
    assertEquals(List.of("l0.attn", "l0.lora", "l1.attn", "l1.lora"), s.stream().map(ModuleGate::module).toList());
    assertEquals(List.of(true, false, false, true), s.stream().map(ModuleGate::active).toList());
    assertEquals("gelu", s.get(0).activation(), "logits 0 vs 3 choose the second candidate");
    assertEquals("relu", s.get(2).activation());
    assertEquals(4, s.get(0).width());
    assertEquals(2, s.get(3).width(), "a LoRA module's width is its rank");

    GateControls c = d.controls("t", true, 0f, new SplittableRandom(1));
    assertArrayEquals(new float[] {1, 0, 0, 1}, c.gateMask());
    assertArrayEquals(new float[] {0, 1, 1, 0}, c.actHardWeights(), "one-hot argmax per bottleneck module");
    assertArrayEquals(new float[] {1, 1}, c.actHard(), "every bottleneck uses its argmax");
    GateControls soft = d.controls("t", false, 0f, new SplittableRandom(1));
    assertArrayEquals(new float[] {1, 1, 1, 1}, soft.gateMask(), "the search model keeps every module");
    assertArrayEquals(new float[] {0, 0}, soft.actHard());

    List<LabeledExample> one = List.of(new LabeledExample(0, new io.slaft.model.tokenize.Encoded(new int[] {1}, new int[] {0}), 0, 0f));
    TrainTask task = new TrainTask("t", 2, MetricKind.ACCURACY, one, one);
    long head = 8 * 2 + 2;
    long attn = 4 * (2 * 8 + 1) + 8;
    long lora = 4L * 8 * 2;
    assertEquals(head + attn + lora, d.activeParams(task, s));
  }

  @Test
  void budgetServesKeptModulesFullyOnAndFixedKeepsEverything() {
    ModuleLayout layout = new ModuleLayout(SPACE, CONFIG);
    Discretizer budget = new Discretizer(spec(GateFamily.BUDGET), layout, params(), List.of(GATES, ACT_LOGITS), 1000);
    GateControls c = budget.controls("t", true, 0f, new SplittableRandom(1));
    assertEquals(Float.NEGATIVE_INFINITY, c.shift(), "a -inf shift opens every kept gate fully");
    // budget 0.1 × 1000 = 100 parameters: l0.attn (76, the largest gate, first in a tie) fits; l1.lora
    // (64) would make 140, and the closed modules do not fit either
    assertEquals(List.of(true, false, false, false),
        budget.structure("t").stream().map(ModuleGate::active).toList());

    Discretizer fixed = new Discretizer(spec(GateFamily.FIXED), layout, params(), List.of(ACT_LOGITS), 1000);
    assertFalse(fixed.structure("t").stream().anyMatch(g -> !g.active()), "fixed gates keep every module");
  }
}
