package io.slaft.pipelines.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.model.backbone.Backbone;
import io.slaft.model.train.LabeledExample;
import io.slaft.model.train.TrainTask;
import io.slaft.pipelines.config.ConfigException;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.transforms.data.TaskDataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code data.validation}: rows held out of training, counted, printed, clean of training noise,
 * refused when impossible; and {@code train.epochs}, the budget counted on the rows left to train on.
 */
class ValidationSplitTest {
  @TempDir Path dir;
  private static Backbone backbone;

  @BeforeAll
  static void tokenizer() {
    backbone = TokenizingBackbone.create();
  }

  /** 14 ham rows, 6 spam rows and one malformed row (line 9) in train; 3 dev rows. */
  private ExperimentConfig config(String... overrides) throws Exception {
    StringBuilder train = new StringBuilder("text\tlabel\n");
    for (int i = 0; i < 20; i++) {
      train.append("message number ").append(i).append('\t').append(i % 10 < 7 ? "ham" : "spam").append('\n');
      if (i == 6) {
        train.append("a\tbroken\trow\n");
      }
    }
    Files.writeString(dir.resolve("train.tsv"), train.toString());
    Files.writeString(dir.resolve("dev.tsv"), "text\tlabel\nsee you\tham\nfree prize\tspam\nlunch\tham\n");
    Path f = dir.resolve("own.yaml");
    Files.writeString(f, "name: own\ntasks: [spam]\ndata: {dir: " + dir + ", max_dead_letter_fraction: 0.5}\n"
        + "task_defs:\n  spam:\n    train: train.tsv\n    dev: dev.tsv\n    text: text\n    labels: [ham, spam]\n");
    return ExperimentConfig.load(f).withOverrides(List.of(overrides));
  }

  private static Set<Long> ids(List<LabeledExample> examples) {
    Set<Long> s = new HashSet<>();
    examples.forEach(e -> s.add(e.id()));
    return s;
  }

  @Test
  void aStratifiedSeededFractionIsHeldOutAndEveryRowIsAccountedFor() throws Exception {
    List<String> log = new ArrayList<>();
    LoadedTasks loaded = TaskLoader.load(config("data.validation=0.2"), backbone, null, log::add);
    TrainTask t = loaded.tasks().get(0);
    assertEquals(List.of("[data] spam train: 21 rows = 20 examples + 1 dead letters",
        "[data] spam dev: 3 rows = 3 examples + 0 dead letters",
        "[data] spam validation: 4 of 20 training rows held out (data.validation 0.2, seed 1, cap 1000); 16 trained on"),
        log);
    assertEquals(16, t.train().size());
    assertEquals(4, t.validation().size());
    assertEquals(3, t.dev().size(), "the dev set is untouched");
    assertEquals(TrainTask.VALIDATION, t.selectionSplit());
    // 4 of 14 ham + 6 spam: quotas 2.8 and 1.2, the larger remainder rounds up
    assertEquals(3, t.validation().stream().filter(e -> e.label() == 0).count());
    assertEquals(1, t.validation().stream().filter(e -> e.label() == 1).count());
    Set<Long> all = ids(t.train());
    all.addAll(ids(t.validation()));
    assertEquals(20, all.size(), "rows read = trained on + held out + dead letters, no row in both");

    TrainTask again = TaskLoader.load(config("data.validation=0.2"), backbone, null, s -> { }).tasks().get(0);
    assertEquals(ids(t.validation()), ids(again.validation()), "the same config holds the same rows out");
    TrainTask otherSeed = TaskLoader.load(config("data.validation=0.2", "data.validation_seed=2"), backbone, null, s -> { })
        .tasks().get(0);
    assertNotEquals(ids(t.validation()), ids(otherSeed.validation()));
    TrainTask otherTrainSeed = TaskLoader.load(config("data.validation=0.2", "seed=9"), backbone, null, s -> { })
        .tasks().get(0);
    assertEquals(ids(t.validation()), ids(otherTrainSeed.validation()), "a sweep over train seeds keeps one validation split");
    TrainTask capped = TaskLoader.load(config("data.validation=0.5", "data.validation_max=2"), backbone, null, s -> { })
        .tasks().get(0);
    assertEquals(2, capped.validation().size());
  }

  @Test
  void withoutDataValidationEveryTrainingRowIsTrainedOnAndChoicesAreOnDev() throws Exception {
    List<String> log = new ArrayList<>();
    TrainTask t = TaskLoader.load(config(), backbone, null, log::add).tasks().get(0);
    assertEquals(20, t.train().size());
    assertTrue(t.validation().isEmpty());
    assertEquals(TrainTask.DEV, t.selectionSplit());
    assertTrue(log.stream().noneMatch(l -> l.contains("validation")), log.toString());
  }

  @Test
  void trainingNoiseNeverReachesTheHeldOutRows() throws Exception {
    TrainTask clean = TaskLoader.load(config("data.validation=0.2"), backbone, null, s -> { }).tasks().get(0);
    TrainTask noisy = TaskLoader.load(config("data.validation=0.2", "data.label_noise=1"), backbone, null, s -> { })
        .tasks().get(0);
    assertEquals(ids(clean.validation()), ids(noisy.validation()));
    assertEquals(clean.validation().stream().map(LabeledExample::label).toList(),
        noisy.validation().stream().map(LabeledExample::label).toList(), "held-out labels are not flipped");
    assertNotEquals(clean.train().stream().map(LabeledExample::label).toList(),
        noisy.train().stream().map(LabeledExample::label).toList());
  }

  @Test
  void aBadValueIsRefusedNamingTheKeyAndATooSmallTaskNamingTheFix() throws Exception {
    ConfigException one = assertThrows(ConfigException.class, () -> config("data.validation=1"));
    assertTrue(one.getMessage().contains("data.validation"), one.getMessage());
    ConfigException cap = assertThrows(ConfigException.class, () -> config("data.validation_max=0"));
    assertTrue(cap.getMessage().contains("data.validation_max"), cap.getMessage());
    TaskDataException small = assertThrows(TaskDataException.class,
        () -> TaskLoader.load(config("data.validation=0.1", "data.train_limit=1"), backbone, null, s -> { }));
    assertTrue(small.getMessage().contains("task spam: data.validation 0.1") && small.getMessage().contains("at least 2")
        && small.getMessage().contains("Fix:"), small.getMessage());
  }

  @Test
  void anEpochsBudgetCountsTheRowsLeftToTrainOn() throws Exception {
    assertEquals(94, io.slaft.model.train.TrainSpec.stepsForEpochs(3, 1000, 32), "ceil(93.75)");
    assertEquals(2, io.slaft.model.train.TrainSpec.stepsForEpochs(1, 64, 32), "exact: no extra step");
    ExperimentConfig c = config("data.validation=0.2", "train.epochs=2.5", "train.batch_size=4");
    LoadedTasks loaded = TaskLoader.load(c, backbone, null, s -> { });
    List<String> log = new ArrayList<>();
    ExperimentSpec spec = ExperimentSpec.bind(c).forData(loaded.tasks(), log::add);
    assertEquals(10, spec.train().steps(), "ceil(2.5 × 16 ÷ 4)");
    assertEquals(List.of("[train] train.epochs 2.5: ceil(2.5 × 16 training rows ÷ batch 4) = 10 steps"), log);
    ExperimentSpec steps = ExperimentSpec.bind(config("train.steps=7"));
    assertEquals(steps, steps.forData(loaded.tasks(), s -> { throw new AssertionError(s); }), "no budget: as it is");
    ConfigException both = assertThrows(ConfigException.class,
        () -> ExperimentSpec.bind(config("train.epochs=3", "train.steps=100")));
    assertTrue(both.getMessage().contains("train.epochs 3.0 and train.steps 100 are both set") && both.getMessage().contains("Fix:"),
        both.getMessage());
  }

  @Test
  void lambdasWarmupAndRampCanFollowTheEpochsBudget() throws Exception {
    ExperimentConfig c = config("data.validation=0.2", "train.epochs=2.5", "train.batch_size=4",
        "sparsity.warmup_fraction=0.2", "sparsity.ramp_fraction=0.35");
    LoadedTasks loaded = TaskLoader.load(c, backbone, null, s -> { });
    ExperimentSpec spec = ExperimentSpec.bind(c).forData(loaded.tasks(), s -> { });
    assertEquals(10, spec.train().steps());
    assertEquals(2, spec.train().sparsity().warmupSteps(), "round(0.2 × 10)");
    assertEquals(4, spec.train().sparsity().rampSteps(), "round(0.35 × 10)");
    assertEquals(6, ExperimentSpec.bind(config("train.steps=30", "sparsity.warmup_fraction=0.2")).train().sparsity().warmupSteps(),
        "without epochs: a fraction of train.steps");
    ExperimentConfig both = config("sparsity.warmup_steps=5", "sparsity.warmup_fraction=0.2");
    io.slaft.pipelines.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
        io.slaft.pipelines.config.ConfigException.class, () -> ExperimentSpec.bind(both));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("sparsity.warmup_steps")
        && e.getMessage().contains("sparsity.warmup_fraction"), e.getMessage());
    ExperimentConfig plain = config("sparsity.warmup_steps=7");
    assertEquals(plain.hash(), plain.withOverrides(List.of("sparsity.warmup_fraction=0")).hash(), "the default keeps the hash");
    assertEquals(7, ExperimentSpec.bind(ExperimentConfig.of("resolved", plain.resolved())).train().sparsity().warmupSteps(),
        "a resolved config (both keys, the fraction 0) binds as before");
  }

  @Test
  void aTrainSampleIsDrawnBeforeValidationIsHeldOut() throws Exception {
    List<String> log = new ArrayList<>();
    TrainTask t = TaskLoader.load(config("data.train_sample=10", "data.validation=0.2"), backbone, null, log::add)
        .tasks().get(0);
    assertTrue(log.contains("[data] spam train sample: 10 of 20 training rows (data.train_sample 10, seed 1)"), log.toString());
    assertTrue(log.contains("[data] spam validation: 2 of 10 training rows held out (data.validation 0.2, seed 1, cap 1000);"
        + " 8 trained on"), log.toString());
    assertEquals(8, t.train().size());
    TrainTask all = TaskLoader.load(config("data.train_sample=50"), backbone, null, s -> { }).tasks().get(0);
    assertEquals(20, all.train().size(), "a task with fewer rows keeps them all");
  }
}
