package io.slaft.model.adapters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GateFamilyTest {
  @Test
  void thresholdFamiliesKeepGatesAtOrAboveTheThreshold() {
    double[] gate = {0.9, 0.5, 0.49, 0.0};
    long[] sizes = {10, 10, 10, 10};
    for (GateFamily f : new GateFamily[] {GateFamily.SIGMOID, GateFamily.HARD_CONCRETE, GateFamily.FIXED}) {
      assertArrayEquals(new boolean[] {true, true, false, false}, f.keep(gate, sizes, 0.5, 0), f.id());
    }
  }

  @Test
  void budgetKeepsTheLargestGatesThatFitLargestFirst() {
    double[] gate = {0.02, 0.05, 0.04, 0.01, 0.0};
    long[] sizes = {30, 80, 40, 10, 5};
    // order by gate: 1 (80), 2 (40: 120 > 100, skipped), 0 (30: 110, skipped), 3 (10: 90), 4 has gate 0
    assertArrayEquals(new boolean[] {false, true, false, true, false}, GateFamily.BUDGET.keep(gate, sizes, 0.5, 100));
  }

  @Test
  void evaluationGatesAreTheReferenceMath() {
    assertEquals(GateMath.sigmoidGate(1.5, 0.7), GateFamily.SIGMOID.evalGate(1.5, 9, 0.7));
    assertEquals(GateMath.hardConcrete(1.5, 0, 1), GateFamily.HARD_CONCRETE.evalGate(1.5, 9, 0.7));
    assertEquals(GateMath.budgetGate(1.5, 0.25, 0.7), GateFamily.BUDGET.evalGate(1.5, 0.25, 0.7));
    assertEquals(1.0, GateFamily.FIXED.evalGate(-50, 0, 1));
    assertEquals(0.0, GateFamily.HARD_CONCRETE.evalGate(-10, 0, 1), "hard-concrete closes exactly");
  }

  @Test
  void eachFamilySaysHowItTrainsAndServes() {
    assertTrue(GateFamily.SIGMOID.usesLambda() && GateFamily.HARD_CONCRETE.usesLambda());
    assertFalse(GateFamily.BUDGET.usesLambda() || GateFamily.FIXED.usesLambda());
    assertFalse(GateFamily.FIXED.learnsGates());
    assertTrue(GateFamily.HARD_CONCRETE.samplesNoise());
    assertFalse(GateFamily.SIGMOID.samplesNoise() || GateFamily.BUDGET.samplesNoise());
    assertEquals((float) SparsityControl.HC_BETA, GateFamily.HARD_CONCRETE.trainTemperature(0.3f));
    assertEquals(1f, GateFamily.HARD_CONCRETE.evalTemperature(0.3f));
    assertEquals(0.3f, GateFamily.SIGMOID.trainTemperature(0.3f));
    assertEquals(0.3f, GateFamily.BUDGET.evalTemperature(0.3f));
    assertTrue(GateFamily.BUDGET.servesKeptModulesFullyOn());
    assertFalse(GateFamily.SIGMOID.servesKeptModulesFullyOn());
  }
}
