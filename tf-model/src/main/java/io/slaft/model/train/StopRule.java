package io.slaft.model.train;

import java.util.Optional;

/**
 * Decides after each evaluation whether a run goes on: a sweep's early-stopping rule (median stopping,
 * ASHA) plugs in here, apart from the loop. The {@link Trainer} asks it on the training thread right after
 * {@link TrainListener#onEval} with the same evaluation; a run told to stop ends as when its patience runs
 * out (the best parameters so far restored, dev evaluated once) and its {@link TrainResult#stoppedEarly()}
 * says why. Implementations may block briefly (a shared rung store) but must not throw for a transient
 * failure: answering "go on" is always safe.
 */
@FunctionalInterface
public interface StopRule {
  /**
   * Why a run ended before its last step.
   *
   * @param step the evaluation step at which it stopped
   * @param rung the step whose comparison with other runs cut it (the same as {@code step} unless it was cut
   *     at a later evaluation, once enough runs had reported that rung)
   * @param reason one line for people, e.g. {@code asha rung 20: 0.512 < cutoff 0.741 of 3 points}
   */
  record Stop(int step, int rung, String reason) {
    public Stop {
      if (step < 1 || rung < 1 || rung > step) {
        throw new IllegalArgumentException("a stop needs 1 <= rung <= step, got rung " + rung + " at step " + step);
      }
    }
  }

  /** Empty to go on, or the stop. */
  Optional<Stop> after(TrainListener.EvalInfo eval);

  /** Never stops. */
  StopRule NEVER = e -> Optional.empty();
}
