package io.slaft.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AdamWTest {
  private static final Slot W = new Slot("w", new int[] {2}, Slot.Group.ADAPTER, false);
  private static final Slot B = new Slot("b", new int[] {1}, Slot.Group.ADAPTER_BIAS, false);
  private static final Slot GATES = new Slot("gates", new int[] {1}, Slot.Group.STRUCTURE, true);
  private static final List<Slot> SLOTS = List.of(W, B, GATES);

  private static OptimizerConfig config(float weightDecay, float clip) {
    return new OptimizerConfig(0.1f, 0.5f, 1e-3f, weightDecay, 0f, clip, 0.9f, 0.999f, 1e-8f);
  }

  private static ParamStore store() {
    return ParamStore.init(SLOTS, List.of("t"), (s, task, r) -> {
      float[] a = new float[s.size()];
      java.util.Arrays.fill(a, 1f);
      return a;
    }, 1);
  }

  @Test
  void firstStepMovesEachWeightByItsLearningRateAgainstTheGradientSign() {
    ParamStore p = store();
    float[][] grads = {{0.5f, -0.25f}, {0.1f}, {0.2f}};
    new AdamW(config(0f, 100f)).step(p, "t", SLOTS, grads, 1.0, false, null);
    // bias-corrected first step: m̂ / sqrt(v̂) = sign(g), so w -= lr
    assertArrayEquals(new float[] {0.9f, 1.1f}, p.value(W, "t"), 1e-6f);
    assertArrayEquals(new float[] {0.9f}, p.value(B, "t"), 1e-6f);
    assertArrayEquals(new float[] {0.5f}, p.value(GATES, "t"), 1e-6f, "structure logits use structure_lr");
  }

  @Test
  void clipsWeightsAndStructureByTheirOwnGlobalNorms() {
    float[][] grads = {{3f, 4f}, {0f}, {10f}};
    new AdamW(config(0f, 1f)).step(store(), "t", SLOTS, grads, 1.0, false, null);
    assertArrayEquals(new float[] {0.6f, 0.8f}, grads[0], 1e-6f, "weights' norm 5 clipped to 1");
    assertArrayEquals(new float[] {1f}, grads[2], 1e-6f, "structure's norm 10 clipped to 1 on its own");
  }

  @Test
  void decaysOnlyDecayingGroupsAndFreezesStructureWhenAsked() {
    ParamStore p = store();
    float[][] zero = {{0f, 0f}, {0f}, {1f}};
    new AdamW(config(0.5f, 100f)).step(p, "t", SLOTS, zero, 1.0, true, null);
    assertArrayEquals(new float[] {0.95f, 0.95f}, p.value(W, "t"), 1e-6f, "w -= lr * wd * w");
    assertArrayEquals(new float[] {1f}, p.value(B, "t"), "biases do not decay");
    assertArrayEquals(new float[] {1f}, p.value(GATES, "t"), "structure frozen in discrete re-training");
    assertEquals(0, p.get(ParamStore.key(GATES, "t")).steps, "a frozen slot takes no optimizer step");
  }

  @Test
  void frozenElementsNeitherMoveNorCountInTheClippingNorm() {
    Slot gates = new Slot("gates", new int[] {2}, Slot.Group.STRUCTURE, true);
    ParamStore p = ParamStore.init(List.of(gates), List.of("t"), (s, task, r) -> new float[] {1f, 1f}, 1);
    float[][] grads = {{100f, 0.5f}};
    new AdamW(config(0f, 1f)).step(p, "t", List.of(gates), grads, 1.0, false,
        s -> s == gates ? new boolean[] {true, false} : null);
    assertArrayEquals(new float[] {1f, 0.5f}, p.value(gates, "t"), 1e-6f, "element 0 frozen, element 1 moved by structure_lr");
    assertArrayEquals(new float[] {0f, 0.5f}, grads[0], 1e-6f, "the frozen gradient is zeroed before the norm (0.5 < clip 1)");
  }
}
