package io.slaft.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.model.adapters.Activation;
import io.slaft.model.adapters.GateFamily;
import io.slaft.model.adapters.ModuleLayout;
import io.slaft.model.adapters.SearchSpace;
import io.slaft.model.adapters.SettleControl;
import io.slaft.model.adapters.Site;
import io.slaft.model.adapters.SparsityControl;
import io.slaft.model.backbone.BackboneConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Commit-and-freeze on hand-set logits: which modules commit when, and what that freezes. */
class SettlerTest {
  private static final BackboneConfig CONFIG = new BackboneConfig(2, 8, 2, 16, 40, 32, 2, 1e-12f);
  private static final SearchSpace SPACE = new SearchSpace(EnumSet.of(Site.ATTN, Site.LORA), List.of(), 4, 2, 4f,
      List.of(Activation.RELU, Activation.GELU), false, false, false, false, 0.05f);
  private static final Slot GATES = new Slot(SlotNames.GATES, new int[] {4}, Slot.Group.STRUCTURE, true);
  private static final Slot ACTS = new Slot(SlotNames.ACTS, new int[] {2, 2}, Slot.Group.STRUCTURE, true);
  private static final Slot HEAD = new Slot(SlotNames.HEAD_W, new int[] {8, 2}, Slot.Group.HEAD, true);

  /** 100 steps, warm-up 10 + ramp 10: checks at 20, 22, 24, ... (every 2), patience 3, deadline 75. */
  private static TrainSpec spec() {
    return spec(100);
  }

  /** As {@link #spec()} with {@code steps} steps (the deadline at 75 % of them). */
  private static TrainSpec spec(int steps) {
    SparsityControl sp = new SparsityControl(GateFamily.SIGMOID, 1f, 0f, 10, 10, 1f, 1f, 2f, 0.5f,
        new SettleControl(true, 2, 3, 0.75f));
    return new TrainSpec("sla", SPACE, sp, OptimizerConfig.defaults(), steps, 4, 0, 8, 0, 0, 1, 1f, 4, 10,
        NoiseSite.NONE, 0f);
  }

  private final ModuleLayout layout = new ModuleLayout(SPACE, CONFIG);
  private final ParamStore params = ParamStore.init(List.of(GATES, ACTS, HEAD), List.of("t"), (s, task, r) -> s == GATES
      ? new float[] {4f, -4f, 4f, -4f} : new float[s.size()], 1);
  private final Discretizer discretizer = new Discretizer(spec(), layout, params, List.of(GATES, ACTS, HEAD), 1000);

  private Settler settler() {
    return new Settler(spec(), layout, discretizer, List.of("t"));
  }

  @Test
  void commitsModulesThatStayedClosedForPatienceChecksAndFreezesTheirLogits() {
    Settler s = settler();
    for (int step = 1; step <= 23; step++) {
      s.afterStep(step);
    }
    assertEquals(0, s.committed("t"), "two checks (steps 20, 22) are fewer than the patience of 3");
    float[] gates = params.value(GATES, "t");
    gates[1] = 4f; // l0.lora opens before the third check
    s.afterStep(24);
    assertEquals(1, s.committed("t"), "only l1.lora stayed closed for 3 checks; open modules wait for the deadline");
    GateControls c = s.searchControls("t", new float[4], 1f, 0f, 1f, 0f, null);
    assertArrayEquals(new float[] {1, 1, 1, 0}, c.gateMask(), "the committed module no longer uses its learned gate");
    assertArrayEquals(new float[] {0, 0, 0, 0}, c.gateFixed(), "committed closed: served gate 0");
    assertArrayEquals(new boolean[] {false, false, false, true}, s.frozen(GATES, "t"));
    assertNull(s.frozen(ACTS, "t"), "no bottleneck module is committed yet");
    assertNull(s.frozen(HEAD, "t"), "only structure logits freeze");
    for (int step = 25; step <= 74; step++) {
      s.afterStep(step);
    }
    assertEquals(1, s.committed("t"));
    assertEquals(-1, s.settledAt("t"));
    s.afterStep(75);
    assertEquals(4, s.committed("t"), "the deadline commits the rest");
    assertEquals(75, s.settledAt("t"));
    c = s.searchControls("t", new float[4], 1f, 0f, 1f, 0f, null);
    assertArrayEquals(new float[] {0, 0, 0, 0}, c.gateMask(), "committed modules train with their served gate");
    float served = (float) io.slaft.model.adapters.GateMath.sigmoidGate(4, 1);
    assertArrayEquals(new float[] {served, served, served, 0}, c.gateFixed(), 1e-7f);
    assertArrayEquals(new float[] {1, 1}, c.actHard(), "both bottlenecks train with their committed activation");
    assertArrayEquals(new float[] {1, 0, 1, 0}, c.actHardWeights(), "activation logits all 0: the first candidate (relu)");
    assertArrayEquals(new boolean[] {true, true, true, true}, s.frozen(ACTS, "t"));
  }

  @Test
  void thePlanRemovesModulesCommittedClosedAndFixesTheSettledActivations() {
    Settler s = new Settler(spec(1000), layout, discretizer, List.of("t"));
    Settler shortRun = settler();
    GraphPlan full = GraphPlan.full(layout);
    params.value(GATES, "t")[1] = 4f; // l0.lora open: only l1.lora stays closed
    for (int step = 1; step <= 23; step++) {
      s.afterStep(step);
      shortRun.afterStep(step);
    }
    assertSame(full, s.plan(23, full), "nothing is committed yet");
    s.afterStep(24);
    shortRun.afterStep(24);
    assertSame(full, shortRun.plan(24, full), "a quarter of the pool for the 51 steps to the deadline (75) does not pay"
        + " for a rebuild: 0.25 × 51 < " + Settler.REBUILD_PAYS_AFTER);
    GraphPlan early = s.plan(24, full);
    assertArrayEquals(new boolean[] {true, true, true, false}, early.present(),
        "l1.lora is committed closed: a quarter of the pool for 726 steps pays");
    assertArrayEquals(new int[] {-1, -1}, early.activation(), "before the deadline every bottleneck still mixes");
    assertSame(early, s.plan(40, early), "nothing new to take out");
    GateControls soft = discretizer.controls("t", false, 0f, null);
    GateControls evaluated = s.asTrained("t", soft);
    assertArrayEquals(new float[] {1, 1, 1, 0}, evaluated.gateMask(), "evaluation sees l1.lora as trained: closed");
    assertArrayEquals(new float[] {0, 0, 0, 0}, evaluated.gateFixed());
    assertArrayEquals(new float[] {0, 0}, evaluated.actHard(), "uncommitted bottlenecks keep the soft mix");
    for (int step = 25; step <= 750; step++) {
      s.afterStep(step);
    }
    GraphPlan settled = s.plan(750, early);
    assertArrayEquals(new boolean[] {true, true, true, false}, settled.present());
    assertArrayEquals(new int[] {0, 0}, settled.activation(), "both bottlenecks kept with relu (activation logits all 0)");
    GateControls trained = s.searchControls("t", new float[4], 1f, 0f, 1f, 0f, null);
    evaluated = s.asTrained("t", soft);
    assertArrayEquals(trained.gateMask(), evaluated.gateMask(), "settled: the search model is evaluated as trained");
    assertArrayEquals(trained.gateFixed(), evaluated.gateFixed());
    assertArrayEquals(trained.actHard(), evaluated.actHard());
    assertArrayEquals(trained.actHardWeights(), evaluated.actHardWeights());
  }

  @Test
  void aSharedModuleLeavesTheGraphOnlyWhenEveryTaskClosedIt() {
    ParamStore two = ParamStore.init(List.of(GATES, ACTS, HEAD), List.of("t", "u"), (slot, task, r) -> slot == GATES
        ? (task.equals("t") ? new float[] {4f, -4f, 4f, -4f} : new float[] {4f, -4f, 4f, 4f})
        : slot == ACTS && task.equals("u") ? new float[] {0f, 5f, 0f, 0f} : new float[slot.size()], 1);
    Discretizer d = new Discretizer(spec(1000), layout, two, List.of(GATES, ACTS, HEAD), 1000);
    Settler s = new Settler(spec(1000), layout, d, List.of("t", "u"));
    GraphPlan full = GraphPlan.full(layout);
    for (int step = 1; step <= 749; step++) {
      s.afterStep(step);
      if (step == 24) {
        assertArrayEquals(new boolean[] {true, false, true, true}, s.plan(step, full).present(),
            "l0.lora is closed for both tasks, l1.lora only for t");
      }
    }
    s.afterStep(750);
    GraphPlan settled = s.plan(750, full);
    assertArrayEquals(new boolean[] {true, false, true, true}, settled.present());
    assertArrayEquals(new int[] {-1, 0}, settled.activation(),
        "l0.attn is kept with relu by t and gelu by u: it keeps the mix; l1.attn is relu for both");
  }

  @Test
  void theDeadlineIsRoundedDownSoThatTheLastQuarterNeverSeesAChange() {
    SettleControl c = new SettleControl(true, 10, 5, 0.75f);
    assertEquals(300, c.deadline(400));
    assertEquals(232, c.deadline(310), "MRPC's 310 steps: 232.5 rounds down");
    for (int steps = 1; steps <= 2000; steps++) {
      int d = c.deadline(steps);
      assertTrue(4L * d <= 3L * steps || d == 1, steps + " steps: deadline " + d + " is inside the last quarter");
    }
    assertEquals(70, new SettleControl(true, 10, 5, 0.7f).deadline(100), "0.7f is 0.69999999 as a float");
    assertEquals(100, SettleControl.OFF.deadline(100));
  }

  @Test
  void theDeadlineCommitsEveryModuleInItsCurrentState() {
    Settler s = settler();
    float[] gates = params.value(GATES, "t");
    for (int step = 1; step < 75; step++) {
      gates[3] = step % 4 < 2 ? 4f : -4f; // l1.lora flips every other check: never closed for 3 in a row
      s.afterStep(step);
    }
    assertEquals(1, s.committed("t"), "l0.lora stayed closed");
    gates[3] = -4f;
    s.afterStep(75);
    assertEquals(4, s.committed("t"));
    assertEquals(75, s.settledAt("t"));
    GateControls c = s.searchControls("t", new float[4], 1f, 0f, 1f, 0f, null);
    assertEquals(0f, c.gateMask()[3] + c.gateFixed()[3], "committed closed at the deadline");
  }

  @Test
  void itsStateSurvivesACheckpoint() throws Exception {
    Settler s = settler();
    for (int step = 1; step <= 24; step++) {
      s.afterStep(step);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    s.write(new DataOutputStream(bytes));
    Settler restored = settler();
    restored.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertEquals(s.committed("t"), restored.committed("t"));
    assertArrayEquals(s.searchControls("t", new float[4], 1f, 0f, 1f, 0f, null).gateFixed(),
        restored.searchControls("t", new float[4], 1f, 0f, 1f, 0f, null).gateFixed());
    params.value(GATES, "t")[1] = 4f;
    for (int step = 25; step <= 75; step++) {
      s.afterStep(step);
      restored.afterStep(step);
    }
    assertEquals(s.settledAt("t"), restored.settledAt("t"));
    assertArrayEquals(s.frozen(GATES, "t"), restored.frozen(GATES, "t"));
  }

  @Test
  void offOrFixedGatesNeverSettle() {
    TrainSpec off = spec();
    off = new TrainSpec(off.method(), off.space(), off.sparsity().withSettle(SettleControl.OFF), off.optimizer(), off.steps(),
        off.batchSize(), off.evalEvery(), off.evalBatchSize(), off.patience(), off.checkpointEvery(), off.seed(),
        off.taskTemperature(), off.bucketWindow(), off.logEvery(), off.noiseSite(), off.trainNoise());
    Settler s = new Settler(off, layout, discretizer, List.of("t"));
    for (int step = 1; step <= 100; step++) {
      s.afterStep(step);
    }
    assertEquals(0, s.committed("t"));
    assertNull(s.frozen(GATES, "t"));
    GateControls c = s.searchControls("t", new float[4], 1f, 0f, 1f, 0f, null);
    assertArrayEquals(new float[] {1, 1, 1, 1}, c.gateMask());
    assertArrayEquals(new float[] {0, 0, 0, 0}, c.gateFixed());
    assertArrayEquals(new float[] {0, 0}, c.actHard());
  }
}
