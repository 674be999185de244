package io.slaft.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RunSpecTest {

  @Test
  void runKeysAreDeterministicAndSensitiveToEveryPart() {
    assertEquals(RunKeys.of("cfg", "sst2", "0.5"), RunKeys.of("cfg", "sst2", "0.5"));
    assertNotEquals(RunKeys.of("cfg", "sst2", "0.5"), RunKeys.of("cfg", "sst20", ".5"));
    assertNotEquals(RunKeys.of("ab", "c"), RunKeys.of("a", "bc"));
    assertEquals(32, RunKeys.of("x").length());
  }

  @Test
  void childMustShareTheParentsExperimentAndReservedTagsAreRefused() {
    RunRef parent = new RunRef("exp", "p");
    assertEquals(parent, RunSpec.child(parent, "c", "child").parent());
    assertThrows(IllegalArgumentException.class, () -> new RunSpec(new RunRef("other", "c"), "c", parent, Map.of()));
    assertThrows(IllegalArgumentException.class, () -> RunSpec.root("exp", "k", "n").withTags(Map.of(RunRef.RUN_KEY_TAG, "x")));
    assertThrows(IllegalArgumentException.class,
        () -> RunSpec.root("exp", "k", "n").withTags(Map.of(RunSpec.PARENT_RUN_ID_TAG, "x")));
    assertThrows(IllegalArgumentException.class, () -> new RunRef("exp", "it's"));
  }
}
