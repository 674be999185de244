package io.slaft.model.train;

import io.slaft.model.adapters.Activation;
import io.slaft.model.adapters.BudgetSolver;
import io.slaft.model.adapters.GateFamily;
import io.slaft.model.adapters.GateMath;
import io.slaft.model.adapters.ModuleLayout;
import io.slaft.model.adapters.ModuleLayout.Module;
import io.slaft.model.adapters.SparsityControl;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Reads the discrete structure out of the live parameters: per task, which modules are kept
 * (the gate family's {@link GateFamily#keep} rule), each bottleneck's argmax activation and kept
 * channels, the active parameter count, and the {@link GateControls} that make the graph compute
 * the discretized model (evaluation, discrete re-training) or the soft search model at evaluation.
 * Stateless over the {@link ParamStore} it reads, so it always reflects the current parameters.
 */
final class Discretizer {
  private final TrainSpec spec;
  private final ModuleLayout layout;
  private final ParamStore params;
  private final Slot gates;
  private final Slot acts;
  private final Slot chans;
  private final long backboneParams;

  Discretizer(TrainSpec spec, ModuleLayout layout, ParamStore params, List<Slot> slots, long backboneParams) {
    this.spec = spec;
    this.layout = layout;
    this.params = params;
    this.gates = find(slots, SlotNames.GATES);
    this.acts = find(slots, SlotNames.ACTS);
    this.chans = find(slots, SlotNames.CHANS);
    this.backboneParams = backboneParams;
  }

  private static Slot find(List<Slot> slots, String name) {
    return slots.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
  }

  /** The gate temperature used at evaluation (the end of the annealing schedule). */
  float evalTemperature() {
    return spec.sparsity().temperatureAt(spec.steps() - 1, spec.steps());
  }

  /** The budget family's gate shift for {@code task} at temperature {@code tau}; 0 for the other families. */
  float shift(String task, float tau) {
    if (spec.sparsity().family() != GateFamily.BUDGET || layout.size() == 0) {
      return 0f;
    }
    float[] alpha = params.value(gates, task);
    double budget = spec.sparsity().budget() * backboneParams;
    return (float) BudgetSolver.solve(alpha, layout.sizes(), budget, tau);
  }

  /**
   * The current structure of {@code task}: gate values at evaluation, activations, widths. A
   * module is active when the family keeps it (threshold, or the largest gates that fit the
   * budget) and it has at least one channel. Gate values are those of the search; the discrete
   * model applies {@link ModuleGate#servedGate} to a kept module.
   */
  List<ModuleGate> structure(String task) {
    SparsityControl sp = spec.sparsity();
    GateFamily family = sp.family();
    float tau = evalTemperature();
    float[] alpha = gates == null ? null : params.value(gates, task);
    double shift = shift(task, tau);
    float[] actLogits = acts == null ? null : params.value(acts, task);
    float[] chanLogits = chans == null ? null : params.value(chans, task);
    List<Activation> candidates = spec.space().activations();
    double[] gate = new double[layout.size()];
    for (Module m : layout.modules()) {
      gate[m.index()] = family.evalGate(alpha == null ? 0 : alpha[m.index()], shift, tau);
    }
    boolean[] kept = family.keep(gate, layout.sizes(), sp.threshold(), sp.budget() * backboneParams);
    List<ModuleGate> out = new ArrayList<>();
    for (Module m : layout.modules()) {
      String act = null;
      Map<String, Double> weights = new LinkedHashMap<>();
      int width = switch (m.site().kind()) {
        case BOTTLENECK -> spec.space().bottleneck();
        case LORA -> spec.space().loraRank();
        case BIAS -> (int) m.params();
        case PREFIX -> spec.space().prefixLength();
        case FUSION -> spec.space().fusion().count();
      };
      if (m.bottleneckIndex() >= 0) {
        double[] w = new double[candidates.size()];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < w.length; k++) {
          w[k] = actLogits == null ? 0 : actLogits[m.bottleneckIndex() * candidates.size() + k] / tau;
          max = Math.max(max, w[k]);
        }
        double sum = 0;
        for (int k = 0; k < w.length; k++) {
          w[k] = Math.exp(w[k] - max);
          sum += w[k];
        }
        int arg = 0;
        for (int k = 0; k < w.length; k++) {
          weights.put(candidates.get(k).id(), w[k] / sum);
          if (w[k] > w[arg]) {
            arg = k;
          }
        }
        act = candidates.get(arg).id();
        if (chanLogits != null) {
          int keptChannels = 0;
          int r = spec.space().bottleneck();
          for (int k = 0; k < r; k++) {
            keptChannels += GateMath.sigmoidGate(chanLogits[m.bottleneckIndex() * r + k], tau) >= sp.threshold() ? 1 : 0;
          }
          width = keptChannels;
        }
      }
      out.add(new ModuleGate(m.id(), m.layer(), m.site().id(), gate[m.index()], kept[m.index()] && width > 0, act,
          weights, width));
    }
    return out;
  }

  /**
   * Channel gate values per bottleneck module for {@code task} at evaluation: the soft value
   * {@code sigmoid(c / tau)} for kept channels (at or above the threshold) and 0 for removed ones;
   * all 1 when channel gates are off.
   */
  float[][] channelGates(String task) {
    int r = spec.space().bottleneck();
    float[][] out = new float[layout.bottleneckCount()][r];
    float tau = evalTemperature();
    for (int b = 0; b < out.length; b++) {
      for (int k = 0; k < r; k++) {
        if (chans == null) {
          out[b][k] = 1f;
        } else {
          double v = GateMath.sigmoidGate(params.value(chans, task)[b * r + k], tau);
          out[b][k] = v >= spec.sparsity().threshold() ? (float) v : 0f;
        }
      }
    }
    return out;
  }

  /**
   * Gate controls of evaluation (and of discrete re-training): deterministic gates at the end
   * temperature; {@code discrete} also closes modules the structure does not keep, fixes each
   * bottleneck's argmax activation and removes channels below the threshold.
   */
  GateControls controls(String task, boolean discrete, float reprNoise, SplittableRandom random) {
    float[] mask = TrainingSession.ones(layout.size());
    float[] hard = null;
    float[] chanMask = null;
    if (discrete) {
      List<ModuleGate> structure = structure(task);
      int candidates = spec.space().activations().size();
      hard = new float[layout.bottleneckCount() * candidates];
      for (Module m : layout.modules()) {
        ModuleGate mg = structure.get(m.index());
        mask[m.index()] = mg.active() ? 1f : 0f;
        if (m.bottleneckIndex() >= 0) {
          int k = spec.space().activations().indexOf(Activation.byId(mg.activation()));
          hard[m.bottleneckIndex() * candidates + k] = 1f;
        }
      }
      float[][] cg = channelGates(task);
      chanMask = new float[layout.bottleneckCount() * spec.space().bottleneck()];
      for (int b = 0; b < cg.length; b++) {
        for (int k = 0; k < cg[b].length; k++) {
          chanMask[b * cg[b].length + k] = cg[b][k] > 0 ? 1f : 0f;
        }
      }
    }
    GateFamily family = spec.sparsity().family();
    float tau = evalTemperature();
    // Kept modules served fully on (GateFamily.servesKeptModulesFullyOn, the budget family): a shift
    // of -inf makes every gate exactly 1 before the mask closes the others.
    float shift = discrete && family.servesKeptModulesFullyOn() ? Float.NEGATIVE_INFINITY : shift(task, tau);
    float[] actHard = new float[layout.bottleneckCount()];
    java.util.Arrays.fill(actHard, discrete ? 1f : 0f);
    return new GateControls(new float[layout.size()], family.evalTemperature(tau), shift, mask, null, actHard,
        hard, 0f, reprNoise, random, chanMask);
  }

  /** Active parameters of {@code task} under {@code structure}: head, BitFit, kept modules (at their width). */
  long activeParams(TrainTask task, List<ModuleGate> structure) {
    int h = layout.backbone().hidden();
    long n = (long) h * task.outputs() + task.outputs() + layout.bitfitParams();
    for (Module m : layout.modules()) {
      ModuleGate mg = structure.get(m.index());
      if (!mg.active()) {
        continue;
      }
      n += m.site().isBottleneck() ? (long) mg.width() * (2L * h + 1) + h : m.params();
      n += spec.space().exampleGates() ? h + 1 : 0;
    }
    return n + (spec.space().fullModel() ? backboneParams : 0);
  }
}
