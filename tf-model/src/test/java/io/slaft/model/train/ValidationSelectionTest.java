package io.slaft.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.model.adapters.GateFamily;
import io.slaft.model.backbone.Backbone;
import io.slaft.model.eval.MetricKind;
import io.slaft.model.testing.TinyTasks;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Choices on the held-out validation split, the official dev set evaluated once at the end. */
class ValidationSelectionTest {
  private final Backbone backbone = TinyTasks.backbone();

  /** The marker task with 48 held-out validation examples and the dev set drawn with {@code devSeed}. */
  private static TrainTask task(long devSeed) {
    return new TrainTask("m", 2, MetricKind.ACCURACY, TinyTasks.markerExamples(256, 1), TinyTasks.markerExamples(64, devSeed),
        TinyTasks.markerExamples(48, 5));
  }

  /** 150 steps, an evaluation every 30 (so the best step is a real choice), checkpoints every {@code every} (0: none). */
  private static TrainSpec spec(int checkpointEvery) {
    TrainSpec s = TinyTasks.spec(GateFamily.HARD_CONCRETE, 0.05f, 150, 1);
    return new TrainSpec(s.method(), s.space(), s.sparsity(), s.optimizer(), s.steps(), s.batchSize(), 30,
        s.evalBatchSize(), 0, checkpointEvery, s.seed(), s.taskTemperature(), s.bucketWindow(), s.logEvery(), s.noiseSite(),
        s.trainNoise());
  }

  @Test
  void theDevSetPlaysNoPartInAnyChoice() {
    TrainResult a;
    TrainResult b;
    float[] devA;
    try (Trainer t = Trainer.create(backbone, spec(0), List.of(task(2)))) {
      a = t.run();
      // what is reported is the chosen model on dev, and its validation figure is that model on validation
      TrainTask task = t.tasks().get(0);
      assertEquals(t.evaluate(task, task.dev(), Trainer.EvalControls.discretized()).metrics(), a.tasks().get(0).metrics());
      assertEquals(t.evaluate(task, task.validation(), Trainer.EvalControls.discretized()).metrics(),
          a.validation("m").orElseThrow().metrics());
      devA = t.value(SlotNames.HEAD_W, "m");
    }
    try (Trainer t = Trainer.create(backbone, spec(0), List.of(task(9)))) {
      b = t.run();
      // another dev set: the same evaluations, the same best step, the same parameters
      assertArrayEquals(devA, t.value(SlotNames.HEAD_W, "m"));
    }
    assertEquals(TrainTask.VALIDATION, a.selectionSplit());
    assertTrue(a.history().size() >= 5, "every 30 steps, and at the settle deadline");
    assertTrue(a.history().stream().allMatch(e -> e.split().equals(TrainTask.VALIDATION)));
    assertEquals(a.history(), b.history());
    assertEquals(a.bestStep(), b.bestStep());
    assertEquals(a.validation("m").orElseThrow().metrics(), b.validation("m").orElseThrow().metrics());
    assertTrue(a.validation("m").orElseThrow().metrics().get("accuracy") > 0.8, "it learned: " + a.validation("m"));
    // the kept step is one the validation evaluations marked best
    assertTrue(a.history().stream().anyMatch(e -> e.step() == a.bestStep() && e.best()), a.history().toString());
  }

  @Test
  void withoutAValidationSplitChoicesAreMadeOnDev() {
    try (Trainer t = Trainer.create(backbone, spec(0), List.of(TinyTasks.markerTask("m")))) {
      TrainResult r = t.run();
      assertEquals(TrainTask.DEV, r.selectionSplit());
      assertTrue(r.validationTasks().isEmpty());
      assertTrue(r.history().stream().allMatch(e -> e.split().equals(TrainTask.DEV)));
    }
  }

  @Test
  void aResumedRunChoosesExactlyAsAnUninterruptedOne(@TempDir Path dir) {
    TrainResult full;
    try (Trainer t = Trainer.create(backbone, spec(30), List.of(task(2)))) {
      full = t.run();
    }
    try (Trainer t = Trainer.create(backbone, spec(30), List.of(task(2))).checkpointDir(dir).haltAfter(75)) {
      assertNull(t.run());
    }
    try (Trainer t = Trainer.create(backbone, spec(30), List.of(task(2))).checkpointDir(dir)) {
      TrainResult resumed = t.run();
      assertEquals(full.history(), resumed.history());
      assertEquals(full.tasks().get(0).metrics(), resumed.tasks().get(0).metrics());
      assertEquals(full.validationTasks().get(0).metrics(), resumed.validationTasks().get(0).metrics());
    }
  }

  @Test
  void everyTaskHoldsValidationOutOrNoneDoes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.create(backbone, spec(0), List.of(task(2), TinyTasks.regressionTask())));
    assertTrue(e.getMessage().contains("held out: [m] of [m, reg]"), e.getMessage());
  }
}
