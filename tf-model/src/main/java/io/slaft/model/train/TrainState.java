package io.slaft.model.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The mutable progress of one {@link Trainer#run()}: the step, time and tokens so far, the best
 * evaluation (score, step, parameter snapshot) and the steps since it for early stopping, and the
 * evaluation history. Everything a resumed run needs is written by {@link CheckpointFile}.
 */
final class TrainState {
  int step;
  int resumedAt;
  double trainSeconds;
  long tokens;
  long realTokens;
  double bestScore = Double.NEGATIVE_INFINITY;
  int bestStep = -1;
  int sinceBest;
  Map<String, float[]> best;
  /** The best evaluation's full results (null after a resume until a new best). */
  List<TaskResult> bestResults;
  double evalTokensPerSec;
  List<TrainListener.EvalInfo> history = new ArrayList<>();

  /**
   * Records an evaluation with {@code score} at {@code step}; returns whether it is the new best
   * (then {@code snapshot} is taken and kept as the best parameters).
   */
  boolean offer(int step, double score, List<TaskResult> results, Supplier<Map<String, float[]>> snapshot) {
    boolean isBest = bestStep < 0 || score > bestScore;
    if (isBest) {
      bestResults = results;
      bestScore = score;
      bestStep = step;
      best = snapshot.get();
      sinceBest = 0;
    } else {
      sinceBest++;
    }
    return isBest;
  }

  /** Whether early stopping ends the run: {@code patience} evaluations without a new best (0 = never). */
  boolean patienceExhausted(int patience) {
    return patience > 0 && sinceBest >= patience;
  }
}
