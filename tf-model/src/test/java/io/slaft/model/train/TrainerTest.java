package io.slaft.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.model.adapters.GateFamily;
import io.slaft.model.adapters.SearchSpace;
import io.slaft.model.adapters.GateMath;
import io.slaft.model.adapters.SettleControl;
import io.slaft.model.backbone.Backbone;
import io.slaft.model.testing.TinyTasks;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
  private final Backbone backbone = TinyTasks.backbone();

  @Test
  void learnsSyntheticTaskWithEveryGateFamily() {
    for (GateFamily f : GateFamily.values()) {
      try (Trainer t = Trainer.create(backbone, TinyTasks.spec(f, 0.05f, 150, 1), List.of(TinyTasks.markerTask("m")))) {
        TrainResult r = t.run();
        double acc = r.tasks().get(0).metrics().get("accuracy");
        assertTrue(acc >= 0.85, f + " accuracy " + acc);
      }
    }
  }

  @Test
  void backboneWeightsAreBitIdenticalAfterTraining() {
    String before = backbone.weights().digest();
    try (Trainer t = Trainer.create(backbone, TinyTasks.spec(GateFamily.SIGMOID, 1f, 20, 1), List.of(TinyTasks.markerTask("m")))) {
      t.run();
    }
    assertEquals(before, backbone.weights().digest());
  }

  @Test
  void sameSeedSameMetricsDifferentSeedDifferent() {
    TrainResult a = run(GateFamily.HARD_CONCRETE, 7);
    TrainResult b = run(GateFamily.HARD_CONCRETE, 7);
    TrainResult c = run(GateFamily.HARD_CONCRETE, 8);
    assertEquals(a.tasks().get(0).metrics(), b.tasks().get(0).metrics());
    assertArrayEquals(a.tasks().get(0).predictions(), b.tasks().get(0).predictions());
    assertNotEquals(gateValues(a), gateValues(c));
  }

  private TrainResult run(GateFamily f, long seed) {
    try (Trainer t = Trainer.create(backbone, TinyTasks.spec(f, 0.1f, 30, seed), List.of(TinyTasks.markerTask("m")))) {
      return t.run();
    }
  }

  private static List<Double> gateValues(TrainResult r) {
    return r.tasks().get(0).structure().stream().map(ModuleGate::gate).toList();
  }

  @Test
  void resumedRunEqualsUninterruptedRun(@TempDir Path dir) {
    TrainSpec spec = withCheckpoints(TinyTasks.spec(GateFamily.HARD_CONCRETE, 0.1f, 40, 3), 10);
    List<TrainTask> tasks = List.of(TinyTasks.markerTask("a"), TinyTasks.regressionTask());
    TrainResult full;
    try (Trainer t = Trainer.create(backbone, spec, tasks)) {
      full = t.run();
    }
    Path ckpt = dir.resolve("ckpt");
    try (Trainer t = Trainer.create(backbone, spec, tasks).checkpointDir(ckpt).haltAfter(27)) {
      assertNull(t.run(), "a halted run returns no result");
    }
    TrainResult resumed;
    try (Trainer t = Trainer.create(backbone, spec, tasks).checkpointDir(ckpt)) {
      resumed = t.run();
    }
    for (int i = 0; i < tasks.size(); i++) {
      assertEquals(full.tasks().get(i).metrics(), resumed.tasks().get(i).metrics());
      assertArrayEquals(full.tasks().get(i).predictions(), resumed.tasks().get(i).predictions());
    }
    assertEquals(full.bestStep(), resumed.bestStep());
    assertEquals(full.history().stream().map(TrainListener.EvalInfo::structure).toList(),
        resumed.history().stream().map(TrainListener.EvalInfo::structure).toList(), "structures survive the checkpoint");
    assertEquals(full.history().stream().map(TrainListener.EvalInfo::flips).toList(),
        resumed.history().stream().map(TrainListener.EvalInfo::flips).toList());
    List<String> previous = null;
    for (TrainListener.EvalInfo e : full.history()) {
      List<String> kept = e.structure().get("a");
      if (previous != null) {
        assertEquals(DiscreteStructure.flips(previous, kept), e.flips().get("a"), "flips at step " + e.step());
      }
      previous = kept;
    }
    assertEquals(4, full.history().size(), "evaluations at steps 10, 20, 30, 40");
  }

  @Test
  void theStructureSettlesAndNoLongerFlipsAfterTheSettleDeadline() {
    TrainSpec s = TinyTasks.spec(GateFamily.HARD_CONCRETE, 1f, 60, 4);
    TrainSpec spec = new TrainSpec(s.method(), s.space(), s.sparsity(), s.optimizer(), s.steps(), s.batchSize(), 5,
        s.evalBatchSize(), 0, 0, s.seed(), s.taskTemperature(), s.bucketWindow(), s.logEvery(), s.noiseSite(),
        s.trainNoise());
    int deadline = spec.sparsity().settle().deadline(spec.steps());
    try (Trainer t = Trainer.create(backbone, spec, List.of(TinyTasks.markerTask("m")))) {
      TrainResult r = t.run();
      int settled = r.settledAt().get("m");
      assertTrue(settled > 0 && settled <= deadline, "settled at " + settled + ", deadline " + deadline);
      List<String> atDeadline = null;
      for (TrainListener.EvalInfo e : r.history()) {
        if (e.step() >= deadline) {
          atDeadline = atDeadline == null ? e.structure().get("m") : atDeadline;
          assertEquals(atDeadline, e.structure().get("m"), "structure at step " + e.step());
        }
        if (e.step() > deadline) {
          assertEquals(0, e.flips().get("m"), "flips at step " + e.step());
        }
      }
      assertEquals(DiscreteStructure.kept(r.tasks().get(0).structure()), atDeadline, "the served structure is the settled one");
    }
  }

  /**
   * λ after 10 + 10 of 300 steps, settle checks every 2 steps with patience 2, the deadline at 150
   * (long enough on both sides for rebuilds to pay, {@link Settler#REBUILD_PAYS_AFTER}); evaluations
   * every 25 steps, checkpoints every 10.
   */
  private static TrainSpec settlingSpec(float lambda, float structureLr) {
    TrainSpec s = TinyTasks.spec(GateFamily.HARD_CONCRETE, lambda, 300, 4, 10, 10, structureLr);
    return new TrainSpec(s.method(), s.space(), s.sparsity().withSettle(new SettleControl(true, 2, 2, 0.5f)),
        s.optimizer(), s.steps(), s.batchSize(), 25, s.evalBatchSize(), 0, 10, s.seed(), s.taskTemperature(),
        s.bucketWindow(), s.logEvery(), s.noiseSite(), s.trainNoise());
  }

  @Test
  void atTheDeadlineKeptBottlenecksComputeOnlyTheirActivation(@TempDir Path dir) {
    TrainSpec spec = settlingSpec(0f, 0.05f);
    int deadline = spec.sparsity().settle().deadline(spec.steps());
    List<TrainListener.GraphInfo> graphs = rebuildsKeepTheModelAndResumeBitExact(spec, dir);
    assertEquals(1, graphs.size(), "λ 0 closes no module early: " + graphs);
    assertEquals(deadline, graphs.get(0).step());
    assertTrue(graphs.get(0).fixedActivations() > 0, "kept bottlenecks compute their one activation: " + graphs);
  }

  @Test
  void modulesCommittedClosedEarlyLeaveTheGraphBeforeTheDeadline(@TempDir Path dir) {
    TrainSpec spec = settlingSpec(3f, 0.2f);
    int deadline = spec.sparsity().settle().deadline(spec.steps());
    List<TrainListener.GraphInfo> graphs = rebuildsKeepTheModelAndResumeBitExact(spec, dir);
    TrainListener.GraphInfo first = graphs.get(0);
    assertTrue(first.step() < deadline && first.modules() <= first.poolModules() * 3 / 4,
        "a quarter of the pool or more leaves before the deadline: " + graphs);
  }

  @Test
  void aTrainerThatAdoptsATrainedOneEvaluatesExactlyAsIt() {
    TrainSpec spec = settlingSpec(3f, 0.2f);
    List<TrainTask> tasks = List.of(TinyTasks.markerTask("a"));
    TrainTask task = tasks.get(0);
    try (Trainer trained = Trainer.create(backbone, spec, tasks);
         Trainer adopting = Trainer.createWithNoise(backbone, spec, tasks, NoiseSite.EMBEDDINGS)) {
      trained.run();
      assertTrue(trained.graphRebuilds() > 0, "the trained one runs on a rebuilt graph");
      adopting.adopt(trained);
      for (Trainer.EvalControls ec : List.of(Trainer.EvalControls.search(), Trainer.EvalControls.discretized())) {
        TaskResult a = trained.evaluate(task, task.dev(), ec);
        TaskResult b = adopting.evaluate(task, task.dev(), ec);
        assertArrayEquals(a.predictions(), b.predictions(), "full graph, same parameters and commitments: " + ec);
        assertEquals(a.metrics(), b.metrics());
      }
    }
  }

  /**
   * Trains {@code spec} on the marker task without rebuilds, with them, and with them killed two
   * steps after the first checkpoint that follows the first rebuild and resumed: the same
   * structures and parameters equal to rounding without rebuilds (the same function summed in
   * another order), the resumed run bit for bit the uninterrupted one. Returns the rebuilds.
   */
  private List<TrainListener.GraphInfo> rebuildsKeepTheModelAndResumeBitExact(TrainSpec spec, Path dir) {
    List<TrainTask> tasks = List.of(TinyTasks.markerTask("a"));
    List<TrainListener.GraphInfo> graphs = new java.util.ArrayList<>();
    TrainResult full;
    Map<String, float[]> fullParams;
    try (Trainer t = Trainer.create(backbone, spec, tasks).rebuildSettled(false)) {
      full = t.run();
      fullParams = t.params().snapshot();
      assertEquals(0, t.graphRebuilds());
    }
    TrainResult rebuilt;
    Map<String, float[]> rebuiltParams;
    try (Trainer t = Trainer.create(backbone, spec, tasks).rebuildSettled(true).listener(new TrainListener() {
      @Override
      public void onGraph(GraphInfo info) {
        graphs.add(info);
      }
    })) {
      rebuilt = t.run();
      rebuiltParams = t.params().snapshot();
      assertEquals(graphs.size(), t.graphRebuilds());
    }
    assertTrue(!graphs.isEmpty(), "no rebuild");
    assertEquals(full.history().stream().map(TrainListener.EvalInfo::structure).toList(),
        rebuilt.history().stream().map(TrainListener.EvalInfo::structure).toList());
    assertEquals(fullParams.keySet(), rebuiltParams.keySet());
    for (String k : fullParams.keySet()) {
      assertArrayEquals(fullParams.get(k), rebuiltParams.get(k), 1e-4f, k);
    }
    assertEquals(full.tasks().get(0).metrics().get("accuracy"), rebuilt.tasks().get(0).metrics().get("accuracy"), 0.02);

    int every = spec.checkpointEvery();
    int haltAt = (graphs.get(0).step() + every - 1) / every * every + 2;
    Path ckpt = dir.resolve("ckpt");
    try (Trainer t = Trainer.create(backbone, spec, tasks).checkpointDir(ckpt).haltAfter(haltAt)) {
      assertNull(t.run());
    }
    try (Trainer t = Trainer.create(backbone, spec, tasks).checkpointDir(ckpt)) {
      TrainResult resumed = t.run();
      assertTrue(t.graphRebuilds() >= 1, "the resumed run starts with the checkpoint's graph");
      assertEquals(rebuilt.tasks().get(0).metrics(), resumed.tasks().get(0).metrics());
      assertArrayEquals(rebuilt.tasks().get(0).predictions(), resumed.tasks().get(0).predictions());
      assertEquals(rebuilt.history().stream().map(e -> e.metrics() + " " + e.structure()).toList(),
          resumed.history().stream().map(e -> e.metrics() + " " + e.structure()).toList());
      Map<String, float[]> resumedParams = t.params().snapshot();
      for (String k : rebuiltParams.keySet()) {
        assertArrayEquals(rebuiltParams.get(k), resumedParams.get(k), k);
      }
    }
    return graphs;
  }

  /**
   * With modules in the top layer only, the layer below runs once per example and comes from the
   * cache: the same model as computing it every step (up to float rounding), each example through
   * the frozen layer once however many epochs, and a resumed run bit for bit the uninterrupted one.
   */
  @Test
  void layersBelowTheLowestModuleRunOncePerExampleFromTheCache(@TempDir Path dir) {
    TrainSpec base = TinyTasks.spec(GateFamily.HARD_CONCRETE, 0.1f, 60, 3);
    SearchSpace s = base.space();
    SearchSpace top = new SearchSpace(s.sites(), List.of(1), s.bottleneck(), s.loraRank(), s.loraAlpha(), s.activations(),
        s.channelGates(), false, false, false, s.initScale());
    TrainSpec spec = withCheckpoints(new TrainSpec("sla", top, base.sparsity(), base.optimizer(), 60, base.batchSize(), 10,
        base.evalBatchSize(), 0, 0, 3, 1f, 4, 10, NoiseSite.NONE, 0f), 20);
    List<TrainTask> tasks = List.of(TinyTasks.markerTask("a"));
    int own = tasks.get(0).train().size() + tasks.get(0).validation().size() + tasks.get(0).dev().size();
    TrainResult computed;
    Map<String, float[]> computedParams;
    try (Trainer t = Trainer.create(backbone, spec, tasks).cacheFrozenLayers(false)) {
      assertEquals(0, t.cachedLayers());
      computed = t.run();
      computedParams = t.params().snapshot();
    }
    TrainResult cached;
    Map<String, float[]> cachedParams;
    try (Trainer t = Trainer.create(backbone, spec, tasks).cacheFrozenLayers(true)) {
      assertEquals(1, t.cachedLayers(), "layer 0 has no module");
      cached = t.run();
      cachedParams = t.params().snapshot();
      assertTrue(60 * spec.batchSize() > tasks.get(0).train().size(), "the run sees its examples more than once");
      assertTrue(t.cachedExamplesComputed() <= own && t.cachedExamplesComputed() > 0,
          t.cachedExamplesComputed() + " examples through the frozen layer, " + own + " examples in the run");
    }
    for (String k : computedParams.keySet()) {
      assertArrayEquals(computedParams.get(k), cachedParams.get(k), 1e-4f, k);
    }
    assertEquals(computed.tasks().get(0).metrics().get("accuracy"), cached.tasks().get(0).metrics().get("accuracy"), 0.02);

    Path ckpt = dir.resolve("ckpt");
    try (Trainer t = Trainer.create(backbone, spec, tasks).cacheFrozenLayers(true).checkpointDir(ckpt).haltAfter(42)) {
      assertNull(t.run());
    }
    try (Trainer t = Trainer.create(backbone, spec, tasks).cacheFrozenLayers(true).checkpointDir(ckpt)) {
      TrainResult resumed = t.run();
      assertEquals(cached.tasks().get(0).metrics(), resumed.tasks().get(0).metrics());
      Map<String, float[]> resumedParams = t.params().snapshot();
      for (String k : cachedParams.keySet()) {
        assertArrayEquals(cachedParams.get(k), resumedParams.get(k), k);
      }
    }
  }

  /** Nothing is cached where the bottom layers change during the run: BitFit deltas, representation noise. */
  @Test
  void noCacheWhereTheBottomLayersAreTrainedOrPerturbed() {
    TrainSpec base = TinyTasks.spec(GateFamily.HARD_CONCRETE, 0.1f, 4, 3);
    SearchSpace s = base.space();
    List<TrainTask> tasks = List.of(TinyTasks.markerTask("a"));
    for (boolean bitfit : List.of(true, false)) {
      SearchSpace top = new SearchSpace(s.sites(), List.of(1), s.bottleneck(), s.loraRank(), s.loraAlpha(),
          s.activations(), false, bitfit, false, false, s.initScale());
      TrainSpec spec = new TrainSpec("sla", top, base.sparsity(), base.optimizer(), 4, base.batchSize(), 0,
          base.evalBatchSize(), 0, 0, 3, 1f, 4, 10, bitfit ? NoiseSite.NONE : NoiseSite.HIDDEN, bitfit ? 0f : 0.1f);
      try (Trainer t = Trainer.create(backbone, spec, tasks).cacheFrozenLayers(true)) {
        assertEquals(0, t.cachedLayers(), bitfit ? "BitFit trains every layer's biases" : "noise enters every layer");
      }
    }
  }

  private static TrainSpec withCheckpoints(TrainSpec s, int every) {
    return new TrainSpec(s.method(), s.space(), s.sparsity(), s.optimizer(), s.steps(), s.batchSize(), 10,
        s.evalBatchSize(), 0, every, s.seed(), s.taskTemperature(), s.bucketWindow(), s.logEvery(), s.noiseSite(),
        s.trainNoise());
  }

  @Test
  void hugeLambdaClosesEveryGateAndOutputIsBackbonePlusHead() {
    TrainSpec spec = TinyTasks.spec(GateFamily.HARD_CONCRETE, 1e4f, 60, 5, 0, 0, 1f);
    TrainTask task = TinyTasks.markerTask("m");
    try (Trainer t = Trainer.create(backbone, spec, List.of(task))) {
      TrainResult r = t.run();
      for (ModuleGate g : r.tasks().get(0).structure()) {
        assertEquals(0.0, g.gate(), "gate " + g.module() + " must be exactly closed");
      }
      float[] w = t.params().value(slotOf(t, "head_w"), "m");
      float[] b = t.params().value(slotOf(t, "head_b"), "m");
      float[] expected = TinyTasks.frozenPlusHeadPredictions(backbone, task, w, b);
      assertArrayEquals(expected, r.tasks().get(0).predictions());
    }
  }

  private static Slot slotOf(Trainer t, String name) {
    return t.params().all().stream().map(ParamStore.Param::slot).filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void discreteRetrainingKeepsTheStructureAndTrainsOnlyWeights() {
    TrainTask task = TinyTasks.markerTask("m");
    try (Trainer t = Trainer.create(backbone, TinyTasks.spec(GateFamily.HARD_CONCRETE, 0.3f, 120, 6), List.of(task))) {
      TrainResult searched = t.run();
      List<ModuleGate> before = t.structure("m");
      float[] gateLogits = t.value("gates", "m").clone();
      float[] actLogits = t.value("acts", "m").clone();
      ModuleGate open = before.stream().filter(ModuleGate::active).findFirst().orElseThrow();
      int idx = before.indexOf(open);
      String weight = "m" + idx + (open.activation() != null ? "_uw" : "_bq");
      float[] w0 = t.value(weight, "m").clone();
      float[] head0 = t.value("head_w", "m").clone();
      ModuleGate closed = before.stream().filter(g -> !g.active()).findFirst().orElseThrow();
      int closedIdx = before.indexOf(closed);
      String closedWeight = "m" + closedIdx + (closed.activation() != null ? "_uw" : "_bq");
      float[] closed0 = t.value(closedWeight, "m").clone();

      TrainResult r = t.retrainDiscrete(searched, 30);

      assertArrayEquals(closed0, t.value(closedWeight, "m"), "a closed module's weights get no gradient and do not move");

      assertEquals(before, t.structure("m"), "the discrete structure is fixed while re-training");
      assertArrayEquals(gateLogits, t.value("gates", "m"));
      assertArrayEquals(actLogits, t.value("acts", "m"));
      assertNotEquals(java.util.Arrays.toString(w0), java.util.Arrays.toString(t.value(weight, "m")), "open adapter trained");
      assertNotEquals(java.util.Arrays.toString(head0), java.util.Arrays.toString(t.value("head_w", "m")), "head trained");
      assertEquals(searched.stepsRun() + 30, r.stepsRun());
      TaskResult discrete = t.evaluate(task, task.dev(), Trainer.EvalControls.discretized());
      assertEquals(discrete.metrics(), r.tasks().get(0).metrics(), "the result is the discretized evaluation");
      assertTrue(discrete.metrics().get("accuracy") >= 0.85, discrete.metrics().toString());
    }
  }

  @Test
  void budgetStructureKeepsTheLargestGatesThatFitAndTheResultIsTheDiscretizedModel() {
    TrainTask task = TinyTasks.markerTask("m");
    TrainSpec spec = TinyTasks.spec(GateFamily.BUDGET, 0f, 60, 3);
    try (Trainer t = Trainer.create(backbone, spec, List.of(task))) {
      TrainResult r = t.run();
      List<ModuleGate> s = t.structure("m");
      long[] sizes = t.layout().sizes();
      double budget = spec.sparsity().budget() * backbone.config().parameterCount();
      long used = 0;
      double smallestKept = Double.POSITIVE_INFINITY;
      for (int i = 0; i < s.size(); i++) {
        if (s.get(i).active()) {
          used += sizes[i];
          smallestKept = Math.min(smallestKept, s.get(i).gate());
        }
      }
      assertTrue(used > 0 && used <= budget, "kept " + used + " of budget " + budget);
      for (int i = 0; i < s.size(); i++) {
        if (!s.get(i).active() && s.get(i).gate() > smallestKept) {
          assertTrue(used + sizes[i] > budget, s.get(i).module() + " has a larger gate and would have fit");
        }
      }
      assertEquals(t.evaluate(task, task.dev(), Trainer.EvalControls.discretized()).metrics(), r.tasks().get(0).metrics());
      assertEquals(t.evaluate(task, task.dev(), Trainer.EvalControls.search()).metrics(), r.searchTasks().get(0).metrics());
    }
  }

  @Test
  void graphGateValuesMatchReferenceMath() {
    TrainSpec spec = TinyTasks.spec(GateFamily.SIGMOID, 0.1f, 5, 2);
    try (Trainer t = Trainer.create(backbone, spec, List.of(TinyTasks.markerTask("m")))) {
      t.run();
      float[] alpha = t.params().value(slotOf(t, "gates"), "m");
      List<ModuleGate> s = t.structure("m");
      for (int i = 0; i < alpha.length; i++) {
        assertEquals(GateMath.sigmoidGate(alpha[i], 1.0), s.get(i).gate(), 1e-6);
      }
    }
  }

  @Test
  void multiTaskHasPerTaskStructuresOverSharedPool() {
    TrainSpec spec = TinyTasks.spec(GateFamily.SIGMOID, 0.5f, 60, 4);
    try (Trainer t = Trainer.create(backbone, spec, List.of(TinyTasks.markerTask("a"), TinyTasks.regressionTask()))) {
      TrainResult r = t.run();
      assertEquals(2, r.tasks().size());
      assertNotEquals(gateValues(r), r.tasks().get(1).structure().stream().map(ModuleGate::gate).toList());
      assertTrue(r.tasks().get(1).metrics().containsKey("pearson"));
    }
  }

  @Test
  void aStopRuleIsAskedAfterEveryEvaluationButTheLastAndEndsTheRunWhereItSays() {
    TrainSpec spec = withCheckpoints(TinyTasks.spec(GateFamily.HARD_CONCRETE, 0.1f, 40, 3), 0);
    List<Integer> asked = new java.util.ArrayList<>();
    TrainResult full;
    try (Trainer t = Trainer.create(backbone, spec, List.of(TinyTasks.markerTask("m")))) {
      full = t.stopRule(e -> {
        asked.add(e.step());
        return java.util.Optional.empty();
      }).run();
    }
    assertEquals(List.of(10, 20, 30), asked, "asked at every evaluation before the last step");
    assertNull(full.stoppedEarly());
    assertEquals(40, full.stepsRun());

    StopRule.Stop cut = new StopRule.Stop(20, 10, "test: cut at rung 10, decided at 20");
    try (Trainer t = Trainer.create(backbone, spec, List.of(TinyTasks.markerTask("m")))) {
      TrainResult r = t.stopRule(e -> e.step() == 20 ? java.util.Optional.of(cut) : java.util.Optional.empty()).run();
      assertEquals(cut, r.stoppedEarly());
      assertEquals(20, r.stepsRun());
      assertEquals(List.of(10, 20), r.history().stream().map(TrainListener.EvalInfo::step).toList());
      // the steps before the stop are the uninterrupted run's
      assertEquals(full.history().get(1).metrics(), r.history().get(1).metrics());
      assertTrue(r.bestStep() <= 20, "best step " + r.bestStep());
    }
  }
}
