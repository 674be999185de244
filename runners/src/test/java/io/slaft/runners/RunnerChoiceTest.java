package io.slaft.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RunnerChoiceTest {

  @Test
  void parsesCommandLineAndEnumNames() {
    assertEquals(RunnerChoice.DIRECT, RunnerChoice.parse("direct"));
    assertEquals(RunnerChoice.FLINK_LOCAL, RunnerChoice.parse("flink-local"));
    assertEquals(RunnerChoice.FLINK_LOCAL, RunnerChoice.parse("FLINK_LOCAL"));
    assertEquals(RunnerChoice.FLINK, RunnerChoice.parse(" Flink "));
  }

  @Test
  void unknownNameListsTheAllowedOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunnerChoice.parse("spark"));
    assertEquals("unknown runner 'spark'; allowed: direct, flink-local, flink", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RunnerChoice.parse(null));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RunnerChoice.parse(""))
        .getMessage().contains("allowed: direct, flink-local, flink"));
  }
}
