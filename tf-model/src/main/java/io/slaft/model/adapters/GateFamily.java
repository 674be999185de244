package io.slaft.model.adapters;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * How module gates are parameterized, and everything that follows from it — in one place: the
 * gate function in the training graph ({@link #gateOp}), its penalty ({@link #penaltyOp}), whether
 * λ applies, whether training samples gate noise, the temperatures of training and evaluation,
 * the deterministic gate of evaluation ({@link #evalGate}), which modules the discrete structure
 * keeps ({@link #keep}) and how a kept module is served ({@link #servesKeptModulesFullyOn}).
 * The trainer, the discretizer and the exporter ask the family; none of them switches on it.
 */
public enum GateFamily {
  /** The paper's form {@code z = sigmoid(alpha / tau)}; size-weighted penalty on z. */
  SIGMOID("sigmoid") {
    @Override
    public Operand<TFloat32> gateOp(Ops tf, Operand<TFloat32> alpha, Operand<TFloat32> noise, Operand<TFloat32> temp,
        Operand<TFloat32> shift) {
      return tf.math.sigmoid(tf.math.div(alpha, temp));
    }

    @Override
    public Operand<TFloat32> penaltyOp(Ops tf, Operand<TFloat32> alpha, Operand<TFloat32> gate,
        Operand<TFloat32> sizes, float poolParams) {
      return tf.math.div(tf.reduceSum(tf.math.mul(gate, sizes), tf.constant(0)), tf.constant(poolParams));
    }

    @Override
    public double evalGate(double alpha, double shift, double tau) {
      return GateMath.sigmoidGate(alpha, tau);
    }
  },
  /** L0 hard-concrete gates (Louizos et al. 2018): stochastic in training, exact zeros at evaluation. */
  HARD_CONCRETE("hard-concrete") {
    @Override
    public Operand<TFloat32> gateOp(Ops tf, Operand<TFloat32> alpha, Operand<TFloat32> noise, Operand<TFloat32> temp,
        Operand<TFloat32> shift) {
      Operand<TFloat32> s = tf.math.sigmoid(tf.math.div(tf.math.add(alpha, noise), temp));
      Operand<TFloat32> stretched = tf.math.add(tf.math.mul(s,
          tf.constant((float) (SparsityControl.HC_ZETA - SparsityControl.HC_GAMMA))), tf.constant((float) SparsityControl.HC_GAMMA));
      return tf.clipByValue(stretched, tf.constant(0f), tf.constant(1f));
    }

    /** The expected L0 norm, size-weighted: {@code Σ sigmoid(alpha - beta log(-gamma/zeta)) · size / pool}. */
    @Override
    public Operand<TFloat32> penaltyOp(Ops tf, Operand<TFloat32> alpha, Operand<TFloat32> gate,
        Operand<TFloat32> sizes, float poolParams) {
      Operand<TFloat32> l0 = tf.math.sigmoid(tf.math.sub(alpha, tf.constant((float) (SparsityControl.HC_BETA
          * Math.log(-SparsityControl.HC_GAMMA / SparsityControl.HC_ZETA)))));
      return tf.math.div(tf.reduceSum(tf.math.mul(l0, sizes), tf.constant(0)), tf.constant(poolParams));
    }

    @Override
    public double evalGate(double alpha, double shift, double tau) {
      return GateMath.hardConcrete(alpha, 0, 1);
    }

    @Override
    public boolean samplesNoise() {
      return true;
    }

    /** Training runs at the fixed hard-concrete temperature β, whatever the annealing schedule says. */
    @Override
    public float trainTemperature(float tau) {
      return (float) SparsityControl.HC_BETA;
    }

    /** Evaluation is the deterministic gate at temperature 1. */
    @Override
    public float evalTemperature(float tau) {
      return 1f;
    }
  },
  /** Shifted sigmoid {@code sigmoid((alpha - b) / tau)}, b solved each step to meet a parameter budget. */
  BUDGET("budget") {
    @Override
    public Operand<TFloat32> gateOp(Ops tf, Operand<TFloat32> alpha, Operand<TFloat32> noise, Operand<TFloat32> temp,
        Operand<TFloat32> shift) {
      return tf.math.sigmoid(tf.math.div(tf.math.sub(alpha, shift), temp));
    }

    @Override
    public double evalGate(double alpha, double shift, double tau) {
      return GateMath.budgetGate(alpha, shift, tau);
    }

    /**
     * The shift spreads the budget over every module as small gate values, so a threshold would
     * drop them all: the modules with the largest gates are kept, largest first, while their
     * parameters fit in the budget.
     */
    @Override
    public boolean[] keep(double[] gate, long[] sizes, double threshold, double budgetParams) {
      Integer[] order = new Integer[gate.length];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Double.compare(gate[b], gate[a]));
      boolean[] kept = new boolean[gate.length];
      double used = 0;
      for (int i : order) {
        if (gate[i] > 0 && used + sizes[i] <= budgetParams) {
          kept[i] = true;
          used += sizes[i];
        }
      }
      return kept;
    }

    /** Gate values are a relaxation that spreads the budget (≈ budget / pool each), not a strength to keep. */
    @Override
    public boolean servesKeptModulesFullyOn() {
      return true;
    }

    /** The budget, solved each step, sets the size instead of λ. */
    @Override
    public boolean usesLambda() {
      return false;
    }
  },
  /** Gates fixed open (z = 1): the structure is given, not learned (baselines). */
  FIXED("fixed") {
    @Override
    public Operand<TFloat32> gateOp(Ops tf, Operand<TFloat32> alpha, Operand<TFloat32> noise, Operand<TFloat32> temp,
        Operand<TFloat32> shift) {
      return tf.math.add(tf.math.mul(alpha, tf.constant(0f)), tf.constant(1f));
    }

    @Override
    public double evalGate(double alpha, double shift, double tau) {
      return 1.0;
    }

    @Override
    public boolean learnsGates() {
      return false;
    }

    @Override
    public boolean usesLambda() {
      return false;
    }
  };

  private final String id;

  GateFamily(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /**
   * The gate vector {@code z} of the training graph from the gate logits {@code alpha} and the fed
   * controls (logistic noise, temperature, budget shift); before the gate mask is applied.
   */
  public abstract Operand<TFloat32> gateOp(Ops tf, Operand<TFloat32> alpha, Operand<TFloat32> noise,
      Operand<TFloat32> temp, Operand<TFloat32> shift);

  /**
   * The size-weighted sparsity penalty (a scalar, multiplied by λ in the loss), or {@code null}
   * when the family has none.
   */
  public Operand<TFloat32> penaltyOp(Ops tf, Operand<TFloat32> alpha, Operand<TFloat32> gate, Operand<TFloat32> sizes,
      float poolParams) {
    return null;
  }

  /** The deterministic gate of evaluation for logit {@code alpha}, budget shift and temperature. */
  public abstract double evalGate(double alpha, double shift, double tau);

  /** Whether gate logits are trained (every family but {@link #FIXED}). */
  public boolean learnsGates() {
    return true;
  }

  /** Whether a training step samples logistic gate noise (hard-concrete). */
  public boolean samplesNoise() {
    return false;
  }

  /** The gate temperature fed to a training step when the schedule is at {@code tau}. */
  public float trainTemperature(float tau) {
    return tau;
  }

  /** The gate temperature fed at evaluation when the schedule ends at {@code tau}. */
  public float evalTemperature(float tau) {
    return tau;
  }

  /**
   * Which modules the discrete structure keeps, given their evaluation gates and sizes: by default
   * those whose gate reaches {@code threshold}; {@code budgetParams} is the budget family's limit.
   */
  public boolean[] keep(double[] gate, long[] sizes, double threshold, double budgetParams) {
    boolean[] kept = new boolean[gate.length];
    for (int i = 0; i < gate.length; i++) {
      kept[i] = gate[i] >= threshold;
    }
    return kept;
  }

  /**
   * Whether the discrete structure switches kept modules fully on (gate 1) instead of serving
   * their gate value: true for {@link #BUDGET}. The trainer's discretized evaluation and
   * re-training and the export both follow this.
   */
  public boolean servesKeptModulesFullyOn() {
    return false;
  }

  /**
   * Whether the size-weighted penalty weight λ applies: not for {@link #FIXED} (no gates to
   * penalise) and not for {@link #BUDGET} (the budget, solved each step, sets the size instead).
   */
  public boolean usesLambda() {
    return true;
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
