package io.slaft.transforms.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SweepSpecTest {

  private static SweepSpec grid2x2x2() {
    return SweepSpec.builder()
        .set("task", "SST-2")
        .set("train.lr", "1e-3")
        .grid("sparsity.lambda", "0.5", "1.0")
        .grid("gate.family", "sigmoid", "hard-concrete")
        .seeds(1, 2)
        .build();
  }

  @Test
  void gridTimesSeedsGivesEveryCombinationInNestedOrder() {
    List<SweepPoint> points = grid2x2x2().expand();
    assertEquals(8, points.size());
    assertEquals(8, grid2x2x2().plannedSize());
    assertEquals(
        List.of(
            "0.5/sigmoid/1", "0.5/sigmoid/2", "0.5/hard-concrete/1", "0.5/hard-concrete/2",
            "1.0/sigmoid/1", "1.0/sigmoid/2", "1.0/hard-concrete/1", "1.0/hard-concrete/2"),
        points.stream()
            .map(p -> p.config().get("sparsity.lambda") + "/" + p.config().get("gate.family") + "/" + p.config().get("seed"))
            .collect(Collectors.toList()));
    for (int i = 0; i < points.size(); i++) {
      assertEquals(i, points.get(i).index());
      assertEquals("SST-2", points.get(i).config().get("task"));
      assertEquals(List.of("sparsity.lambda", "gate.family", "seed"), List.copyOf(points.get(i).overrides().keySet()));
    }
    assertEquals(8, points.stream().map(SweepPoint::id).distinct().count());
  }

  @Test
  void expansionIsDeterministicAndIdsAreContentHashes() throws Exception {
    assertEquals(grid2x2x2().expand(), grid2x2x2().expand());
    SweepPoint p = grid2x2x2().expand().get(0);
    String canonical = p.config().entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue() + "\n")
        .collect(Collectors.joining());
    assertEquals("gate.family=sigmoid\nseed=1\nsparsity.lambda=0.5\ntask=SST-2\ntrain.lr=1e-3\n", canonical);
    String sha = HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
    assertEquals(sha.substring(0, 12), p.id());
    Map<String, String> reordered = new LinkedHashMap<>();
    reordered.put("train.lr", "1e-3");
    reordered.put("task", "SST-2");
    reordered.put("sparsity.lambda", "0.5");
    reordered.put("seed", "1");
    reordered.put("gate.family", "sigmoid");
    assertEquals(p.id(), SweepPoint.idOf(reordered));
  }

  @Test
  void noAxesGiveTheBaseAsOnePoint() {
    List<SweepPoint> points = SweepSpec.builder().set("task", "CoLA").build().expand();
    assertEquals(1, points.size());
    assertEquals(Map.of("task", "CoLA"), points.get(0).config());
    assertTrue(points.get(0).overrides().isEmpty());
  }

  @Test
  void randomAxesAreSeededAndWithinTheirRanges() {
    SweepSpec.Builder b = SweepSpec.builder()
        .random("train.lr", Distribution.logUniform(1e-5, 1e-3))
        .random("adapter.dim", Distribution.intUniform(8, 64))
        .random("dropout", Distribution.uniform(0.0, 0.3))
        .random("gate.family", Distribution.choice("sigmoid", "hard-concrete", "budget"));
    List<SweepPoint> a = b.samples(20, 42).build().expand();
    List<SweepPoint> again = b.samples(20, 42).build().expand();
    List<SweepPoint> other = b.samples(20, 43).build().expand();
    assertEquals(a, again);
    assertNotEquals(a, other);
    assertEquals(20, a.size());
    for (SweepPoint p : a) {
      double lr = Double.parseDouble(p.config().get("train.lr"));
      assertTrue(lr >= 1e-5 && lr < 1e-3, p.toString());
      long dim = Long.parseLong(p.config().get("adapter.dim"));
      assertTrue(dim >= 8 && dim <= 64, p.toString());
      double dropout = Double.parseDouble(p.config().get("dropout"));
      assertTrue(dropout >= 0 && dropout < 0.3, p.toString());
      assertTrue(List.of("sigmoid", "hard-concrete", "budget").contains(p.config().get("gate.family")));
    }
    assertTrue(a.stream().map(p -> p.config().get("train.lr")).distinct().count() > 15);
  }

  @Test
  void coincidingRandomDrawsAreKeptOnce() {
    List<SweepPoint> points = SweepSpec.builder()
        .random("gate.family", Distribution.choice("sigmoid", "budget"))
        .samples(10, 7)
        .seeds(1)
        .build()
        .expand();
    assertEquals(2, points.size());
    assertEquals(List.of(0, 1), points.stream().map(SweepPoint::index).collect(Collectors.toList()));
  }

  @Test
  void invalidSpecsNameTheRule() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SweepSpec.builder().grid("bad key", "1"))
        .getMessage().contains("dotted words"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SweepSpec.builder().grid("a", "1", "1"))
        .getMessage().contains("repeats a value"));
    assertTrue(assertThrows(IllegalStateException.class,
            () -> SweepSpec.builder().random("a", Distribution.uniform(0, 1)).build())
        .getMessage().contains("need samples"));
    assertTrue(assertThrows(IllegalStateException.class,
            () -> SweepSpec.builder().grid("a", "1").random("a", Distribution.uniform(0, 1)).samples(2, 1).build())
        .getMessage().contains("both a grid and a random axis"));
    assertTrue(assertThrows(IllegalStateException.class,
            () -> SweepSpec.builder().grid("seed", "1", "2").seeds(3).build())
        .getMessage().contains("also a sweep axis"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Distribution.logUniform(0, 1))
        .getMessage().contains("0 < low < high"));
    String[] many = new String[101];
    for (int i = 0; i < many.length; i++) {
      many[i] = Integer.toString(i);
    }
    assertTrue(assertThrows(IllegalStateException.class,
            () -> SweepSpec.builder().grid("a", many).grid("b", many).build())
        .getMessage().contains("above the limit"));
  }
}
