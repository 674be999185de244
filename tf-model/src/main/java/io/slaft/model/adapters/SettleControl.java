package io.slaft.model.adapters;

import com.google.common.base.Preconditions;

/**
 * The settle phase of structure search: after the λ ramp, every {@code every} steps each task's
 * discrete structure is read from the parameters; a module whose state (closed, or kept with its
 * activation) has been the same for {@code patience} consecutive checks is committed — its gate,
 * activation and channel logits stop moving, and a module committed closed is masked out of the
 * training graph. At {@code at × steps} every module left commits in its current state, so the
 * structure the export keeps cannot change after that step. The budget family commits only at
 * {@code at} (its modules share one budget, so one module's state depends on all the others').
 *
 * @param enabled whether search settles (off: the structure moves until the last step)
 * @param every steps between two checks
 * @param patience consecutive equal checks that commit a module
 * @param at the fraction of search steps after which every module is committed, in (0, 1]
 */
public record SettleControl(boolean enabled, int every, int patience, float at) {
  /** Settle: check every 10 steps, commit after 5 equal checks, everything committed at 75 % of the steps. */
  public static final SettleControl DEFAULT = new SettleControl(true, 10, 5, 0.75f);
  /** No settle phase. */
  public static final SettleControl OFF = new SettleControl(false, 10, 5, 1f);

  public SettleControl {
    Preconditions.checkArgument(every >= 1, "sparsity.settle_every must be >= 1, got %s", every);
    Preconditions.checkArgument(patience >= 1, "sparsity.settle_patience must be >= 1, got %s", patience);
    Preconditions.checkArgument(at > 0 && at <= 1, "sparsity.settle_at must be in (0, 1], got %s", at);
  }

  /** The search step (a count of steps done) after which every module is committed. */
  public int deadline(int steps) {
    return Math.max(1, Math.round(at * steps));
  }
}
