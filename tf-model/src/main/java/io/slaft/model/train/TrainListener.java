package io.slaft.model.train;

import java.util.List;
import java.util.Map;

/**
 * Progress callbacks from the {@link Trainer}, called on the training thread; implementations
 * must return quickly (hand work to another thread for I/O such as tracking).
 */
public interface TrainListener {
  /** Progress of one step. */
  record StepInfo(int step, int totalSteps, String task, double loss, double penalty, double lambda, double lr,
      double gateMass, int activeModules, int totalModules, double tokensPerSec, double etaSeconds) {}

  /**
   * One evaluation during training, on the split choices are made on.
   *
   * @param split {@link TrainTask#VALIDATION} (held out from training rows) or {@link TrainTask#DEV}:
   *     what {@code metrics} were measured on
   * @param structure per task, the discrete structure at this evaluation ({@link DiscreteStructure#kept})
   * @param flips per task, the modules that changed since the previous evaluation (the first one
   *     compares with the structure of the initial parameters)
   */
  record EvalInfo(int step, String split, Map<String, Map<String, Double>> metrics, double score, boolean best,
      Map<String, List<String>> structure, Map<String, Integer> flips) {}

  /**
   * The settle phase rebuilt the training graph for what is left of its structure.
   *
   * @param step search steps done when it was rebuilt (or the step a run resumed at)
   * @param modules modules the graph computes now
   * @param poolModules modules of the pool
   * @param fixedActivations bottleneck modules that compute one fixed activation instead of the mix
   * @param cachedLayers the layers below the lowest computed module, now run once per example and
   *     cached (0: the graph computes every layer)
   */
  record GraphInfo(int step, int modules, int poolModules, int fixedActivations, int cachedLayers) {}

  default void onStep(StepInfo info) {}

  default void onGraph(GraphInfo info) {}

  default void onEval(EvalInfo info) {}

  default void onCheckpoint(int step, java.nio.file.Path file) {}

  TrainListener NONE = new TrainListener() {};
}
