package io.slaft.pipelines.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.pipelines.config.ExperimentConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchVariantTest {
  @Test
  void keyValuePairsInOrderAndPiecesWithoutEqualsContinueAList() {
    BenchVariant v = BenchVariant.parse("sla-bias:method=sla,adapters.sites=ffn, lora,bias,sparsity.budget=0.000918");
    assertEquals("sla-bias", v.name());
    assertEquals(Map.of("method", "sla", "adapters.sites", "ffn,lora,bias", "sparsity.budget", "0.000918"), v.overrides());
    assertEquals(List.of("method", "adapters.sites", "sparsity.budget"), List.copyOf(v.overrides().keySet()));
  }

  @Test
  void aProfileDeclaresNamedRowsWhoseNamesMayHoldDots() {
    ExperimentConfig c = ExperimentConfig.of("profile", Map.of(
        "bench.variants.sla-l0.3.method", "sla", "bench.variants.sla-l0.3.sparsity.lambda", "0.3",
        "bench.variants.sla-b.method", "sla", "bench.variants.sla-b.sparsity.gate", "budget",
        "bench.variants.sla-b.adapters.sites", "ffn,lora"));
    List<BenchVariant> rows = BenchVariant.fromConfig(c);
    assertEquals(List.of("sla-b", "sla-l0.3"), rows.stream().map(BenchVariant::name).toList());
    assertEquals(Map.of("method", "sla", "sparsity.gate", "budget", "adapters.sites", "ffn,lora"), rows.get(0).overrides());
    assertEquals(Map.of("method", "sla", "sparsity.lambda", "0.3"), rows.get(1).overrides());
    // a row is what a --variant with the same overrides is: the same cells
    assertEquals(c.with(Map.of("method", "sla", "sparsity.lambda", "0.3")).hash(),
        ExperimentConfig.of("x", Map.of()).with(BenchVariant.parse("sla-l0.3:method=sla,sparsity.lambda=0.3").overrides()).hash());
  }

  @Test
  void everyRowMustNameAMethodBeforeAnyCellTrains() {
    ExperimentConfig base = ExperimentConfig.of("profile", Map.of());
    Map<String, Map<String, String>> variants = Map.of("sla-x", Map.of("method", "sla", "sparsity.lambda", "0.3"),
        "no-method", Map.of("sparsity.lambda", "0.3"));
    BenchVariant.checkRows(base, List.of("lora", "adapterfusion", "sla-x"), variants, List.of("mrpc"));
    IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
        () -> BenchVariant.checkRows(base, List.of("lora", "sla-typo"), variants, List.of("mrpc")));
    assertTrue(typo.getMessage().startsWith("row sla-typo: ") && typo.getMessage().contains("'sla-typo' is not allowed")
        && typo.getMessage().contains("--methods takes method ids"), typo.getMessage());
    IllegalArgumentException noMethod = assertThrows(IllegalArgumentException.class,
        () -> BenchVariant.checkRows(base, List.of("no-method"), variants, List.of("mrpc")));
    assertTrue(noMethod.getMessage().startsWith("row no-method: ") && !noMethod.getMessage().contains("--methods takes"),
        noMethod.getMessage());
  }

  @Test
  void aTaskSettingReachesOnlyThatTasksCellsAndNoRowMaySetItToo() {
    ExperimentConfig plain = ExperimentConfig.of("profile", Map.of());
    ExperimentConfig c = plain.with(Map.of("bench.tasks.rte.train.epochs", "10", "bench.tasks.rte.optimizer.lr", "1e-3"));
    assertEquals(plain.hash(), c.hash(), "the profile's key is in no hash; it reaches rte's cells through their overrides");
    assertEquals(Map.of("train.epochs", "10", "optimizer.lr", "1e-3"), BenchVariant.taskOverrides(c, "rte"));
    assertEquals(Map.of(), BenchVariant.taskOverrides(c, "mrpc"));
    assertTrue(GlueBench.caps(c).endsWith("; rte: optimizer.lr=1e-3; rte: train.epochs=10"), GlueBench.caps(c));
    Map<String, Map<String, String>> variants = Map.of("sla-lr", Map.of("method", "sla", "optimizer.lr", "5e-4"));
    BenchVariant.checkRows(c, List.of("lora", "sla-lr"), variants, List.of("mrpc"));
    IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
        () -> BenchVariant.checkRows(c, List.of("lora", "sla-lr"), variants, List.of("mrpc", "rte")));
    assertTrue(both.getMessage().contains("row sla-lr sets optimizer.lr and so does bench.tasks.rte.optimizer.lr"),
        both.getMessage());
    assertThrows(io.slaft.pipelines.config.ConfigException.class, () -> plain.with(Map.of("bench.tasks.rte.seed", "2")));
    assertThrows(io.slaft.pipelines.config.ConfigException.class, () -> plain.with(Map.of("bench.tasks.rte", "2")));
  }

  @Test
  void aSpecWithoutNameOrStartingWithAListElementNamesTheSpecAndTheForm() {
    for (String bad : List.of("method=sla", ":method=sla", "x:", "x:ffn,method=sla", "x:method=sla,,lora")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchVariant.parse(bad), bad);
      assertTrue(e.getMessage().contains("--variant " + bad) && e.getMessage().contains("KEY=VALUE"), e.getMessage());
    }
  }
}
