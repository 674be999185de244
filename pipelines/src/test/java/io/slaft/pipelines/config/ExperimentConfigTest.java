package io.slaft.pipelines.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.model.adapters.GateFamily;
import io.slaft.model.adapters.Site;
import io.slaft.model.train.TrainSpec;
import io.slaft.pipelines.experiment.ExperimentSpec;
import io.slaft.pipelines.experiment.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentConfigTest {
  private static Path write(Path dir, String yaml) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void unknownKeyNamesFileKeyAndSuggestion(@TempDir Path dir) throws Exception {
    Path f = write(dir, "sparsity:\n  lamda: 1.0\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ExperimentConfig.load(f));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("sparsity.lamda"), e.getMessage());
    assertTrue(e.getMessage().contains("sparsity.lambda"), e.getMessage());
  }

  @Test
  void badEnumValueListsAllowedValues(@TempDir Path dir) throws Exception {
    Path f = write(dir, "sparsity:\n  gate: l1\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ExperimentConfig.load(f));
    assertTrue(e.getMessage().contains("sparsity.gate"), e.getMessage());
    assertTrue(e.getMessage().contains("hard-concrete"), e.getMessage());
  }

  @Test
  void badNumberAndMissingFile(@TempDir Path dir) throws Exception {
    Path f = write(dir, "train:\n  steps: many\n");
    assertTrue(assertThrows(ConfigException.class, () -> ExperimentConfig.load(f)).getMessage().contains("train.steps"));
    Path missing = dir.resolve("nope.yaml");
    assertTrue(assertThrows(ConfigException.class, () -> ExperimentConfig.load(missing)).getMessage().contains("nope.yaml"));
  }

  @Test
  void overridesDefaultsAndSpec(@TempDir Path dir) throws Exception {
    Path f = write(dir, "method: sla\nadapters:\n  sites: [attn, lora]\nsparsity:\n  gate: budget\n  budget: 0.01\n");
    ExperimentConfig c = ExperimentConfig.load(f).withOverrides(List.of("sparsity.lambda=2.5", "seed=9"));
    TrainSpec s = Specs.train(c);
    assertEquals(2.5f, s.sparsity().lambda());
    assertEquals(9, s.seed());
    assertEquals(GateFamily.BUDGET, s.sparsity().family());
    assertEquals(java.util.Set.of(Site.ATTN, Site.LORA), s.space().sites());
    assertEquals(400, s.steps(), "default from the key registry");
    assertNotEquals(ExperimentConfig.load(f).hash(), c.hash());
    TrainSpec lora = Specs.train(c.with(Map.of("method", "lora")));
    assertEquals(java.util.Set.of(Site.LORA), lora.space().sites());
    assertEquals(GateFamily.FIXED, lora.sparsity().family());
  }

  @Test
  void theBiasSiteIsOptInAndParsed(@TempDir Path dir) throws Exception {
    ExperimentConfig c = ExperimentConfig.load(write(dir, "method: sla\nadapters:\n  sites: [ffn, bias]\n"));
    assertEquals(java.util.Set.of(Site.FFN, Site.BIAS), Specs.train(c).space().sites());
    ExperimentConfig defaults = ExperimentConfig.load(write(dir, "method: sla\n"));
    assertEquals(Site.DEFAULT_POOL, Specs.train(defaults).space().sites(), "not in the default pool");
    assertTrue(assertThrows(ConfigException.class, () -> ExperimentConfig.load(write(dir, "adapters:\n  sites: [biases]\n")))
        .getMessage().contains("bias"));
  }

  /**
   * adapterfusion reads its first stage from pfeiffer exports named by adapters.fusion_sources; the
   * key is refused before any work when missing, unread by the method, pointing nowhere, or naming an
   * export that has other adapters than those after the FFN.
   */
  @Test
  void adapterFusionSourcesAreCheckedWhenTheConfigIsBound(@TempDir Path dir) throws Exception {
    io.slaft.model.backbone.Backbone tiny = io.slaft.model.testing.TinyTasks.backbone();
    Path pfeiffer = tinyExport(tiny, "pfeiffer", dir.resolve("pfeiffer"));
    Path lora = tinyExport(tiny, "lora", dir.resolve("lora"));
    ExperimentConfig base = ExperimentConfig.load(write(dir, "method: adapterfusion\nadapters:\n  bottleneck: 4\n"));

    TrainSpec fused = Specs.train(base.with(Map.of("adapters.fusion_sources", pfeiffer.toString())));
    assertEquals(java.util.Set.of(Site.FUSION), fused.space().sites());
    assertEquals(List.of("m"), fused.space().fusion().sources().stream().map(s -> s.name()).toList());

    String key = "adapters.fusion_sources";
    assertTrue(assertThrows(ConfigException.class, () -> Specs.train(base)).getMessage().contains(key));
    ConfigException unread = assertThrows(ConfigException.class,
        () -> Specs.train(base.with(Map.of("method", "lora", key, pfeiffer.toString()))));
    assertTrue(unread.getMessage().contains(key) && unread.getMessage().contains("method: adapterfusion"), unread.getMessage());
    ConfigException missing = assertThrows(ConfigException.class,
        () -> Specs.train(base.with(Map.of(key, dir.resolve("nowhere").toString()))));
    assertTrue(missing.getMessage().contains(key) && missing.getMessage().contains("nowhere")
        && missing.getMessage().contains("export.json"), missing.getMessage());
    ConfigException notPfeiffer = assertThrows(ConfigException.class,
        () -> Specs.train(base.with(Map.of(key, lora.toString()))));
    assertTrue(notPfeiffer.getMessage().contains("l0.lora") && notPfeiffer.getMessage().contains("pfeiffer"),
        notPfeiffer.getMessage());
  }

  /** A two-step run of {@code method} on the tiny backbone, exported to {@code out}. */
  private static Path tinyExport(io.slaft.model.backbone.Backbone tiny, String method, Path out) {
    io.slaft.model.adapters.Method m = io.slaft.model.adapters.Method.byId(method);
    TrainSpec s = io.slaft.model.testing.TinyTasks.spec(GateFamily.HARD_CONCRETE, 0f, 2, 1);
    TrainSpec spec = new TrainSpec(method, m.space(s.space()), m.sparsity(s.sparsity()), s.optimizer(), 2, s.batchSize(),
        0, s.evalBatchSize(), 0, 0, 1, 1f, 4, 10, s.noiseSite(), 0f);
    try (io.slaft.model.train.Trainer t = io.slaft.model.train.Trainer.create(tiny, spec,
        List.of(io.slaft.model.testing.TinyTasks.markerTask("m")))) {
      t.run();
      return io.slaft.model.export.Exporter.export(t, Map.of(), Map.of(), out);
    }
  }

  @Test
  void resolvedYamlRoundTripsWithTheSameHash(@TempDir Path dir) throws Exception {
    ExperimentConfig c = ExperimentConfig.load(write(dir, "tasks: [sst2, mrpc]\nsweep:\n  grid:\n    sparsity.lambda: [0.5, 1]\n  seeds: [1, 2]\n"));
    Path again = dir.resolve("resolved.yaml");
    Files.writeString(again, c.toYaml());
    assertEquals(c.hash(), ExperimentConfig.load(again).hash());
    assertEquals(4, SweepPoints.of(c).size());
  }

  @Test
  void laterKeysCountInTheHashOnlyWhenSet(@TempDir Path dir) throws Exception {
    ExperimentConfig c = ExperimentConfig.load(write(dir, "tasks: [sst2]\n"));
    assertEquals(c.hash(), c.with(Map.of("train.retrain_steps", "0")).hash(), "at its default: not hashed");
    assertNotEquals(c.hash(), c.with(Map.of("train.retrain_steps", "50")).hash(), "set: hashed");
  }

  @Test
  void sweepAxisOnUnknownKeyIsRejected(@TempDir Path dir) throws Exception {
    Path f = write(dir, "sweep:\n  grid:\n    sparsity.lamda: [1, 2]\n");
    assertTrue(assertThrows(ConfigException.class, () -> ExperimentConfig.load(f)).getMessage().contains("sparsity.lambda"));
  }

  @Test
  void nestedAndDottedSweepRandomAreTheSameConfig(@TempDir Path dir) throws Exception {
    ExperimentConfig nested = ExperimentConfig.load(write(dir,
        "sweep:\n  random:\n    optimizer.lr: loguniform(1e-4,1e-2)\n  samples: 2\n"));
    Path dotted = dir.resolve("dotted.yaml");
    Files.writeString(dotted, "sweep.random.optimizer.lr: loguniform(1e-4,1e-2)\nsweep.samples: 2\n");
    Path deep = dir.resolve("deep.yaml");
    Files.writeString(deep, "sweep:\n  random:\n    optimizer:\n      lr: loguniform(1e-4,1e-2)\n  samples: 2\n");
    assertEquals(nested.hash(), ExperimentConfig.load(dotted).hash());
    assertEquals(nested.hash(), ExperimentConfig.load(deep).hash());
    List<io.slaft.transforms.sweep.SweepPoint> points = SweepPoints.of(nested);
    assertEquals(2, points.size());
    for (var p : points) {
      double lr = Double.parseDouble(p.overrides().get("optimizer.lr"));
      assertTrue(lr >= 1e-4 && lr <= 1e-2, "sample inside the distribution: " + lr);
      assertTrue(ExperimentSpec.bind(nested.with(p.overrides())).train().optimizer().lr() > 0);
    }
  }

  @Test
  void nestedGridAndTaskDefsBind(@TempDir Path dir) throws Exception {
    ExperimentConfig c = ExperimentConfig.load(write(dir, "tasks: [spam]\n"
        + "task_defs:\n  spam:\n    train: spam/train.tsv\n    dev: spam/dev.tsv\n    labels: [ham, spam]\n"
        + "sweep:\n  grid:\n    sparsity:\n      lambda: [0.5, 2]\n"));
    assertEquals(Map.of("sparsity.lambda", "0.5,2"), c.withPrefix(ConfigKeys.GRID_PREFIX));
    assertEquals(List.of("ham", "spam"), c.get(ConfigKeys.TASK_LABELS, "spam"));
    assertEquals(2, ExperimentSpec.bindSweep(c).size());
  }

  @Test
  void aNegativeLambdaInAGridIsRefusedAtLoadNamingKeyValueAndRule(@TempDir Path dir) throws Exception {
    Path f = write(dir, "sweep:\n  grid:\n    sparsity.lambda: [-1, 1]\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ExperimentConfig.load(f));
    assertTrue(e.getMessage().contains("sweep.grid.sparsity.lambda"), e.getMessage());
    assertTrue(e.getMessage().contains("-1"), e.getMessage());
    assertTrue(e.getMessage().contains(">= 0"), e.getMessage());
    // the same rule for a plain value and --set
    ConfigException set = assertThrows(ConfigException.class,
        () -> ExperimentConfig.load(write(dir, "name: x\n")).withOverrides(List.of("sparsity.lambda=-0.5")));
    assertTrue(set.getMessage().contains("sparsity.lambda: must be >= 0"), set.getMessage());
  }

  @Test
  void randomAxisBoundsAndFormsAreChecked(@TempDir Path dir) throws Exception {
    ConfigException range = assertThrows(ConfigException.class, () -> ExperimentConfig.load(
        write(dir, "sweep:\n  random:\n    sparsity.threshold: uniform(0.2, 1.5)\n  samples: 3\n")));
    assertTrue(range.getMessage().contains("sweep.random.sparsity.threshold: bound 1.5 must be in (0, 1)"), range.getMessage());
    ConfigException form = assertThrows(ConfigException.class, () -> ExperimentConfig.load(
        write(dir, "sweep:\n  random:\n    optimizer.lr: lognormal(1, 2)\n  samples: 3\n")));
    assertTrue(form.getMessage().contains("loguniform(a,b)"), form.getMessage());
    ConfigException order = assertThrows(ConfigException.class, () -> ExperimentConfig.load(
        write(dir, "sweep:\n  random:\n    optimizer.lr: uniform(0.1, 0.01)\n  samples: 3\n")));
    assertTrue(order.getMessage().contains("sweep.random.optimizer.lr"), order.getMessage());
    ConfigException choice = assertThrows(ConfigException.class, () -> ExperimentConfig.load(
        write(dir, "sweep:\n  random:\n    sparsity.gate: choice(sigmoid, l1)\n  samples: 3\n")));
    assertTrue(choice.getMessage().contains("'l1' is not allowed"), choice.getMessage());
  }

  @Test
  void everySweepPointIsBoundBeforeAnythingRuns(@TempDir Path dir) throws Exception {
    // each value is fine alone; the sigmoid point with a budget breaks a rule that spans two keys
    ExperimentConfig c = ExperimentConfig.load(write(dir,
        "sparsity:\n  budget: 0.01\nsweep:\n  grid:\n    sparsity.gate: [budget, sigmoid]\n"));
    ConfigException e = assertThrows(ConfigException.class, () -> ExperimentSpec.bindSweep(c));
    assertTrue(e.getMessage().startsWith("sweep point "), e.getMessage());
    assertTrue(e.getMessage().contains("sparsity.gate=sigmoid"), e.getMessage());
    assertTrue(e.getMessage().contains("sparsity.budget"), e.getMessage());
  }

  @Test
  void earlyStoppingIsCheckedBeforeAnythingRunsNamingKeyValueAndFix(@TempDir Path dir) throws Exception {
    String sweep = "sweep:\n  seeds: [1, 2]\n  early_stop: asha\n";
    ExperimentConfig ok = ExperimentConfig.load(write(dir, "data:\n  validation: 0.1\ntrain:\n  eval_every: 10\n" + sweep));
    assertEquals(2, ExperimentSpec.bindSweep(ok).size());
    assertEquals("asha, η 3, rungs 10·3^k, cut once 1 other point has reported the rung",
        io.slaft.pipelines.experiment.Specs.earlyStopping(ok).describe());
    assertEquals(ExperimentConfig.load(write(dir, "data:\n  validation: 0.1\ntrain:\n  eval_every: 10\nsweep:\n  seeds: [1, 2]\n"))
        .hash(), ok.withOverrides(List.of("sweep.early_stop=none")).hash(), "early_stop at its default keeps the hash");

    ConfigException unknown = assertThrows(ConfigException.class, () -> ok.withOverrides(List.of("sweep.early_stop=hyperband")));
    assertTrue(unknown.getMessage().contains("sweep.early_stop") && unknown.getMessage().contains("none, median, asha"),
        unknown.getMessage());
    ConfigException noValidation = assertThrows(ConfigException.class,
        () -> ExperimentSpec.bindSweep(ok.withOverrides(List.of("data.validation=0"))));
    assertTrue(noValidation.getMessage().contains("sweep.early_stop = asha") && noValidation.getMessage().contains("data.validation")
        && noValidation.getMessage().contains("Fix: set data.validation"), noValidation.getMessage());
    ConfigException noEvals = assertThrows(ConfigException.class,
        () -> ExperimentSpec.bindSweep(ok.withOverrides(List.of("train.eval_every=0"))));
    assertTrue(noEvals.getMessage().contains("train.eval_every") && noEvals.getMessage().contains("Fix:"), noEvals.getMessage());
    ConfigException offGrid = assertThrows(ConfigException.class,
        () -> ExperimentSpec.bindSweep(ok.withOverrides(List.of("sweep.rungs=10,25"))));
    assertTrue(offGrid.getMessage().contains("sweep.rungs [10, 25]") && offGrid.getMessage().contains("rung 25")
        && offGrid.getMessage().contains("multiples of 10"), offGrid.getMessage());
    ConfigException eta = assertThrows(ConfigException.class, () -> ok.withOverrides(List.of("sweep.reduction_factor=1")));
    assertTrue(eta.getMessage().contains("sweep.reduction_factor"), eta.getMessage());
    ConfigException alone = assertThrows(ConfigException.class,
        () -> ExperimentSpec.bindSweep(ExperimentConfig.load(write(dir, "data:\n  validation: 0.1\ntrain:\n  eval_every: 10\n"
            + "sweep:\n  early_stop: median\n"))));
    assertTrue(alone.getMessage().contains("has 1") && alone.getMessage().contains("sweep.early_stop: none"), alone.getMessage());
    // a swept eval_every is checked per point
    ConfigException point = assertThrows(ConfigException.class,
        () -> ExperimentSpec.bindSweep(ok.withOverrides(List.of("sweep.rungs=20", "sweep.grid.train.eval_every=10,15"))));
    assertTrue(point.getMessage().startsWith("sweep point ") && point.getMessage().contains("train.eval_every=15"), point.getMessage());
  }

  @Test
  void earlyStoppingBeforeLambdaActsOnASparsitySweepIsCalledOut(@TempDir Path dir) throws Exception {
    ExperimentConfig c = ExperimentConfig.load(write(dir, "data:\n  validation: 0.1\ntrain:\n  steps: 70\n  eval_every: 10\n"
        + "sparsity:\n  warmup_steps: 10\n  ramp_steps: 20\nsweep:\n  early_stop: asha\n  grid:\n    sparsity.lambda: [0, 2]\n"));
    String caveat = io.slaft.pipelines.experiment.Specs.earlyStoppingCaveat(c).orElseThrow();
    assertTrue(caveat.contains("first rung of sweep.early_stop is step 10") && caveat.contains("until step 10")
        && caveat.contains("Fix: set sweep.rungs") && caveat.contains("[30]"), caveat);
    assertEquals(java.util.Optional.empty(), io.slaft.pipelines.experiment.Specs.earlyStoppingCaveat(c.withOverrides(List.of("sweep.rungs=30"))));
    ExperimentConfig lr = ExperimentConfig.load(write(dir, "data:\n  validation: 0.1\ntrain:\n  steps: 70\n  eval_every: 10\n"
        + "sparsity:\n  warmup_steps: 10\nsweep:\n  early_stop: asha\n  grid:\n    optimizer.lr: [1e-3, 1e-2]\n"));
    assertEquals(java.util.Optional.empty(), io.slaft.pipelines.experiment.Specs.earlyStoppingCaveat(lr), "λ is not swept");
  }

  @Test
  void theChampionRuleIsCheckedBeforeAnythingRunsAndLeavesTheHashAlone(@TempDir Path dir) throws Exception {
    ExperimentConfig ok = ExperimentConfig.load(write(dir, "data:\n  validation: 0.1\nsweep:\n  seeds: [1, 2]\n"
        + "champion:\n  robustness: true\n  max_compression: 0.02\n  max_drop: 0.05\n"));
    assertEquals(2, ExperimentSpec.bindSweep(ok).size());
    assertEquals(new io.slaft.pipelines.champion.ChampionRule(true, 0.02, 0.05, 0.15), io.slaft.pipelines.champion.ChampionRule.from(ok));
    assertEquals(ok.withOverrides(List.of("champion.robustness=false", "champion.max_drop=0")).hash(), ok.hash(),
        "how the champion is chosen is not what is trained: same hash, same cached points");

    ConfigException noValidation = assertThrows(ConfigException.class,
        () -> ExperimentSpec.bindSweep(ok.withOverrides(List.of("data.validation=0"))));
    assertTrue(noValidation.getMessage().contains("champion.robustness = true") && noValidation.getMessage().contains("Fix: set data.validation"),
        noValidation.getMessage());
    ConfigException dropWithout = assertThrows(ConfigException.class,
        () -> ExperimentSpec.bindSweep(ok.withOverrides(List.of("champion.robustness=false"))));
    assertTrue(dropWithout.getMessage().contains("champion.max_drop = 0.05") && dropWithout.getMessage().contains("Fix: set champion.robustness: true"),
        dropWithout.getMessage());
    ConfigException severity = assertThrows(ConfigException.class,
        () -> ExperimentSpec.bindSweep(ok.withOverrides(List.of("champion.drop_at=0.12"))));
    assertTrue(severity.getMessage().contains("champion.drop_at = 0.12") && severity.getMessage().contains("robustness.severities"),
        severity.getMessage());
    ConfigException noiseOnly = assertThrows(ConfigException.class,
        () -> ExperimentSpec.bindSweep(ok.withOverrides(List.of("robustness.families=embedding-noise"))));
    assertTrue(noiseOnly.getMessage().contains("input perturbations only") && noiseOnly.getMessage().contains("Fix: add an input family"),
        noiseOnly.getMessage());
    ConfigException negative = assertThrows(ConfigException.class, () -> ok.withOverrides(List.of("champion.max_compression=-1")));
    assertTrue(negative.getMessage().contains("champion.max_compression"), negative.getMessage());
  }

  @Test
  void aBenchProfilesRowsAreCheckedAtLoadAndLeaveTheHashAlone(@TempDir Path dir) throws Exception {
    ExperimentConfig plain = ExperimentConfig.load(write(dir, "sparsity:\n  lambda: 1.0\n"));
    ExperimentConfig ok = ExperimentConfig.load(write(dir, "sparsity:\n  lambda: 1.0\nbench:\n  variants:\n"
        + "    sla-l0.3: {method: sla, sparsity.lambda: 0.3}\n"
        + "    sla-b8:\n      method: sla\n      adapters: {bottleneck: 8}\n"));
    assertEquals(plain.hash(), ok.hash(), "which rows a bench runs is not what a cell trains: the cells stay cached");
    assertEquals(java.util.Map.entry("sla-l0.3", "sparsity.lambda"), ConfigKeys.benchVariantKey("sla-l0.3.sparsity.lambda"));
    for (String[] bad : new String[][] {
        {"bench.variants.sla-x.sparsity.lamda=0.3", "expected bench.variants.<row name>.<config key>"},
        {"bench.variants.sla-x.sparsity.lambda=-1", "sparsity.lambda"},
        {"bench.variants.sla-x.seed=3", "cannot set seed"},
        {"bench.variants.sla-x.sweep.seeds=1,2", "cannot set sweep.seeds"}}) {
      ConfigException e = assertThrows(ConfigException.class, () -> plain.withOverrides(List.of(bad[0])), bad[0]);
      assertTrue(e.getMessage().contains(bad[1]) && e.getMessage().contains(bad[0].substring(0, bad[0].indexOf('='))),
          e.getMessage());
    }
  }

  @Test
  void valuesAreReadTypedFromTheirOneDeclaration(@TempDir Path dir) throws Exception {
    ExperimentConfig c = ExperimentConfig.load(write(dir, "train:\n  steps: 12\nsparsity:\n  lambda: 1e-1\n"));
    int steps = c.get(ConfigKeys.TRAIN_STEPS);
    float lambda = c.get(ConfigKeys.SPARSITY_LAMBDA);
    assertEquals(12, steps);
    assertEquals(0.1f, lambda);
    assertEquals(List.of("attn", "ffn", "parallel", "lora"), c.get(ConfigKeys.ADAPTER_SITES));
    for (ConfigKey<?> k : ConfigKeys.all()) {
      if (k.defaultValue() != null) {
        assertEquals(null, k.check(k.defaultValue()), "the default of " + k.key() + " satisfies its own rule");
      }
    }
    ConfigException steps0 = assertThrows(ConfigException.class, () -> c.withOverrides(List.of("train.steps=0")));
    assertTrue(steps0.getMessage().contains("train.steps: must be >= 1"), steps0.getMessage());
  }

  @Test
  void backbonePrecisionIsCheckedBeforeAnythingRuns(@TempDir Path dir) throws Exception {
    ConfigException bad = assertThrows(ConfigException.class,
        () -> ExperimentConfig.load(write(dir, "backbone:\n  precision: fp16\n")));
    assertTrue(bad.getMessage().contains("backbone.precision") && bad.getMessage().contains("auto, fp32, bf16"), bad.getMessage());
    ExperimentConfig c = ExperimentConfig.load(write(dir, "method: lora\n"));
    assertEquals(io.slaft.model.backbone.Precision.FP32, ExperimentSpec.bind(c).precision(), "fp32 by default, on every CPU");
    assertEquals(io.slaft.model.backbone.Precision.BF16,
        ExperimentSpec.bind(c.withOverrides(List.of("backbone.precision=bf16"))).precision());
    assertEquals(c.hash(), c.withOverrides(List.of("backbone.precision=fp32")).hash(), "setting the default keeps the hash");
    ExperimentConfig full = c.withOverrides(List.of("method=full-ft", "backbone.precision=bf16"));
    ConfigException ft = assertThrows(ConfigException.class, () -> ExperimentSpec.bind(full));
    assertTrue(ft.getMessage().contains("backbone.precision") && ft.getMessage().contains("full-ft")
        && ft.getMessage().contains("fp32 or auto"), ft.getMessage());
    assertEquals(io.slaft.model.backbone.Precision.FP32,
        ExperimentSpec.bind(c.withOverrides(List.of("method=full-ft", "backbone.precision=auto"))).precision(),
        "auto has no frozen matmul to speed up in full fine-tuning");
  }
}
