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

  /** Examples with only labels set (tokens do not matter to the trivial predictor). */
  private static List<LabeledExample> labelled(int... labels) {
    List<LabeledExample> out = new java.util.ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      out.add(new LabeledExample(i, MARKER.train().get(0).tokens(), labels[i], 0f));
    }
    return out;
  }

  @Test
  void theTrivialPredictorIsTheTrainingMajorityOnDev() {
    // training majority: class 1 (3 of 5); dev 2 of 4 are class 1
    TrainTask t = new TrainTask("a", 2, MetricKind.F1, labelled(1, 0, 1, 1, 0), labelled(1, 0, 0, 1));
    assertEquals(java.util.Map.of("f1", 2.0 * 0.5 / 1.5, "accuracy", 0.5), t.trivialMetrics());
    assertEquals(List.of("f1", "accuracy"), List.copyOf(t.trivialMetrics().keySet()), "the task's own metric order");
    // a tie goes to the lowest class: always 0, so no positive prediction and F1 0; Matthews of a constant is 0
    assertEquals(0.0, new TrainTask("a", 2, MetricKind.F1, labelled(0, 1), labelled(1, 0, 1)).trivialMetrics().get("f1"));
    assertEquals(0.0, new TrainTask("a", 3, MetricKind.MATTHEWS, labelled(2, 2, 0), labelled(2, 1, 0)).trivialMetrics()
        .get("matthews"));
    assertEquals(java.util.Map.of("pearson", 0.0, "spearman", 0.0), REG.trivialMetrics());
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

  @Test
  void theFingerprintNamesThePrecisionOnlyWhenItIsNotFp32() {
    TrainSpec spec = TinyTasks.spec(GateFamily.HARD_CONCRETE, 0.1f, 10, 1);
    io.slaft.model.backbone.Backbone b = io.slaft.model.backbone.Backbone.of("tiny", null, null);
    assertEquals(CheckpointFile.fingerprint(spec, "tiny", List.of(MARKER)), CheckpointFile.fingerprint(spec, b, List.of(MARKER)),
        "fp32 keeps the fingerprint checkpoints had before precisions existed");
    assertNotEquals(CheckpointFile.fingerprint(spec, b, List.of(MARKER)),
        CheckpointFile.fingerprint(spec, b.withPrecision(io.slaft.model.backbone.Precision.BF16), List.of(MARKER)),
        "a bf16 checkpoint never resumes an fp32 run");
  }
}
