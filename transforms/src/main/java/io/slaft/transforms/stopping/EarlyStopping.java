package io.slaft.transforms.stopping;

import java.io.Serializable;
import java.util.List;
import java.util.OptionalInt;

/**
 * Where and how a sweep compares its points: the rule, the rungs (steps at which points report), ASHA's
 * reduction factor and how many other points must have reported a rung before anyone is cut there.
 * Immutable and validated; serializable, it travels to workers.
 *
 * @param rule the rule; {@link StopRuleKind#NONE} turns early stopping off
 * @param rungs explicit rung steps, ascending; empty = the rule's default ({@link #isRung})
 * @param evalEvery the steps between two evaluations (every rung is an evaluation step)
 * @param reductionFactor ASHA's η
 * @param minPoints other points a rung needs before a point is cut there
 */
public record EarlyStopping(StopRuleKind rule, List<Integer> rungs, int evalEvery, int reductionFactor, int minPoints)
    implements Serializable {
  /** Early stopping off. */
  public static final EarlyStopping OFF = new EarlyStopping(StopRuleKind.NONE, List.of(), 0, 3, 1);

  public EarlyStopping {
    rungs = List.copyOf(rungs);
    if (reductionFactor < 2) {
      throw new IllegalArgumentException("the reduction factor must be at least 2, got " + reductionFactor);
    }
    if (minPoints < 1) {
      throw new IllegalArgumentException("at least one other point must report a rung before a cut, got " + minPoints);
    }
    if (rule != StopRuleKind.NONE) {
      if (evalEvery <= 0) {
        throw new IllegalArgumentException("points are compared at evaluations, and this run evaluates only at the end"
            + " (eval_every " + evalEvery + ")");
      }
      for (int i = 0; i < rungs.size(); i++) {
        int r = rungs.get(i);
        if (r <= 0 || r % evalEvery != 0) {
          throw new IllegalArgumentException("rung " + r + " is not an evaluation step (a multiple of eval_every "
              + evalEvery + ")");
        }
        if (i > 0 && r <= rungs.get(i - 1)) {
          throw new IllegalArgumentException("rungs must ascend, got " + rungs);
        }
      }
    }
  }

  public boolean enabled() {
    return rule != StopRuleKind.NONE;
  }

  /**
   * Whether {@code step} is a rung: one of {@link #rungs} when given; else for ASHA {@code evalEvery × η^k}
   * (k ≥ 0), for the median rule every evaluation step.
   */
  public boolean isRung(int step) {
    if (!enabled() || step <= 0 || step % evalEvery != 0) {
      return false;
    }
    if (!rungs.isEmpty()) {
      return rungs.contains(step);
    }
    if (rule == StopRuleKind.MEDIAN) {
      return true;
    }
    long r = evalEvery;
    while (r < step) {
      r *= reductionFactor;
    }
    return r == step;
  }

  /** The last rung at or before {@code step}, if any. */
  public OptionalInt rungAtOrBefore(int step) {
    for (int s = step - step % Math.max(1, evalEvery); s > 0; s -= evalEvery) {
      if (isRung(s)) {
        return OptionalInt.of(s);
      }
    }
    return OptionalInt.empty();
  }

  /** One line for people: {@code asha, η 3, rungs 20·3^k, at least 1 other point}. */
  public String describe() {
    if (!enabled()) {
      return "none";
    }
    String where = !rungs.isEmpty() ? "rungs " + rungs
        : rule == StopRuleKind.MEDIAN ? "every evaluation (" + evalEvery + " steps)" : "rungs " + evalEvery + "·" + reductionFactor + "^k";
    return rule.id() + (rule == StopRuleKind.ASHA ? ", η " + reductionFactor : "") + ", " + where + ", cut once "
        + minPoints + (minPoints == 1 ? " other point has" : " other points have") + " reported the rung";
  }
}
