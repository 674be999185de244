package io.slaft.transforms.stopping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {
  private static List<Integer> rungsUpTo(EarlyStopping e, int steps) {
    return IntStream.rangeClosed(1, steps).filter(e::isRung).boxed().toList();
  }

  @Test
  void ashaRungsGrowByTheReductionFactorFromTheFirstEvaluation() {
    assertEquals(List.of(10, 30, 90, 270), rungsUpTo(new EarlyStopping(StopRuleKind.ASHA, List.of(), 10, 3, 1), 400));
    assertEquals(List.of(5, 10, 20, 40, 80), rungsUpTo(new EarlyStopping(StopRuleKind.ASHA, List.of(), 5, 2, 1), 100));
  }

  @Test
  void theMedianRuleComparesAtEveryEvaluation() {
    assertEquals(List.of(20, 40, 60), rungsUpTo(new EarlyStopping(StopRuleKind.MEDIAN, List.of(), 20, 3, 1), 60));
  }

  @Test
  void explicitRungsAreUsedAsGiven() {
    EarlyStopping e = new EarlyStopping(StopRuleKind.ASHA, List.of(20, 60), 10, 3, 2);
    assertEquals(List.of(20, 60), rungsUpTo(e, 100));
    assertEquals(OptionalInt.of(20), e.rungAtOrBefore(50));
    assertEquals(OptionalInt.of(60), e.rungAtOrBefore(60));
    assertEquals(OptionalInt.empty(), e.rungAtOrBefore(19));
  }

  @Test
  void offHasNoRungs() {
    assertFalse(EarlyStopping.OFF.enabled());
    assertEquals(List.of(), rungsUpTo(EarlyStopping.OFF, 100));
    assertEquals("none", EarlyStopping.OFF.describe());
  }

  @Test
  void badSettingsAreRefusedWithTheRule() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new EarlyStopping(StopRuleKind.ASHA, List.of(15), 10, 3, 1)).getMessage().contains("rung 15 is not an evaluation step"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new EarlyStopping(StopRuleKind.ASHA, List.of(20, 10), 10, 3, 1)).getMessage().contains("ascend"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new EarlyStopping(StopRuleKind.MEDIAN, List.of(), 0, 3, 1)).getMessage().contains("eval_every 0"));
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(StopRuleKind.ASHA, List.of(), 10, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(StopRuleKind.ASHA, List.of(), 10, 3, 0));
  }

  @Test
  void describesItselfInOneLine() {
    assertEquals("asha, η 3, rungs 10·3^k, cut once 1 other point has reported the rung",
        new EarlyStopping(StopRuleKind.ASHA, List.of(), 10, 3, 1).describe());
    assertEquals("median, rungs [20, 40], cut once 2 other points have reported the rung",
        new EarlyStopping(StopRuleKind.MEDIAN, List.of(20, 40), 20, 3, 2).describe());
  }
}
