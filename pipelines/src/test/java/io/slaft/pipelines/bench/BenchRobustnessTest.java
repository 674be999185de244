package io.slaft.pipelines.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.pipelines.config.ExperimentConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchRobustnessTest {
  private static ExperimentConfig config(String families) {
    return ExperimentConfig.of("test", Map.of("robustness.families", families));
  }

  @Test
  void refusesNoTaskASeverityOutsideTheRangeAndFamiliesWithoutAnInputPerturbation() {
    ExperimentConfig c = config("word-dropout,embedding-noise");
    assertThrows(IllegalArgumentException.class, () -> BenchRobustness.of(c, List.of(), 0.15));
    for (double bad : new double[] {0, -0.1, 1.5, Double.NaN}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> BenchRobustness.of(c, List.of("sst2"), bad));
      assertTrue(e.getMessage().contains("severity") && e.getMessage().contains("0.15"), e.getMessage());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BenchRobustness.of(config("embedding-noise,hidden-noise"), List.of("sst2"), 0.15));
    assertTrue(e.getMessage().contains("robustness.families") && e.getMessage().contains("no input-perturbation"),
        e.getMessage());
  }

  @Test
  void theTableGivesEachRowsCleanAndDropsAsMeanAndStdOverSeeds() {
    BenchRobustness r = BenchRobustness.of(config("word-dropout,char-swap,embedding-noise"), List.of("sst2"), 0.15);
    assertTrue(r.covers("sst2"));
    assertFalse(r.covers("mrpc"));
    List<Map<String, Object>> seeds = new ArrayList<>();
    seeds.add(result("lora", 1, 0.9, 0.02, 0.10));
    seeds.add(result("lora", 2, 0.8, 0.04, 0.06));
    List<BenchRobustness.RowResults> rows = List.of(new BenchRobustness.RowResults("lora", "sst2", seeds));
    String md = r.markdown(rows);
    assertTrue(md.contains("Robustness on sst2 dev at severity 15%"), md);
    assertTrue(md.contains("| lora   |     2 | 0.8500 ± 0.0707 | 0.0300 ± 0.0141 | 0.0800 ± 0.0283 | 0.0550 ± 0.0071 |")
        || md.replaceAll(" +", " ").contains("| lora | 2 | 0.8500 ± 0.0707 | 0.0300 ± 0.0141 | 0.0800 ± 0.0283 | 0.0550 ± 0.0071 |"),
        md);
    assertFalse(md.contains("embedding-noise"), "an export has no noise inputs: " + md);
    @SuppressWarnings("unchecked")
    Map<String, Object> row = ((List<Map<String, Object>>) r.json(rows).get("rows")).get(0);
    assertEquals(0.055, (double) ((Map<?, ?>) row.get("mean_drop")).get("mean"), 1e-12);
    assertEquals("", r.markdown(List.of()));
    assertFalse(md.contains("Seed-paired"), "no searched row, no pairs: " + md);

    // a searched row is paired with each baseline on the seeds both have: seed 2 only here
    List<Map<String, Object>> sla = List.of(result("sla", 2, 0.85, 0.01, 0.03), result("sla", 3, 0.84, 0.0, 0.0));
    String paired = r.markdown(List.of(rows.get(0), new BenchRobustness.RowResults("sla-x", "sst2", sla)));
    assertTrue(paired.replaceAll(" +", " ").contains("| sla-x − lora | 1 | -0.0300 ± 0.0000 | — (one seed) |"), paired);
  }

  private static Map<String, Object> result(String method, long seed, double clean, double wordDropout, double charSwap) {
    return Map.of("method", method, "seed", seed, "metric", "accuracy", "clean", clean, "drops",
        Map.of("word-dropout", wordDropout, "char-swap", charSwap));
  }
}
