package io.slaft.transforms.stopping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopRuleKindTest {
  @Test
  void medianIsTheMiddleOfTheOthers() {
    assertEquals(0.7, StopRuleKind.MEDIAN.cutoff(List.of(0.9, 0.5, 0.7), 3).getAsDouble(), 1e-12);
    assertEquals(0.6, StopRuleKind.MEDIAN.cutoff(List.of(0.5, 0.7), 3).getAsDouble(), 1e-12);
    assertEquals(0.5, StopRuleKind.MEDIAN.cutoff(List.of(0.5), 3).getAsDouble(), 1e-12);
  }

  @Test
  void ashaKeepsTheTopOneOverEtaLikeNumpysPercentile() {
    // numpy.percentile([0.5, 0.6, 0.7, 0.8], 100 * (1 - 1/3)) = 0.7
    assertEquals(0.7, StopRuleKind.ASHA.cutoff(List.of(0.8, 0.5, 0.7, 0.6), 3).getAsDouble(), 1e-12);
    // numpy.percentile([0.5, 0.9], 50) = 0.7
    assertEquals(0.7, StopRuleKind.ASHA.cutoff(List.of(0.9, 0.5), 2).getAsDouble(), 1e-12);
    // one other point: its score is the cutoff, so a point below it stops and one at it goes on
    double c = StopRuleKind.ASHA.cutoff(List.of(0.8), 3).getAsDouble();
    assertTrue(StopRuleKind.below(0.79, c));
    assertFalse(StopRuleKind.below(0.8, c));
  }

  @Test
  void noOthersOrNoRuleMeansNoCutoff() {
    assertTrue(StopRuleKind.ASHA.cutoff(List.of(), 3).isEmpty());
    assertTrue(StopRuleKind.MEDIAN.cutoff(List.of(), 3).isEmpty());
    assertTrue(StopRuleKind.NONE.cutoff(List.of(0.1, 0.2), 3).isEmpty());
  }

  @Test
  void aDivergedPointIsWorseThanEveryNumber() {
    assertTrue(StopRuleKind.below(Double.NaN, 0.0));
    // others that diverged rank lowest: the cutoff is taken among the rest
    assertEquals(0.8, StopRuleKind.MEDIAN.cutoff(List.of(Double.NaN, 0.8, 0.9), 3).getAsDouble(), 1e-12);
    // between a diverged point and a number the cutoff cuts nothing
    assertEquals(Double.NEGATIVE_INFINITY, StopRuleKind.MEDIAN.cutoff(List.of(Double.NaN, 0.8), 3).getAsDouble());
  }

  @Test
  void idsAreTheConfigValues() {
    assertEquals(StopRuleKind.ASHA, StopRuleKind.byId("asha"));
    assertEquals(StopRuleKind.MEDIAN, StopRuleKind.byId("Median"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StopRuleKind.byId("hyperband"));
    assertTrue(e.getMessage().contains("[none, median, asha]"), e.getMessage());
  }
}
