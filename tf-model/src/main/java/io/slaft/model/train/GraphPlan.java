package io.slaft.model.train;

import io.slaft.model.adapters.ModuleLayout;
import io.slaft.model.adapters.ModuleLayout.Module;
import java.util.Arrays;

/**
 * Which modules of the pool a {@link TrainingGraph} computes, and which bottleneck modules compute
 * one fixed activation instead of the mix of all candidates. The settle phase ({@link Settler#plan})
 * removes modules committed closed for every task and fixes activations committed for every task,
 * so the rest of the run costs what the settled structure costs.
 *
 * <p>A plan does not change the function the graph computes: a removed module's gate is 0 in every
 * run of the graph that follows (committed closed), so it added 0 to the residual stream and to
 * every gradient (a closed prefix module: an e^-27.6 share of the softmax, {@link
 * TrainingGraph#PREFIX_MIN_GATE}); a fixed activation is what the one-hot mix computed (1 × f + 0 ×
 * the others). In floating point the gradients that met a removed module's path are summed in
 * another order, so a run with rebuilds agrees with one without to rounding, not bit for bit; the
 * checkpoint records the plan, so a resumed run is bit for bit the uninterrupted one.
 *
 * <p>{@code frozenBelow} layers at the bottom hold no module the graph computes; when the trainer
 * caches their output per example ({@link LayerCache}), the graph starts above them (0: the graph
 * computes every layer). The trainer derives it from {@code present} and its cache setting whenever
 * it installs a plan, so a checkpoint does not store it.
 *
 * @param present per module (by {@link Module#index()}), whether the graph computes it
 * @param activation per bottleneck module (by {@link Module#bottleneckIndex()}), the index of its
 *     fixed activation among the search space's candidates, or -1 for the mix of all of them
 * @param frozenBelow the layers below this one come from the cache, not from the graph
 */
record GraphPlan(boolean[] present, int[] activation, int frozenBelow) {
  GraphPlan {
    present = present.clone();
    activation = activation.clone();
    if (frozenBelow < 0) {
      throw new IllegalArgumentException("frozenBelow " + frozenBelow);
    }
  }

  /** A plan that computes every layer. */
  GraphPlan(boolean[] present, int[] activation) {
    this(present, activation, 0);
  }

  /** Every module, every bottleneck mixing all its candidate activations (the search's graph). */
  static GraphPlan full(ModuleLayout layout) {
    boolean[] present = new boolean[layout.size()];
    Arrays.fill(present, true);
    int[] activation = new int[layout.bottleneckCount()];
    Arrays.fill(activation, -1);
    return new GraphPlan(present, activation);
  }

  /** This plan with the layers below {@code layer} taken from the cache. */
  GraphPlan frozenBelow(int layer) {
    return new GraphPlan(present, activation, layer);
  }

  /** The lowest layer of a module this plan computes, or {@code layers} when it computes none. */
  int lowestModuleLayer(ModuleLayout layout, int layers) {
    int low = layers;
    for (Module m : layout.modules()) {
      if (present[m.index()]) {
        low = Math.min(low, m.layer());
      }
    }
    return low;
  }

  /** Whether the graph computes {@code m}. */
  boolean has(Module m) {
    return present[m.index()];
  }

  /** The fixed activation of bottleneck module {@code m} (index among the candidates), or -1 for the mix. */
  int activationOf(Module m) {
    return m.bottleneckIndex() < 0 ? -1 : activation[m.bottleneckIndex()];
  }

  /** How many modules the graph leaves out. */
  int removed() {
    int n = 0;
    for (boolean p : present) {
      n += p ? 0 : 1;
    }
    return n;
  }

  /** How many bottleneck modules compute one fixed activation. */
  int fixedActivations() {
    int n = 0;
    for (int a : activation) {
      n += a >= 0 ? 1 : 0;
    }
    return n;
  }

  /** Whether this plan is the full graph. */
  boolean isFull() {
    return removed() == 0 && fixedActivations() == 0 && frozenBelow == 0;
  }

  /**
   * Writes this plan as the checkpoint stores it: module count and flags, bottleneck count and
   * activations. Not {@link #frozenBelow}: the trainer derives it from the modules and its cache setting.
   */
  void write(java.io.DataOutputStream out) throws java.io.IOException {
    out.writeInt(present.length);
    for (boolean p : present) {
      out.writeBoolean(p);
    }
    out.writeInt(activation.length);
    for (int a : activation) {
      out.writeInt(a);
    }
  }

  /**
   * Reads a plan {@link #write} wrote for a layout whose full plan is {@code full}.
   *
   * @throws java.io.IOException when the stored plan is of another layout's size
   */
  static GraphPlan read(java.io.DataInputStream in, GraphPlan full) throws java.io.IOException {
    boolean[] present = new boolean[in.readInt()];
    for (int i = 0; i < present.length; i++) {
      present[i] = in.readBoolean();
    }
    int[] activation = new int[in.readInt()];
    for (int i = 0; i < activation.length; i++) {
      activation[i] = in.readInt();
    }
    if (present.length != full.present.length || activation.length != full.activation.length) {
      throw new java.io.IOException("its graph plan has " + present.length + " modules and " + activation.length
          + " bottlenecks, the layout " + full.present.length + " and " + full.activation.length);
    }
    return new GraphPlan(present, activation);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GraphPlan p && Arrays.equals(present, p.present) && Arrays.equals(activation, p.activation)
        && frozenBelow == p.frozenBelow;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(present) + Arrays.hashCode(activation)) + frozenBelow;
  }

  @Override
  public String toString() {
    return "GraphPlan[removed " + removed() + " of " + present.length + ", fixed activations " + fixedActivations()
        + ", cached below layer " + frozenBelow + "]";
  }
}
