package io.slaft.model.adapters;

import com.google.common.base.Preconditions;

/**
 * The settle phase of structure search: after the λ ramp, every {@code every} steps each task's
 * discrete structure is read from the parameters; a module that has been closed for {@code
 * patience} consecutive checks is committed closed — its gate, activation and channel logits stop
 * moving and it no longer takes gradients. At {@code at × steps} every module left commits in its
 * current state (closed, or kept with its activation and its served gate), so the structure the
 * export keeps cannot change after that step and the steps after it train the served structure.
 * Open modules are not committed early: λ keeps pressing on them until {@code at}. The budget family commits only at
 * {@code at} (its modules share one budget, so one module's state depends on all the others').
 *
 * @param enabled whether search settles (off: the structure moves until the last step)
 * @param every steps between two checks
 * @param patience consecutive checks a module must stay closed to be committed closed
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

  /**
   * The search step (a count of steps done) after which every module is committed: {@code at ×
   * steps} rounded down, so with {@code at} 0.75 the last change of structure is never inside the
   * last quarter of the steps (what {@code structure_flips_last_quarter} counts).
   */
  public int deadline(int steps) {
    // + 1e-4: a float fraction such as 0.7f (0.69999999) still gives 70 of 100 steps
    return Math.max(1, (int) Math.floor((double) at * steps + 1e-4));
  }
}
