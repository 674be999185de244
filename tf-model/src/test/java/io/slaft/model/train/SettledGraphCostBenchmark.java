package io.slaft.model.train;

import io.slaft.model.adapters.Method;
import io.slaft.model.adapters.ModuleLayout;
import io.slaft.model.adapters.Site;
import io.slaft.model.backbone.Backbone;
import io.slaft.model.backbone.BackboneSource;
import io.slaft.model.bench.BenchStats;
import io.slaft.model.bench.TrainBenchmarkFixtures;
import io.slaft.model.eval.MetricKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What the settle phase's graph rebuilds buy and cost on the real MiniLM-L6 (the measurement
 * behind {@link Settler#REBUILD_PAYS_AFTER}); a benchmark, not a test — it asserts nothing and runs
 * only when asked:
 *
 * <pre>mvn -o -pl tf-model test -Dtest=SettledGraphCostBenchmark -Dslaft.bench=true [-Dslaft.bench.length=16]</pre>
 *
 * <p>One SLA trainer over the benchmark's full search space (batch 32, random tokens of the given
 * length); the graph is rebuilt for each plan in turn — every module, every other module removed
 * with the rest computing one activation, only the LoRA modules, none, only the modules of layers
 * 3-5 with layers 0-2 computed and with them taken from the {@link LayerCache} — and each plan's search
 * step is timed over 20 steps after 2 warm-up steps, the plans in alternating order over 3 rounds
 * (medians), beside the LoRA preset's step in the same process. Also printed: the time of a rebuild
 * (graph and session) and of the first step after it (TensorFlow creates the step's executor).
 */
@EnabledIfSystemProperty(named = "slaft.bench", matches = "true")
class SettledGraphCostBenchmark {
  private static final int BATCH = 32;
  private static final int STEPS = 20;
  private static final int ROUNDS = 3;
  /** The plan row whose bottom layers come from the layer cache (every other row computes every layer). */
  private static final String CACHED = "the modules of layers 3-5, layers 0-2 cached";

  @Test
  void stepTimeByPlan() {
    int length = Integer.getInteger("slaft.bench.length", 16);
    Backbone backbone = Backbone.shared(BackboneSource.builtin("minilm-l6"), 128);
    SplittableRandom rnd = new SplittableRandom(7);
    List<LabeledExample> train = new ArrayList<>();
    for (int i = 0; i < BATCH * 8; i++) {
      train.add(new LabeledExample(i, TrainBenchmarkFixtures.randomEncoded(backbone, length, rnd), rnd.nextInt(2), 0f));
    }
    TrainTask task = new TrainTask("bench", 2, MetricKind.ACCURACY, train, train.subList(0, BATCH));
    Map<String, List<Double>> stepMs = new LinkedHashMap<>();
    List<Double> rebuildMs = new ArrayList<>();
    List<Double> firstStepMs = new ArrayList<>();
    try (Trainer sla = Trainer.create(backbone, TrainBenchmarkFixtures.spec(Method.SLA, BATCH), List.of(task));
         Trainer lora = Trainer.create(backbone, TrainBenchmarkFixtures.spec(Method.LORA, BATCH), List.of(task))) {
      ModuleLayout layout = sla.layout();
      Map<String, GraphPlan> plans = new LinkedHashMap<>();
      plans.put("all 24 modules, activations mixed", GraphPlan.full(layout));
      plans.put("every other module, one activation each", plan(layout, m -> m.index() % 2 == 0));
      plans.put("the 6 LoRA modules only", plan(layout, m -> m.site() == Site.LORA));
      plans.put("no module (head only)", plan(layout, m -> false));
      plans.put("the modules of layers 3-5, layers 0-2 computed", plan(layout, m -> m.layer() >= 3));
      plans.put(CACHED, plan(layout, m -> m.layer() >= 3));
      int step = 0;
      lora.trainSteps(0, 2);
      for (int round = 0; round < ROUNDS; round++) {
        List<String> order = new ArrayList<>(plans.keySet());
        if (round % 2 == 1) {
          java.util.Collections.reverse(order);
        }
        for (String name : order) {
          sla.cacheFrozenLayers(name.equals(CACHED)); // only that row takes the layers below its modules from the cache
          long t0 = System.nanoTime();
          boolean rebuilt = sla.rebuildGraph(plans.get(name));
          long t1 = System.nanoTime();
          sla.trainSteps(step++, 1);
          long t2 = System.nanoTime();
          if (rebuilt) {
            rebuildMs.add((t1 - t0) / 1e6);
            firstStepMs.add((t2 - t1) / 1e6);
          }
          // warm-up; the cached row first passes over every example once (its cache is built per run: steady state is timed)
          int warmup = name.equals(CACHED) ? Math.max(2, train.size() / BATCH) : 2;
          sla.trainSteps(step, warmup);
          step += warmup;
          long s0 = System.nanoTime();
          sla.trainSteps(step, STEPS);
          step += STEPS;
          stepMs.computeIfAbsent(name, k -> new ArrayList<>()).add((System.nanoTime() - s0) / 1e6 / STEPS);
        }
        long l0 = System.nanoTime();
        lora.trainSteps(2 + round * STEPS, STEPS);
        stepMs.computeIfAbsent("LoRA preset (reference)", k -> new ArrayList<>()).add((System.nanoTime() - l0) / 1e6 / STEPS);
      }
    }
    double reference = median(stepMs.get("LoRA preset (reference)"));
    System.out.printf(Locale.ROOT, "command: mvn -o -pl tf-model test -Dtest=SettledGraphCostBenchmark -Dslaft.bench=true"
        + " -Dslaft.bench.length=%d%nmachine: %s, TF intra-op threads %d%nbatch %d x %d tokens, %d steps per plan and round,"
        + " %d rounds (medians)%n%n| SLA graph | search step ms | / LoRA preset step |%n|---|---:|---:|%n", length,
        BenchStats.machine(), io.slaft.model.runtime.TfRuntime.intraOpThreads(), BATCH, length, STEPS, ROUNDS);
    stepMs.forEach((name, ms) -> System.out.printf(Locale.ROOT, "| %s | %.1f | %.2f |%n", name, median(ms),
        median(ms) / reference));
    System.out.printf(Locale.ROOT, "%nrebuild (graph + session) %.0f ms, first step after it %.0f ms (medians)%n",
        median(rebuildMs), median(firstStepMs));
  }

  /** Modules {@code keep} selects, each bottleneck among them computing its first candidate activation. */
  private static GraphPlan plan(ModuleLayout layout, Predicate<ModuleLayout.Module> keep) {
    GraphPlan full = GraphPlan.full(layout);
    boolean[] present = full.present().clone();
    int[] activation = full.activation().clone();
    for (ModuleLayout.Module m : layout.modules()) {
      present[m.index()] = keep.test(m);
      if (present[m.index()] && m.bottleneckIndex() >= 0) {
        activation[m.bottleneckIndex()] = 0;
      }
    }
    return new GraphPlan(present, activation);
  }

  private static double median(List<Double> v) {
    return BenchStats.median(v.stream().mapToDouble(Double::doubleValue).toArray());
  }
}
