package io.slaft.pipelines.robustness;

import io.slaft.model.testing.TinyTasks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.model.train.LabeledExample;
import io.slaft.pipelines.config.ConfigException;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.transforms.data.GlueTasks;
import io.slaft.transforms.data.TaskSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingDataNoiseTest {
  @Test
  void labelNoiseFlipsTheRequestedFractionDeterministically() {
    TaskSpec sst2 = GlueTasks.spec("sst2");
    List<LabeledExample> train = TinyTasks.markerExamples(200, 5, true);
    List<LabeledExample> a = TrainingDataNoise.withLabelNoise(train, sst2, 0.15, 42);
    List<LabeledExample> b = TrainingDataNoise.withLabelNoise(train, sst2, 0.15, 42);
    int flipped = 0;
    for (int i = 0; i < train.size(); i++) {
      assertSame(train.get(i).tokens(), a.get(i).tokens());
      assertEquals(a.get(i).label(), b.get(i).label());
      flipped += train.get(i).label() != a.get(i).label() ? 1 : 0;
    }
    assertEquals(30, flipped);
    List<LabeledExample> none = TrainingDataNoise.withLabelNoise(train, sst2, 0.0, 42);
    for (int i = 0; i < train.size(); i++) {
      assertEquals(train.get(i).label(), none.get(i).label());
    }
  }

  @Test
  void regressionScoresAreJitteredWithinTheRange() {
    TaskSpec stsb = GlueTasks.spec("stsb");
    List<LabeledExample> train = TinyTasks.regressionExamples(100, 5);
    List<LabeledExample> noisy = TrainingDataNoise.withLabelNoise(train, stsb, 0.1, 1);
    int changed = 0;
    for (int i = 0; i < train.size(); i++) {
      float s = noisy.get(i).score();
      assertTrue(s >= stsb.target().min() && s <= stsb.target().max());
      changed += s != train.get(i).score() ? 1 : 0;
    }
    assertTrue(changed > 50, "most scores move: " + changed);
  }

  @Test
  void configKeysAreValidatedAndOffByDefault() {
    assertFalse(TrainingDataNoise.enabled(ExperimentConfig.of("t", Map.of())));
    assertFalse(TrainingDataNoise.enabled(ExperimentConfig.of("t", Map.of("data.perturb_family", "char-swap"))));
    assertTrue(TrainingDataNoise.enabled(ExperimentConfig.of("t",
        Map.of("data.perturb_family", "char-swap", "data.perturb_ratio", "0.1"))));
    assertTrue(TrainingDataNoise.enabled(ExperimentConfig.of("t", Map.of("data.label_noise", "0.1"))));
    assertThrows(ConfigException.class, () -> ExperimentConfig.of("t", Map.of("data.perturb_family", "char-smash")));
    RobustnessSettings s = RobustnessSettings.from(ExperimentConfig.of("t", Map.of()));
    assertEquals(11, s.families().size());
    assertEquals(List.of(0.0, 0.05, 0.10, 0.15, 0.20), s.severities().levels());
    assertThrows(ConfigException.class, () -> RobustnessSettings.from(
        ExperimentConfig.of("t", Map.of("robustness.families", "char-swap,char-smash"))));
  }
}
