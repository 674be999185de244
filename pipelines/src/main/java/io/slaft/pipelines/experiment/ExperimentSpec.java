package io.slaft.pipelines.experiment;

import io.slaft.model.backbone.BackboneSource;
import io.slaft.model.backbone.Precision;
import io.slaft.model.train.TrainSpec;
import io.slaft.pipelines.config.ConfigException;
import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.config.SweepPoints;
import io.slaft.transforms.data.TaskSpec;
import io.slaft.transforms.sweep.SweepPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated config bound into the typed specs every stage runs on: the backbone, the training
 * spec (search space, gates, optimizer, schedule), the discrete re-training and the task specs.
 * Binding applies every rule that spans keys (e.g. a budget with a gate family that ignores it,
 * an unknown task), so a config that binds runs; {@link #bindSweep} binds every sweep point the
 * same way before any data is read. Immutable.
 *
 * @param config the config it was bound from
 * @param backbone where the backbone comes from
 * @param maxLength truncation length in tokens
 * @param precision the frozen backbone's precision, {@code backbone.precision} resolved on this CPU
 * @param train the training spec; with {@code train.epochs} its steps are fixed by {@link #forData}
 *     once the training rows are known (until then they are {@code train.steps}' default)
 * @param retrainSteps steps of discrete re-training after the search (0 = none)
 * @param tasks the task specs, in config order
 */
public record ExperimentSpec(ExperimentConfig config, BackboneSource backbone, int maxLength, Precision precision, TrainSpec train,
    int retrainSteps, List<TaskSpec> tasks) {

  public ExperimentSpec {
    tasks = List.copyOf(tasks);
  }

  /**
   * This spec for the training rows of {@code tasks}: with {@code train.epochs} &gt; 0 its steps are
   * {@link TrainSpec#stepsForEpochs} of their rows (all tasks, validation rows already held out),
   * and {@code log} gets the line that says how they were counted (λ's warm-up and ramp follow them when given as
   * fractions); otherwise this spec as it is.
   */
  public ExperimentSpec forData(List<io.slaft.model.train.TrainTask> trainTasks, java.util.function.Consumer<String> log) {
    float epochs = config.get(ConfigKeys.TRAIN_EPOCHS);
    if (epochs == 0f) {
      return this;
    }
    long rows = trainTasks.stream().mapToLong(t -> t.train().size()).sum();
    int steps = TrainSpec.stepsForEpochs(epochs, rows, train.batchSize());
    log.accept(String.format(java.util.Locale.ROOT, "[train] %s %s: ceil(%s × %d training rows ÷ batch %d) = %d steps",
        ConfigKeys.TRAIN_EPOCHS.key(), epochs, epochs, rows, train.batchSize(), steps));
    return new ExperimentSpec(config, backbone, maxLength, precision, Specs.train(config, steps), retrainSteps, tasks);
  }

  /** Binds {@code c}; a violated rule is a {@link ConfigException} naming the key. */
  public static ExperimentSpec bind(ExperimentConfig c) {
    List<TaskSpec> tasks = new ArrayList<>();
    for (String name : c.get(ConfigKeys.TASKS)) {
      tasks.add(TaskLoader.spec(c, name));
    }
    if (tasks.isEmpty()) {
      throw new ConfigException(c.source() + ": " + ConfigKeys.TASKS + " is empty; name at least one task, e.g. tasks: [sst2]");
    }
    Specs.earlyStopping(c);
    io.slaft.pipelines.champion.ChampionRule.from(c);
    return new ExperimentSpec(c, Specs.backbone(c), c.get(ConfigKeys.BACKBONE_MAX_LENGTH), Specs.precision(c), Specs.train(c),
        c.get(ConfigKeys.TRAIN_RETRAIN_STEPS), tasks);
  }

  /**
   * Binds every sweep point of {@code c} (one when there is no sweep), in sweep order. A point
   * that does not bind is refused with the point and its values, e.g. {@code sweep point
   * 2-... (sparsity.gate=sigmoid, sparsity.budget=0.01): ...}.
   */
  public static List<ExperimentSpec> bindSweep(ExperimentConfig c) {
    List<ExperimentSpec> out = new ArrayList<>();
    List<SweepPoint> points = SweepPoints.of(c);
    if (Specs.earlyStopping(c).enabled() && points.size() < 2) {
      throw new ConfigException(c.source() + ": " + ConfigKeys.SWEEP_EARLY_STOP.key() + " = " + c.get(ConfigKeys.SWEEP_EARLY_STOP)
          + " compares the points of a sweep, and this config has " + points.size() + ". Fix: add sweep.grid.*, sweep.random.*"
          + " or sweep.seeds, or set " + ConfigKeys.SWEEP_EARLY_STOP.key() + ": none");
    }
    for (SweepPoint p : points) {
      try {
        out.add(bind(c.with(p.overrides())));
      } catch (ConfigException e) {
        throw new ConfigException("sweep point " + p.id() + " " + p.overrides() + ": " + e.getMessage(), e);
      }
    }
    return out;
  }
}
