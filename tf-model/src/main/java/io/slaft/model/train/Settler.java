package io.slaft.model.train;

import io.slaft.model.adapters.GateFamily;
import io.slaft.model.adapters.ModuleLayout;
import io.slaft.model.adapters.ModuleLayout.Module;
import io.slaft.model.adapters.SettleControl;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settle phase of search ({@link SettleControl}): checks each task's discrete structure after
 * the λ ramp, commits modules that stayed closed and, at the deadline, every module left (an open
 * module is not committed early: λ may still close it, and it costs the same either way until then).
 * A committed module's structure logits are frozen ({@link #frozen}) and it trains as it will be
 * served ({@link #searchControls}: its served gate, 0 when closed, and its committed activation), so
 * the discrete structure of a task no longer changes once all its modules are committed. Its state is part of the checkpoint,
 * so a resumed run commits exactly as an uninterrupted one.
 */
final class Settler {
  private final SettleControl control;
  private final GateFamily family;
  private final ModuleLayout layout;
  private final Discretizer discretizer;
  private final int start;
  private final int deadline;
  private final int steps;
  private final boolean active;
  private final int width;
  private final List<io.slaft.model.adapters.Activation> candidates;
  private final Map<String, State> states = new LinkedHashMap<>();

  /** One task's settle state, per module: the last observed state, how often in a row, committed or not. */
  private static final class State {
    final String[] last;
    final int[] stable;
    final boolean[] committed;
    final boolean[] committedOpen;
    /** A committed open module's served gate and its activation's index among the candidates (-1: none). */
    final float[] servedGate;
    final int[] activation;
    int settledAt = -1;

    State(int modules) {
      last = new String[modules];
      stable = new int[modules];
      committed = new boolean[modules];
      committedOpen = new boolean[modules];
      servedGate = new float[modules];
      activation = new int[modules];
      java.util.Arrays.fill(activation, -1);
    }
  }

  Settler(TrainSpec spec, ModuleLayout layout, Discretizer discretizer, List<String> tasks) {
    this.control = spec.sparsity().settle();
    this.family = spec.sparsity().family();
    this.layout = layout;
    this.discretizer = discretizer;
    this.start = spec.sparsity().warmupSteps() + spec.sparsity().rampSteps();
    this.deadline = control.deadline(spec.steps());
    this.steps = spec.steps();
    this.active = control.enabled() && family.learnsGates() && layout.size() > 0;
    this.width = spec.space().bottleneck();
    this.candidates = spec.space().activations();
    for (String t : tasks) {
      states.put(t, new State(layout.size()));
    }
  }

  /** Whether this run settles at all (enabled, and the family learns gates over a non-empty pool). */
  boolean active() {
    return active;
  }

  /**
   * Whether an evaluation after {@code done} search steps may become the best step: with the settle
   * phase only evaluations whose structure is final (at or after the deadline) are, so the served
   * structure is the settled one.
   */
  boolean eligibleForBest(int done) {
    return !active || done >= deadline;
  }

  /**
   * Whether {@code done} is the settle deadline of an active settle phase: the trainer evaluates
   * there, so the first evaluation of the final structure is the one flips after it compare with.
   */
  boolean isDeadline(int done) {
    return active && done == deadline;
  }

  /** Called after {@code done} search steps: checks and commits when a check or the deadline is due. */
  void afterStep(int done) {
    if (!active) {
      return;
    }
    boolean atDeadline = done == deadline;
    boolean check = done >= start && (done - start) % control.every() == 0 && done < deadline;
    if (!check && !atDeadline) {
      return;
    }
    for (Map.Entry<String, State> e : states.entrySet()) {
      State st = e.getValue();
      List<ModuleGate> structure = discretizer.structure(e.getKey());
      for (Module m : layout.modules()) {
        int i = m.index();
        if (st.committed[i]) {
          continue;
        }
        ModuleGate g = structure.get(i);
        String state = g.active() ? "on:" + g.activation() : "off";
        st.stable[i] = state.equals(st.last[i]) ? st.stable[i] + 1 : 1;
        st.last[i] = state;
        boolean stableEnough = family != GateFamily.BUDGET && !g.active() && st.stable[i] >= control.patience();
        if (stableEnough || atDeadline) {
          st.committed[i] = true;
          st.committedOpen[i] = g.active();
          st.servedGate[i] = g.active() ? (float) g.servedGate(family) : 0f;
          st.activation[i] = g.activation() == null ? -1
              : candidates.indexOf(io.slaft.model.adapters.Activation.byId(g.activation()));
        }
      }
      if (st.settledAt < 0 && all(st.committed)) {
        st.settledAt = done;
      }
    }
  }

  private static boolean all(boolean[] a) {
    for (boolean b : a) {
      if (!b) {
        return false;
      }
    }
    return true;
  }

  /**
   * The gate controls of a search step of {@code task} ({@code noise}, temperature and shift as the
   * search sets them): a committed module trains as it will be served — its learned gate masked
   * out and replaced by its served gate (0 when committed closed), its activation fixed to the
   * committed one — and every other module as in search (soft activation mix).
   */
  GateControls searchControls(String task, float[] noise, float gateTemp, float shift, float lambda, float reprNoise,
      java.util.SplittableRandom random) {
    GateControls search = new GateControls(noise, gateTemp, shift, TrainingSession.ones(layout.size()),
        new float[layout.size()], new float[layout.bottleneckCount()],
        new float[layout.bottleneckCount() * candidates.size()], lambda, reprNoise, random, null);
    return asTrained(task, search);
  }

  /**
   * {@code c} (the controls of a search step, or of an evaluation of the search model) with {@code
   * task}'s committed modules as the search trains them: masked out, their served gate (0 when
   * closed) and their committed activation. So an evaluation measures the model being trained, and
   * a graph without the modules committed closed ({@link #plan}) computes the same function.
   */
  GateControls asTrained(String task, GateControls c) {
    if (!active) {
      return c;
    }
    State st = states.get(task);
    float[] mask = c.gateMask().clone();
    float[] fixed = c.gateFixed() == null ? new float[layout.size()] : c.gateFixed().clone();
    float[] hard = c.actHard().clone();
    float[] hardWeights = c.actHardWeights() == null ? new float[layout.bottleneckCount() * candidates.size()]
        : c.actHardWeights().clone();
    for (Module m : layout.modules()) {
      int i = m.index();
      if (!st.committed[i]) {
        continue;
      }
      mask[i] = 0f;
      fixed[i] = st.servedGate[i];
      int b = m.bottleneckIndex();
      if (b >= 0 && st.activation[i] >= 0) {
        hard[b] = 1f;
        java.util.Arrays.fill(hardWeights, b * candidates.size(), (b + 1) * candidates.size(), 0f);
        hardWeights[b * candidates.size() + st.activation[i]] = 1f;
      }
    }
    return new GateControls(c.noise(), c.gateTemp(), c.shift(), mask, fixed, hard, hardWeights, c.lambda(),
        c.reprNoise(), c.random(), c.chanMask());
  }

  /**
   * When a graph rebuild pays: (modules leaving + half the activations newly fixed) ÷ pool size ×
   * the steps the new graph serves must reach this. Measured on MiniLM-L6, 2 cores, batch 32 × 16
   * tokens ({@code SettledGraphCostBenchmark}): a rebuild costs 0.6 s for graph and session plus
   * about 0.9 s for each run signature's new executor (the step's, each evaluation's), some 8 search
   * steps of 0.39 s; a plan that removes half the pool and fixes the rest's activations (0.75 units)
   * makes a step 18 % cheaper, one that keeps only the 6 LoRA modules (0.75 units) 27 % — about 0.3
   * of a step per unit, so a rebuild pays after some 8 / 0.3 ≈ 25 unit-steps.
   */
  static final double REBUILD_PAYS_AFTER = 25;

  /**
   * The training graph the run needs after {@code done} search steps, given the one it has: from
   * the deadline on, the settled structure's ({@link GraphPlan}: every module committed closed for
   * all tasks removed, each bottleneck whose kept activation is the same for all tasks computing
   * just that one); before it, the current graph without the modules committed closed for all
   * tasks. A new plan is returned only when the rebuild pays for itself ({@link
   * #REBUILD_PAYS_AFTER}) over the steps it serves (to the deadline, or to the end); else {@code
   * current}, as when nothing changes or the run does not settle.
   */
  GraphPlan plan(int done, GraphPlan current) {
    if (!active) {
      return current;
    }
    boolean[] present = current.present().clone();
    int[] activation = current.activation().clone();
    boolean settled = done >= deadline;
    int leaving = 0;
    int fixing = 0;
    for (Module m : layout.modules()) {
      int i = m.index();
      if (present[i] && closedForAll(i)) {
        present[i] = false;
        leaving++;
      }
      int b = m.bottleneckIndex();
      if (settled && b >= 0) {
        int a = present[i] ? sharedActivation(i) : -1;
        fixing += a >= 0 && activation[b] < 0 ? 1 : 0;
        activation[b] = a;
      }
    }
    int serves = (settled ? steps : deadline) - done;
    double gain = (leaving + 0.5 * fixing) / layout.size() * serves;
    return leaving + fixing > 0 && gain >= REBUILD_PAYS_AFTER ? new GraphPlan(present, activation) : current;
  }

  /** Whether module {@code i} is committed closed for every task. */
  private boolean closedForAll(int i) {
    for (State st : states.values()) {
      if (!st.committed[i] || st.committedOpen[i]) {
        return false;
      }
    }
    return true;
  }

  /** The activation every task that keeps module {@code i} committed, or -1 if one is uncommitted or they differ. */
  private int sharedActivation(int i) {
    int shared = -1;
    for (State st : states.values()) {
      if (!st.committed[i]) {
        return -1;
      }
      if (!st.committedOpen[i]) {
        continue;
      }
      if (st.activation[i] < 0 || (shared >= 0 && shared != st.activation[i])) {
        return -1;
      }
      shared = st.activation[i];
    }
    return shared;
  }

  /**
   * The elements of {@code slot} that do not move for {@code task}: a committed module's gate logit,
   * its row of activation logits and its row of channel logits; {@code null} when none.
   */
  boolean[] frozen(Slot slot, String task) {
    if (!active || slot.group() != Slot.Group.STRUCTURE) {
      return null;
    }
    State st = states.get(task);
    boolean[] f = new boolean[slot.size()];
    for (Module m : layout.modules()) {
      if (!st.committed[m.index()]) {
        continue;
      }
      switch (slot.name()) {
        case SlotNames.GATES -> f[m.index()] = true;
        case SlotNames.ACTS -> fill(f, m.bottleneckIndex(), candidates.size());
        case SlotNames.CHANS -> fill(f, m.bottleneckIndex(), width);
        default -> { }
      }
    }
    for (boolean b : f) {
      if (b) {
        return f;
      }
    }
    return null;
  }

  /** Whether every element of {@code slot} is frozen for {@code task} (then its gradient is not needed). */
  boolean fullyFrozen(Slot slot, String task) {
    boolean[] f = frozen(slot, task);
    return f != null && all(f);
  }

  private static void fill(boolean[] f, int row, int rowWidth) {
    if (row >= 0) {
      java.util.Arrays.fill(f, row * rowWidth, (row + 1) * rowWidth, true);
    }
  }

  /** The search step after which every module of {@code task} was committed, or -1. */
  int settledAt(String task) {
    return states.get(task).settledAt;
  }

  /** How many of {@code task}'s modules are committed. */
  int committed(String task) {
    int n = 0;
    for (boolean b : states.get(task).committed) {
      n += b ? 1 : 0;
    }
    return n;
  }

  /** Takes over {@code other}'s state (a settler of the same layout and tasks). */
  void copyFrom(Settler other) {
    try {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      other.write(new DataOutputStream(bytes));
      read(new DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  void write(DataOutputStream out) throws IOException {
    for (State st : states.values()) {
      out.writeInt(st.settledAt);
      for (int i = 0; i < st.last.length; i++) {
        out.writeUTF(st.last[i] == null ? "" : st.last[i]);
        out.writeInt(st.stable[i]);
        out.writeBoolean(st.committed[i]);
        out.writeBoolean(st.committedOpen[i]);
        out.writeFloat(st.servedGate[i]);
        out.writeInt(st.activation[i]);
      }
    }
  }

  void read(DataInputStream in) throws IOException {
    for (State st : states.values()) {
      st.settledAt = in.readInt();
      for (int i = 0; i < st.last.length; i++) {
        String s = in.readUTF();
        st.last[i] = s.isEmpty() ? null : s;
        st.stable[i] = in.readInt();
        st.committed[i] = in.readBoolean();
        st.committedOpen[i] = in.readBoolean();
        st.servedGate[i] = in.readFloat();
        st.activation[i] = in.readInt();
      }
    }
  }
}
