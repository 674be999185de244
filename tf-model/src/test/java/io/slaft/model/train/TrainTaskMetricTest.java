package io.slaft.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.model.adapters.GateFamily;
import io.slaft.model.eval.MetricKind;
import io.slaft.model.testing.TinyTasks;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A task's primary metric must fit its head, and choosing another one makes its checkpoints another run's. */
class TrainTaskMetricTest {
  private static final TrainTask MARKER = TinyTasks.markerTask("a");
  private static final TrainTask REG = TinyTasks.regressionTask();

  @Test
  void aMetricThatDoesNotFitTheHeadIsRefused() {
    IllegalArgumentException cls = assertThrows(IllegalArgumentException.class,
        () -> new TrainTask("a", 2, MetricKind.PEARSON, MARKER.train(), MARKER.dev()));
    assertTrue(cls.getMessage().contains("pearson does not score a classification task"), cls.getMessage());
    IllegalArgumentException reg = assertThrows(IllegalArgumentException.class,
        () -> new TrainTask("reg", 0, MetricKind.MACRO_F1, REG.train(), REG.dev()));
    assertTrue(reg.getMessage().contains("macro-f1 does not score a regression task"), reg.getMessage());
    IllegalArgumentException f1 = assertThrows(IllegalArgumentException.class,
        () -> new TrainTask("a", 3, MetricKind.F1, MARKER.train(), MARKER.dev()));
    assertTrue(f1.getMessage().contains("needs 2 classes, not 3"), f1.getMessage());
    assertEquals(MetricKind.MACRO_F1, new TrainTask("a", 3, MetricKind.MACRO_F1, MARKER.train(), MARKER.dev()).metric());
  }

  @Test
  void theFingerprintNamesAMetricOnlyWhenItIsNotTheTaskNamesDefault() throws Exception {
    TrainSpec spec = TinyTasks.spec(GateFamily.HARD_CONCRETE, 0.1f, 10, 1);
    String before = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest((spec.toString() + "tiny" + "a" + 256 + 64).getBytes(StandardCharsets.UTF_8)), 0, 16);
    assertEquals(before, CheckpointFile.fingerprint(spec, "tiny", List.of(MARKER)),
        "a task scored by its default metric keeps the fingerprint (and checkpoints) it had before metrics were configurable");
    TrainTask macro = new TrainTask("a", 2, MetricKind.MACRO_F1, MARKER.train(), MARKER.dev());
    TrainTask f1 = new TrainTask("a", 2, MetricKind.F1, MARKER.train(), MARKER.dev());
    assertNotEquals(before, CheckpointFile.fingerprint(spec, "tiny", List.of(macro)));
    assertNotEquals(CheckpointFile.fingerprint(spec, "tiny", List.of(f1)), CheckpointFile.fingerprint(spec, "tiny", List.of(macro)));
  }
}
