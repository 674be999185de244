package io.slaft.pipelines.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  void aSpecWithoutNameOrStartingWithAListElementNamesTheSpecAndTheForm() {
    for (String bad : List.of("method=sla", ":method=sla", "x:", "x:ffn,method=sla", "x:method=sla,,lora")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchVariant.parse(bad), bad);
      assertTrue(e.getMessage().contains("--variant " + bad) && e.getMessage().contains("KEY=VALUE"), e.getMessage());
    }
  }
}
