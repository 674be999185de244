package io.slaft.pipelines.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PairedDifferencesTest {
  private static Map<String, Object> cell(String method, long seed, double dev, double validation, double compression) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("method", method);
    r.put("seed", seed);
    r.put("primary_metric", "f1");
    r.put("metrics", Map.of("f1", dev, "accuracy", 0.5));
    r.put("validation_metrics", Map.of("f1", validation, "accuracy", 0.5));
    r.put("compression", compression);
    r.put("active_params", Math.round(compression * 22_565_376));
    return r;
  }

  @Test
  void pairsEverySearchedRowWithEveryBaselineBySeed() {
    Map<String, Map<String, List<Map<String, Object>>>> byRow = new LinkedHashMap<>();
    byRow.put("sla-l0.3", Map.of("mrpc", List.of(cell("sla", 1, 0.86, 0.84, 0.003), cell("sla", 2, 0.87, 0.85, 0.004),
        cell("sla", 3, 0.88, 0.83, 0.005)), "rte", List.of(cell("sla", 1, 0.55, 0.56, 0.004))));
    // the baseline's seeds in another order, and a seed SLA does not have: pairs are by seed
    byRow.put("lora", Map.of("mrpc", List.of(cell("lora", 3, 0.86, 0.82, 0.0033), cell("lora", 1, 0.85, 0.83, 0.0033),
        cell("lora", 2, 0.84, 0.84, 0.0033), cell("lora", 4, 0.99, 0.99, 0.0033)),
        "rte", List.of(cell("lora", 1, 0.57, 0.53, 0.0033))));
    byRow.put("prefix", Map.of("mrpc", List.of(cell("prefix", 1, 0.87, 0.85, 0.002), cell("prefix", 2, 0.86, 0.86, 0.002),
        cell("prefix", 3, 0.89, 0.84, 0.002))));

    List<PairedDifferences.Pair> pairs = PairedDifferences.of(List.of("sla-l0.3", "lora", "prefix"), List.of("mrpc", "rte"),
        byRow);

    assertEquals(3, pairs.size(), "sla − lora on mrpc and rte, sla − prefix on mrpc (prefix has no rte cells): " + pairs);
    PairedDifferences.Pair lora = pairs.get(0);
    assertEquals("sla-l0.3", lora.row());
    assertEquals("lora", lora.baseline());
    assertEquals(List.of(1L, 2L, 3L), lora.seeds());
    // dev differences 0.01, 0.03, 0.02: mean 0.02, sample std 0.01
    assertEquals(0.02, lora.devMean(), 1e-12);
    assertEquals(0.01, lora.devStd(), 1e-12);
    assertEquals((0.01 + 0.01 + 0.01) / 3, lora.validationMean(), 1e-12);
    assertEquals(0.4, lora.activePct(), 1e-12);
    assertEquals(0.33, lora.baselineActivePct(), 1e-12);
    assertTrue(lora.beyondSpread(), "0.02 > 0.01");

    PairedDifferences.Pair oneSeed = pairs.get(1);
    assertEquals("rte", oneSeed.task());
    assertEquals(-0.02, oneSeed.devMean(), 1e-12);
    assertFalse(oneSeed.beyondSpread(), "one seed has no spread to exceed");

    PairedDifferences.Pair prefix = pairs.get(2);
    // dev differences -0.01, 0.01, -0.01: mean -0.0033, std 0.0115
    assertFalse(prefix.beyondSpread(), prefix.toString());

    String md = PairedDifferences.markdown(pairs);
    assertTrue(md.contains("| sla-l0.3 − lora") && md.contains("+0.0200 ± 0.0100") && md.contains("— (one seed)"), md);
    assertEquals(Boolean.TRUE, lora.json().get("beyond_spread"));
    assertFalse(lora.withinSize(), "larger than LoRA on seeds 2 and 3");
    assertFalse(lora.meetsTarget(), "ahead beyond the spread, but not at LoRA's size");
    assertEquals(Boolean.FALSE, lora.json().get("meets_target"));
  }

  @Test
  void theTargetIsAMarginBeyondTheSpreadAtNoMoreActiveParametersOnEverySeed() {
    Map<String, Map<String, List<Map<String, Object>>>> byRow = new LinkedHashMap<>();
    byRow.put("sla-b0.32", Map.of("mrpc", List.of(cell("sla", 1, 0.87, 0.84, 0.0032), cell("sla", 2, 0.87, 0.85, 0.0032),
        cell("sla", 3, 0.88, 0.83, 0.0031))));
    byRow.put("lora", Map.of("mrpc", List.of(cell("lora", 1, 0.85, 0.83, 0.0033), cell("lora", 2, 0.84, 0.84, 0.0033),
        cell("lora", 3, 0.86, 0.82, 0.0033))));
    byRow.put("prefix", Map.of("mrpc", List.of(cell("prefix", 1, 0.80, 0.80, 0.002), cell("prefix", 2, 0.81, 0.80, 0.002),
        cell("prefix", 3, 0.80, 0.80, 0.002))));
    List<PairedDifferences.Pair> pairs = PairedDifferences.of(List.of("sla-b0.32", "lora", "prefix"), List.of("mrpc"), byRow);
    PairedDifferences.Pair lora = pairs.get(0);
    // dev differences 0.02, 0.03, 0.02
    assertTrue(lora.withinSize() && lora.beyondSpread() && lora.meetsTarget(), lora.toString());
    PairedDifferences.Pair prefix = pairs.get(1);
    assertTrue(prefix.beyondSpread() && prefix.devMean() > 0, prefix.toString());
    assertFalse(prefix.meetsTarget(), "far ahead of prefix-tuning, but at more active parameters");
    String md = PairedDifferences.markdown(pairs);
    assertTrue(md.contains("| sla-b0.32 − lora    | mrpc |     3 | +0.0233 ± 0.0058") && md.contains("target met"), md);
  }

  @Test
  void noSearchedRowNoPairs() {
    Map<String, Map<String, List<Map<String, Object>>>> byRow = Map.of("lora",
        Map.of("mrpc", List.of(cell("lora", 1, 0.85, 0.83, 0.0033))));
    assertTrue(PairedDifferences.of(List.of("lora"), List.of("mrpc"), byRow).isEmpty());
    assertEquals("", PairedDifferences.markdown(List.of()));
  }
}
