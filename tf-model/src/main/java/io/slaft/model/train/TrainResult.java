package io.slaft.model.train;

import java.util.List;
import java.util.Map;

/**
 * Outcome of {@link Trainer#run()}: per task, the best parameters' metrics and structure. With
 * learned gates, {@code tasks} are evaluated on the discretized structure (modules below the
 * threshold removed, argmax activations: the model the export serves, whose parameters
 * {@link TaskResult#activeParams()} counts) and {@code searchTasks} with the soft gates of search;
 * with fixed gates both are the same evaluation.
 *
 * @param spec the run's spec
 * @param backbone backbone name
 * @param tasks per-task results
 * @param trainableParams all trainable values (pool, BitFit, per-task structure and heads)
 * @param backboneParams frozen backbone parameters
 * @param stepsRun steps actually trained (early stopping may end sooner)
 * @param bestStep the step whose parameters were kept
 * @param trainTokensPerSec padded tokens per second over training steps
 * @param trainRealTokensPerSec real (unpadded) tokens per second over training steps
 * @param trainSeconds wall time spent in training steps
 * @param evalTokensPerSec padded tokens per second of the last dev evaluation through the
 *     training graph (gated, unmerged: an upper bound on the cost of the compact export)
 * @param history every evaluation
 * @param searchTasks per-task results with the soft gates used during search
 * @param settledAt per task, the search step after which every module was committed by the settle
 *     phase, or -1 (settle off, fixed gates, or not reached)
 * @param selectionSplit the split every choice was made on ({@link TrainTask#VALIDATION} or {@link
 *     TrainTask#DEV}); {@code history}'s metrics are on it
 * @param validationTasks per task, the returned model (the one {@code tasks} evaluates) on the
 *     held-out validation examples; empty when the tasks held none out ({@code tasks} and
 *     {@code searchTasks} are always on dev)
 * @param stoppedEarly why a {@link StopRule} ended the run before its last step, or null (it ran to the end,
 *     or patience ended it)
 */
public record TrainResult(TrainSpec spec, String backbone, List<TaskResult> tasks, long trainableParams,
    long backboneParams, int stepsRun, int bestStep, double trainTokensPerSec, double trainRealTokensPerSec,
    double trainSeconds,
    double evalTokensPerSec, List<TrainListener.EvalInfo> history, List<TaskResult> searchTasks,
    Map<String, Integer> settledAt, String selectionSplit, List<TaskResult> validationTasks, StopRule.Stop stoppedEarly) {
  public TrainResult {
    validationTasks = List.copyOf(validationTasks);
  }

  /** {@code task}'s result on the held-out validation examples, if it held any out. */
  public java.util.Optional<TaskResult> validation(String task) {
    return validationTasks.stream().filter(v -> v.task().equals(task)).findFirst();
  }

  /** Compression of a task: active parameters ÷ backbone parameters. */
  public double compression(TaskResult t) {
    return (double) t.activeParams() / backboneParams;
  }
}
