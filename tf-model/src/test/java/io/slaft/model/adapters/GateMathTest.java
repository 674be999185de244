package io.slaft.model.adapters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GateMathTest {
  @Test
  void sigmoidGateByHand() {
    assertEquals(0.5, GateMath.sigmoidGate(0, 1), 1e-12);
    assertEquals(1 / (1 + Math.exp(-2)), GateMath.sigmoidGate(2, 1), 1e-12);
    assertEquals(1 / (1 + Math.exp(-4)), GateMath.sigmoidGate(2, 0.5), 1e-12);
  }

  @Test
  void hardConcreteByHand() {
    assertEquals(0.5, GateMath.hardConcrete(0, 0, 1), 1e-12);
    assertEquals(1.0, GateMath.hardConcrete(5, 0, 1), 0.0);
    assertEquals(0.0, GateMath.hardConcrete(-5, 0, 1), 0.0);
    double s = 1 / (1 + Math.exp(-(0.3 + 0.2) / (2.0 / 3.0)));
    assertEquals(s * 1.2 - 0.1, GateMath.hardConcrete(0.3, 0.2, 2.0 / 3.0), 1e-12);
  }

  @Test
  void expectedL0ByHandAndMonteCarlo() {
    double byHand = 1 / (1 + Math.exp(-(0 - (2.0 / 3.0) * Math.log(0.1 / 1.1))));
    assertEquals(byHand, GateMath.expectedL0(0), 1e-12);
    assertEquals(0.8318, GateMath.expectedL0(0), 1e-4);
    SplittableRandom r = new SplittableRandom(1);
    for (double alpha : new double[] {-2, 0, 1.5}) {
      int nonZero = 0;
      int n = 200_000;
      for (int i = 0; i < n; i++) {
        nonZero += GateMath.hardConcrete(alpha, GateMath.logisticNoise(r.nextDouble()), SparsityControl.HC_BETA) > 0 ? 1 : 0;
      }
      assertEquals(GateMath.expectedL0(alpha), nonZero / (double) n, 0.005, "alpha " + alpha);
    }
  }

  @Test
  void aBudgetWithAFamilyThatIgnoresItIsRejectedWithTheFix() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SparsityControl(GateFamily.HARD_CONCRETE, 1f, 0.003f, 0, 0, 1f, 1f, 2f, 0.5f));
    assertTrue(e.getMessage().contains("sparsity.budget=0.003") && e.getMessage().contains("set sparsity.gate=budget"),
        e.getMessage());
  }

  @Test
  void budgetSolverMeetsBudgetWithinOnePercent() {
    SplittableRandom r = new SplittableRandom(3);
    float[] alpha = new float[30];
    long[] sizes = new long[30];
    long total = 0;
    for (int i = 0; i < alpha.length; i++) {
      alpha[i] = (float) (r.nextDouble() * 6 - 3);
      sizes[i] = 1000 + r.nextInt(50_000);
      total += sizes[i];
    }
    for (double frac : new double[] {0.05, 0.2, 0.5, 0.9}) {
      for (double tau : new double[] {0.3, 1.0}) {
        double budget = frac * total;
        double b = BudgetSolver.solve(alpha, sizes, budget, tau);
        double active = BudgetSolver.active(alpha, sizes, b, tau);
        assertTrue(Math.abs(active - budget) / budget < 0.01, "budget " + budget + " active " + active);
      }
    }
  }

  @Test
  void lambdaScheduleWarmsUpThenRamps() {
    SparsityControl s = new SparsityControl(GateFamily.SIGMOID, 2f, 0f, 10, 10, 1f, 0.5f, 2f, 0.5f);
    assertEquals(0f, s.lambdaAt(9));
    assertEquals(0.2f, s.lambdaAt(10), 1e-6);
    assertEquals(2f, s.lambdaAt(19), 1e-6);
    assertEquals(2f, s.lambdaAt(100), 1e-6);
    assertEquals(1f, s.temperatureAt(0, 11), 1e-6);
    assertEquals(0.5f, s.temperatureAt(10, 11), 1e-6);
  }
}
