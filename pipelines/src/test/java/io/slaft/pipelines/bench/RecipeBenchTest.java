package io.slaft.pipelines.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecipeBenchTest {
  private static RecipeBench.Run run(String m, double wall, double value) {
    return new RecipeBench.Run(m, wall, wall - 5, 1000, 800, "accuracy", value, 0.3);
  }

  @Test
  void mediansPerMethodAndWallRatiosAgainstTheReference() {
    List<RecipeBench.Run> runs = List.of(run("sla", 120, 0.81), run("lora", 100, 0.80), run("sla", 130, 0.82),
        run("lora", 90, 0.79), run("sla", 150, 0.80), run("lora", 110, 0.81));
    List<RecipeBench.Row> rows = RecipeBench.rows(runs, List.of("sla", "lora"), "lora");
    assertEquals("sla", rows.get(0).method());
    assertEquals(3, rows.get(0).runs());
    assertEquals(130, rows.get(0).wallSeconds());
    assertEquals(1.3, rows.get(0).wallRatio(), 1e-12);
    assertEquals(0.81, rows.get(0).value(), 1e-12);
    assertEquals(1.0, rows.get(1).wallRatio(), 1e-12);
    assertEquals(95, rows.get(1).trainSeconds(), 1e-12);
  }
}
