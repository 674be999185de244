package io.slaft.transforms.perturb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RobustnessMetricsTest {

  @Test
  void defaultScheduleIsFiveSteps() {
    assertEquals(List.of(0.0, 0.05, 0.10, 0.15, 0.20), SeveritySchedule.DEFAULT.levels());
    assertTrue(SeveritySchedule.DEFAULT.includesClean());
    assertFalse(SeveritySchedule.of(0.1, 0.2).includesClean());
  }

  @Test
  void parsesFractionsAndPercentages() {
    assertEquals(SeveritySchedule.of(0.0, 0.05, 0.1, 0.3),
        SeveritySchedule.parse("0, 5%, 0.1 ,30 %"));
    assertEquals("severity levels must be numbers or percentages, got 'x' in '0,x'",
        assertThrows(IllegalArgumentException.class, () -> SeveritySchedule.parse("0,x"))
            .getMessage());
  }

  @Test
  void scheduleRejectsBadLevels() {
    assertEquals("severity levels must be strictly increasing, got 0.1 then 0.1", assertThrows(
        IllegalArgumentException.class, () -> SeveritySchedule.of(0, 0.1, 0.1)).getMessage());
    assertEquals("severity levels must be in [0, 1], got 1.5 at index 1", assertThrows(
        IllegalArgumentException.class, () -> SeveritySchedule.of(0, 1.5)).getMessage());
    assertThrows(IllegalArgumentException.class, SeveritySchedule::of);
  }

  @Test
  void flipRateCountsChangedPredictions() {
    assertEquals(0.5, RobustnessMetrics.flipRate(new int[] {1, 0, 1, 1}, new int[] {1, 1, 0, 1}));
    assertEquals(0.0, RobustnessMetrics.flipRate(new int[] {2}, new int[] {2}));
    assertThrows(IllegalArgumentException.class,
        () -> RobustnessMetrics.flipRate(new int[] {1}, new int[] {1, 2}));
    assertThrows(IllegalArgumentException.class,
        () -> RobustnessMetrics.flipRate(new int[0], new int[0]));
  }

  @Test
  void dropsAreCleanMinusPerturbed() {
    assertArrayEquals(new double[] {0.0, 0.02, 0.2},
        RobustnessMetrics.dropsFromClean(0.9, new double[] {0.9, 0.88, 0.7}), 1e-12);
  }

  @Test
  void areaUnderTheSeverityCurveIsTheNormalisedTrapezoid() {
    double[] metrics = {0.90, 0.88, 0.85, 0.80, 0.70};
    // 0.05 × ((0.90+0.88) + (0.88+0.85) + (0.85+0.80) + (0.80+0.70)) / 2 = 0.1665; ÷ 0.20
    assertEquals(0.8325,
        RobustnessMetrics.areaUnderCurve(SeveritySchedule.DEFAULT, metrics), 1e-12);
    // uneven spacing: 0.1 × (1 + 0.8)/2 + 0.3 × (0.8 + 0.4)/2 = 0.27; ÷ 0.4
    assertEquals(0.675, RobustnessMetrics.areaUnderCurve(
        new double[] {0.1, 0.2, 0.5}, new double[] {1.0, 0.8, 0.4}), 1e-12);
    assertEquals(0.9, RobustnessMetrics.areaUnderCurve(
        new double[] {0, 0.2}, new double[] {0.9, 0.9}), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> RobustnessMetrics.areaUnderCurve(
        new double[] {0}, new double[] {1}));
    assertThrows(IllegalArgumentException.class, () -> RobustnessMetrics.areaUnderCurve(
        new double[] {0, 0.2, 0.1}, new double[] {1, 1, 1}));
    assertThrows(IllegalArgumentException.class, () -> RobustnessMetrics.areaUnderCurve(
        new double[] {0, 0.1}, new double[] {1, Double.NaN}));
  }
}
