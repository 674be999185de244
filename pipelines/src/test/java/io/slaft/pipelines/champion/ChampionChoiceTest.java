package io.slaft.pipelines.champion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.pipelines.champion.ChampionChoice.Candidate;
import io.slaft.pipelines.champion.ChampionChoice.Robustness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChampionChoiceTest {
  // metric, active params: a is small and weak, b in between, c big and best, d dominated by b, e stopped early
  private static final Candidate A = new Candidate("a", "lambda=5", 0.80, 10_000, 0.0005, false);
  private static final Candidate B = new Candidate("b", "lambda=1", 0.85, 100_000, 0.005, false);
  private static final Candidate C = new Candidate("c", "lambda=0", 0.88, 400_000, 0.02, false);
  private static final Candidate D = new Candidate("d", "lr=1e-4", 0.84, 150_000, 0.007, false);
  private static final Candidate E = new Candidate("e", "lr=10", 0.95, 5_000, 0.0002, true);
  private static final List<Candidate> ALL = List.of(A, B, C, D, E);

  @Test
  void paretoFrontKeepsTheNonDominatedPointsAndTies() {
    assertEquals(List.of(0, 1, 2), ParetoFront.of(List.of(new double[] {1, -1}, new double[] {2, -2}, new double[] {2, -2},
        new double[] {1, -3})));
    assertTrue(ParetoFront.dominates(new double[] {1, 1}, new double[] {1, 0}));
    assertFalse(ParetoFront.dominates(new double[] {1, 1}, new double[] {1, 1}));
    assertThrows(IllegalArgumentException.class, () -> ParetoFront.dominates(new double[] {Double.NaN}, new double[] {1}));
  }

  @Test
  void theFrontIsOverFinishedPointsAndTheBestMetricWinsWithoutALimit() {
    ChampionChoice c = ChampionChoice.choose("SST-2", "accuracy", ALL, ChampionRule.BEST_METRIC, Map.of());
    assertEquals(List.of("a", "b", "c"), c.front().stream().map(f -> f.point().pointId()).toList(),
        "d is dominated by b; e was stopped early, however good its last score");
    assertEquals("c", c.champion());
    assertTrue(c.ruleMet());
    assertEquals(4, c.considered());
  }

  @Test
  void aSizeBudgetPicksTheBestPointWithinIt() {
    ChampionChoice c = ChampionChoice.choose("SST-2", "accuracy", ALL, new ChampionRule(false, 0.01, 0, 0.15), Map.of());
    assertEquals("b", c.champion());
    assertTrue(c.ruleMet());
  }

  @Test
  void aDropLimitUsesTheMeasuredRobustnessAndAPointWithoutAMeasurementFailsIt() {
    ChampionRule rule = new ChampionRule(true, 0, 0.05, 0.15);
    Map<String, Robustness> measured = Map.of("a", new Robustness(0.79, 0.01), "b", new Robustness(0.80, 0.04),
        "c", new Robustness(0.70, 0.12));
    ChampionChoice c = ChampionChoice.choose("SST-2", "accuracy", ALL, rule, measured);
    assertEquals("b", c.champion(), "c drops 12 points at 15 %");
    assertEquals(0.80, c.championPoint().robustness().auc());
    ChampionChoice unmeasured = ChampionChoice.choose("SST-2", "accuracy", ALL, rule, Map.of("a", new Robustness(0.79, 0.01)));
    assertEquals("a", unmeasured.champion());
  }

  @Test
  void whenNoFrontPointMeetsTheRuleTheBestMetricIsKeptAndSaidSo() {
    ChampionChoice c = ChampionChoice.choose("SST-2", "accuracy", ALL, new ChampionRule(false, 0.0001, 0, 0.15), Map.of());
    assertEquals("c", c.champion());
    assertFalse(c.ruleMet());
    assertTrue(c.note().contains("compression ≤ 0.0001"), c.note());
    assertEquals(false, c.toJson().get("rule_met"));
  }

  @Test
  void whenEveryPointWasStoppedTheyAllCompete() {
    ChampionChoice c = ChampionChoice.choose("SST-2", "accuracy", List.of(E, new Candidate("f", "", 0.9, 50, 0.0, true)),
        ChampionRule.BEST_METRIC, Map.of());
    assertEquals("e", c.champion());
  }

  @Test
  void equalMetricsGoToFewerActiveParameters() {
    Candidate big = new Candidate("big", "", 0.9, 1000, 0.1, false);
    Candidate small = new Candidate("small", "", 0.9, 10, 0.001, false);
    assertEquals("small", ChampionChoice.choose("t", "accuracy", List.of(big, small), ChampionRule.BEST_METRIC, Map.of()).champion());
  }

  @Test
  void theRuleDescribesItself() {
    assertEquals("best validation metric", ChampionRule.BEST_METRIC.describe());
    assertEquals("best validation metric with compression ≤ 0.02 and drop@15% ≤ 0.05",
        new ChampionRule(true, 0.02, 0.05, 0.15).describe());
  }
}
