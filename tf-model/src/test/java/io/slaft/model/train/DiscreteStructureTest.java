package io.slaft.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiscreteStructureTest {
  private static ModuleGate gate(String id, boolean active, String activation) {
    return new ModuleGate(id, 0, id.substring(id.indexOf('.') + 1), active ? 0.9 : 0.1, active, activation, Map.of(), 8);
  }

  @Test
  void keptListsActiveModulesInLayoutOrderWithTheirActivation() {
    assertEquals(List.of("l0.attn:gelu", "l1.lora"), DiscreteStructure.kept(List.of(gate("l0.attn", true, "gelu"),
        gate("l0.ffn", false, "relu"), gate("l1.lora", true, null))));
  }

  @Test
  void flipsCountOpenedClosedAndReactivatedModulesOnce() {
    List<String> a = List.of("l0.attn:gelu", "l0.ffn:relu", "l1.lora");
    assertEquals(0, DiscreteStructure.flips(a, a));
    assertEquals(1, DiscreteStructure.flips(a, List.of("l0.attn:silu", "l0.ffn:relu", "l1.lora")), "new activation");
    assertEquals(2, DiscreteStructure.flips(a, List.of("l0.attn:gelu", "l1.lora", "l2.attn:relu")), "one closed, one opened");
    assertEquals(3, DiscreteStructure.flips(List.of(), a));
  }

  @Test
  void jaccardComparesKeptModulesIgnoringActivations() {
    assertEquals(1.0, DiscreteStructure.jaccard(List.of("l0.attn:gelu"), List.of("l0.attn:relu")));
    assertEquals(1.0 / 3, DiscreteStructure.jaccard(List.of("l0.attn:gelu", "l1.lora"), List.of("l1.lora", "l2.ffn:relu")),
        1e-12);
    assertEquals(1.0, DiscreteStructure.jaccard(List.of(), List.of()));
    assertEquals(0.0, DiscreteStructure.jaccard(List.of("l0.attn:gelu"), List.of()));
  }
}
