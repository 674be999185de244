package io.slaft.model.train;

import java.util.List;
import java.util.function.Function;

/**
 * The trainer's optimizer: AdamW (decoupled weight decay on {@link Slot.Group#decays()} slots) with
 * global gradient-norm clipping computed separately for structure logits and for every other
 * trainable tensor, and per-group learning rates (adapter/head, structure, backbone). Updates the
 * values and moments held by a {@link ParamStore} in place, in double precision per element, so a
 * resumed run continues bit for bit. Not thread-safe.
 */
final class AdamW {
  private final OptimizerConfig config;

  AdamW(OptimizerConfig config) {
    this.config = config;
  }

  /**
   * One update of {@code task}'s view of {@code params}.
   *
   * @param grads one gradient per slot, in slot order (clipped in place); {@code null} for a slot
   *     that does not move this step (its elements and moments are left as they are)
   * @param lrMul the schedule's learning-rate multiplier for this step
   * @param freezeStructure leave structure logits unchanged (discrete re-training)
   * @param frozen per slot, the elements that do not move (their gradient is zeroed before
   *     clipping and they are not updated), or {@code null} for none; may be {@code null} itself
   */
  void step(ParamStore params, String task, List<Slot> slots, float[][] grads, double lrMul, boolean freezeStructure,
      Function<Slot, boolean[]> frozen) {
    OptimizerConfig o = config;
    double normMain = 0;
    double normStruct = 0;
    boolean[][] frozenBySlot = new boolean[slots.size()][];
    for (int i = 0; i < slots.size(); i++) {
      if (grads[i] == null) {
        continue;
      }
      frozenBySlot[i] = frozen == null ? null : frozen.apply(slots.get(i));
      if (frozenBySlot[i] != null) {
        for (int k = 0; k < grads[i].length; k++) {
          if (frozenBySlot[i][k]) {
            grads[i][k] = 0f;
          }
        }
      }
      double s = 0;
      for (float v : grads[i]) {
        s += (double) v * v;
      }
      if (slots.get(i).group() == Slot.Group.STRUCTURE) {
        normStruct += s;
      } else {
        normMain += s;
      }
    }
    double clipMain = Math.min(1.0, o.clipNorm() / (Math.sqrt(normMain) + 1e-12));
    double clipStruct = Math.min(1.0, o.clipNorm() / (Math.sqrt(normStruct) + 1e-12));
    for (int i = 0; i < slots.size(); i++) {
      Slot s = slots.get(i);
      float[] gr = grads[i];
      boolean struct = s.group() == Slot.Group.STRUCTURE;
      if (gr == null || struct && freezeStructure) {
        continue;
      }
      double scale = struct ? clipStruct : clipMain;
      if (scale != 1.0) {
        for (int k = 0; k < gr.length; k++) {
          gr[k] = (float) (gr[k] * scale);
        }
      }
      double lr = (struct ? o.structureLr() : s.group().backbone() ? o.backboneLr() : o.lr()) * lrMul;
      double wd = s.group().decays() ? o.weightDecay() : 0;
      update(params.get(ParamStore.key(s, task)), gr, lr, wd, frozenBySlot[i]);
    }
  }

  /** One AdamW update of {@code p} with bias-corrected moments. */
  void update(ParamStore.Param p, float[] g, double lr, double wd) {
    update(p, g, lr, wd, null);
  }

  /** As {@link #update(ParamStore.Param, float[], double, double)}, leaving the {@code frozen} elements (if any) unchanged. */
  void update(ParamStore.Param p, float[] g, double lr, double wd, boolean[] frozen) {
    p.steps++;
    double b1 = config.beta1();
    double b2 = config.beta2();
    double c1 = 1 - Math.pow(b1, p.steps);
    double c2 = 1 - Math.pow(b2, p.steps);
    float[] w = p.value;
    for (int i = 0; i < w.length; i++) {
      if (frozen != null && frozen[i]) {
        continue;
      }
      double gi = g[i];
      p.m[i] = (float) (b1 * p.m[i] + (1 - b1) * gi);
      p.v[i] = (float) (b2 * p.v[i] + (1 - b2) * gi * gi);
      double mh = p.m[i] / c1;
      double vh = p.v[i] / c2;
      w[i] = (float) (w[i] - lr * (mh / (Math.sqrt(vh) + config.eps()) + wd * w[i]));
    }
  }
}
