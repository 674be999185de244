package io.slaft.model.train;

import java.util.List;

/**
 * Outcome of {@link Trainer#run()}: the best evaluation's metrics and structures per task.
 *
 * @param spec the run's spec
 * @param backbone backbone name
 * @param tasks per-task results
 * @param trainableParams all trainable values (pool, BitFit, per-task structure and heads)
 * @param backboneParams frozen backbone parameters
 * @param stepsRun steps actually trained (early stopping may end sooner)
 * @param bestStep the step whose parameters were kept
 * @param trainTokensPerSec padded tokens per second over training steps
 * @param trainSeconds wall time spent in training steps
 * @param evalTokensPerSec padded tokens per second of the last dev evaluation through the
 *     training graph (gated, unmerged: an upper bound on the cost of the compact export)
 * @param history every evaluation
 */
public record TrainResult(TrainSpec spec, String backbone, List<TaskResult> tasks, long trainableParams,
    long backboneParams, int stepsRun, int bestStep, double trainTokensPerSec, double trainSeconds,
    double evalTokensPerSec, List<TrainListener.EvalInfo> history) {

  /** Compression of a task: active parameters ÷ backbone parameters. */
  public double compression(TaskResult t) {
    return (double) t.activeParams() / backboneParams;
  }
}
