package io.slaft.model.train;

import java.util.List;
import java.util.Map;

/**
 * Results for one task of a run.
 *
 * @param task task name
 * @param metrics metric name → value on dev (primary metric first)
 * @param structure per-module gates and activations for this task
 * @param activeParams parameters of the discretized structure for this task (active modules at
 *     their kept width, plus head and BitFit biases)
 * @param predictions dev predictions (class index, or score for regression) in dev order
 */
public record TaskResult(String task, Map<String, Double> metrics, List<ModuleGate> structure, long activeParams,
    float[] predictions) {

  public int activeModules() {
    return (int) structure.stream().filter(ModuleGate::active).count();
  }
}
