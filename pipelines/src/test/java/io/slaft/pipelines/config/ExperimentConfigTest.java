package io.slaft.pipelines.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.model.adapters.GateFamily;
import io.slaft.model.adapters.Site;
import io.slaft.model.train.TrainSpec;
import io.slaft.pipelines.experiment.Specs;
import io.slaft.pipelines.run.SweepPoints;
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
}
