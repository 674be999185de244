package io.slaft.model.adapters;

import com.google.common.base.Preconditions;

/**
 * Gates and sparsity control. The penalty weight follows a schedule: 0 for {@code warmupSteps},
 * then a linear ramp to {@code lambda} over {@code rampSteps}. The gate temperature anneals
 * geometrically from {@code temperatureStart} to {@code temperatureEnd} over training.
 *
 * @param family gate parameterization
 * @param lambda sparsity weight λ
 * @param budget target active parameters as a fraction of backbone parameters: required > 0 for
 *     {@link GateFamily#BUDGET} and 0 for every other family
 * @param warmupSteps steps with λ = 0
 * @param rampSteps steps over which λ rises linearly to its value
 * @param temperatureStart initial gate temperature
 * @param temperatureEnd final gate temperature
 * @param initLogit initial gate logit (sigmoid 2.0 ≈ 0.88 open)
 * @param threshold gates below this value are closed when the structure is discretized
 * @param settle the settle phase after the λ ramp ({@link SettleControl})
 */
public record SparsityControl(
    GateFamily family,
    float lambda,
    float budget,
    int warmupSteps,
    int rampSteps,
    float temperatureStart,
    float temperatureEnd,
    float initLogit,
    float threshold,
    SettleControl settle) {

  /** Hard-concrete stretch and temperature constants (Louizos et al. 2018). */
  public static final double HC_BETA = 2.0 / 3.0;
  public static final double HC_GAMMA = -0.1;
  public static final double HC_ZETA = 1.1;

  /** As the canonical constructor, with the default settle phase ({@link SettleControl#DEFAULT}). */
  public SparsityControl(GateFamily family, float lambda, float budget, int warmupSteps, int rampSteps,
      float temperatureStart, float temperatureEnd, float initLogit, float threshold) {
    this(family, lambda, budget, warmupSteps, rampSteps, temperatureStart, temperatureEnd, initLogit, threshold,
        SettleControl.DEFAULT);
  }

  public SparsityControl {
    Preconditions.checkNotNull(family, "sparsity.gate must be set");
    Preconditions.checkNotNull(settle, "sparsity settle control must be set");
    Preconditions.checkArgument(lambda >= 0, "sparsity.lambda must be >= 0, got %s", lambda);
    Preconditions.checkArgument(budget >= 0 && budget <= 1, "sparsity.budget must be in [0, 1], got %s", budget);
    Preconditions.checkArgument(family != GateFamily.BUDGET || budget > 0,
        "sparsity.gate=budget needs sparsity.budget > 0 (a fraction of backbone parameters, e.g. 0.01)");
    Preconditions.checkArgument(family == GateFamily.BUDGET || budget == 0,
        "sparsity.budget=%s is only used by sparsity.gate=budget (got sparsity.gate=%s): set sparsity.gate=budget, "
            + "or remove sparsity.budget and steer the size with sparsity.lambda", budget, family.id());
    Preconditions.checkArgument(warmupSteps >= 0 && rampSteps >= 0, "sparsity warmup/ramp steps must be >= 0");
    Preconditions.checkArgument(temperatureStart > 0 && temperatureEnd > 0, "sparsity temperatures must be > 0");
    Preconditions.checkArgument(threshold > 0 && threshold < 1, "sparsity.threshold must be in (0, 1), got %s", threshold);
  }

  /** Sensible defaults for a family: λ 1.0, warm-up 10 % style steps given by the caller. */
  public static SparsityControl defaults(GateFamily family) {
    return new SparsityControl(family, 1.0f, family == GateFamily.BUDGET ? 0.01f : 0f, 0, 0, 1f, 1f, 2f, 0.5f);
  }

  /** The same control with another settle phase. */
  public SparsityControl withSettle(SettleControl s) {
    return new SparsityControl(family, lambda, budget, warmupSteps, rampSteps, temperatureStart, temperatureEnd, initLogit,
        threshold, s);
  }

  /** λ at {@code step}. */
  public float lambdaAt(int step) {
    if (step < warmupSteps) {
      return 0f;
    }
    if (rampSteps == 0) {
      return lambda;
    }
    return lambda * Math.min(1f, (step - warmupSteps + 1) / (float) rampSteps);
  }

  /** Gate temperature at {@code step} of {@code total}. */
  public float temperatureAt(int step, int total) {
    if (total <= 1) {
      return temperatureEnd;
    }
    double t = Math.min(1.0, step / (double) (total - 1));
    return (float) (temperatureStart * Math.pow(temperatureEnd / temperatureStart, t));
  }
}
