package io.slaft.model.adapters;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How module gates are parameterized. */
public enum GateFamily {
  /** The paper's form {@code z = sigmoid(alpha / tau)}; size-weighted penalty on z. */
  SIGMOID("sigmoid"),
  /** L0 hard-concrete gates (Louizos et al. 2018): stochastic in training, exact zeros at evaluation. */
  HARD_CONCRETE("hard-concrete"),
  /** Shifted sigmoid {@code sigmoid((alpha - b) / tau)}, b solved each step to meet a parameter budget. */
  BUDGET("budget"),
  /** Gates fixed open (z = 1): the structure is given, not learned (baselines). */
  FIXED("fixed");

  private final String id;

  GateFamily(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /**
   * Whether the discrete structure switches kept modules fully on (gate 1) instead of serving
   * their gate value: true for {@link #BUDGET}, whose gate values are a relaxation that spreads the
   * budget over every module (≈ budget / pool each), not a strength to keep. The trainer's
   * discretized evaluation and re-training and the export both follow this.
   */
  public boolean servesKeptModulesFullyOn() {
    return this == BUDGET;
  }

  /**
   * Whether the size-weighted penalty weight λ applies: not for {@link #FIXED} (no gates to
   * penalise) and not for {@link #BUDGET} (the budget, solved each step, sets the size instead).
   */
  public boolean usesLambda() {
    return this == SIGMOID || this == HARD_CONCRETE;
  }

  public static GateFamily byId(String id) {
    for (GateFamily g : values()) {
      if (g.id.equals(id.toLowerCase(Locale.ROOT))) {
        return g;
      }
    }
    throw new IllegalArgumentException("unknown gate family '" + id + "'; allowed: "
        + Arrays.stream(values()).map(GateFamily::id).collect(Collectors.joining(", ")));
  }
}
