package io.slaft.pipelines.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StructureMapTest {
  private static Map<String, Object> module(String id, boolean active, String activation) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("module", id);
    m.put("active", active);
    if (activation != null) {
      m.put("activation", activation);
    }
    return m;
  }

  @Test
  void drawsLayersBySitesWithKeptActivations() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("task", "SST-2");
    r.put("point_id", "main");
    r.put("seed", 42);
    r.put("structure", List.of(module("l0.attn", true, "gelu"), module("l0.lora", true, null),
        module("l1.attn", false, "relu"), module("l1.lora", false, null)));
    String n = System.lineSeparator();
    assertEquals("SST-2 (point main, seed 42): 2 of 4 modules kept" + n
        + "      attn  lora" + n
        + "  l0  gelu  on  " + n
        + "  l1  ·     ·   " + n, StructureMap.of(r));
  }

  @Test
  void theConsensusCountsTheRunsThatKeepEachModuleWithTheirMostCommonActivation() {
    Map<String, Object> a = Map.of("structure", List.of(module("l0.attn", true, "gelu"), module("l0.lora", true, null),
        module("l1.attn", true, "relu"), module("l1.lora", false, null)));
    Map<String, Object> b = Map.of("structure", List.of(module("l0.attn", true, "silu"), module("l0.lora", true, null),
        module("l1.attn", false, "relu"), module("l1.lora", false, null)));
    Map<String, Object> c = Map.of("structure", List.of(module("l0.attn", true, "silu"), module("l0.lora", false, null),
        module("l1.attn", false, "gelu"), module("l1.lora", false, null)));
    String n = System.lineSeparator();
    assertEquals("sla on mrpc: each module kept by how many of 3 runs (with the activation most often kept); 2.0 of 4"
        + " kept on average" + n
        + "      attn    lora" + n
        + "  l0  3 silu  2 on" + n
        + "  l1  1 relu  ·   " + n, StructureMap.consensus("sla on mrpc", List.of(a, b, c)));
    assertEquals("", StructureMap.consensus("head-only", List.of(Map.of("structure", List.of()))));
  }

  @Test
  void aRecordWithoutModulesDrawsNothing() {
    assertEquals("", StructureMap.of(List.of(Map.of("task", "SST-2", "point_id", "main", "structure", List.of()))));
  }
}
