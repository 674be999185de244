package io.slaft.model.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The discrete structure of one task as the export would keep it: the kept modules in layout
 * order, each as {@code <module id>} or, for a bottleneck, {@code <module id>:<activation>}
 * (e.g. {@code l3.ffn:gelu}). Comparing two of them counts structure flips; comparing the kept
 * sets of two runs gives their Jaccard similarity.
 */
public final class DiscreteStructure {
  private DiscreteStructure() {}

  /** The kept modules of {@code structure}, in layout order. */
  public static List<String> kept(List<ModuleGate> structure) {
    List<String> out = new ArrayList<>();
    for (ModuleGate g : structure) {
      if (g.active()) {
        out.add(g.activation() == null ? g.module() : g.module() + ":" + g.activation());
      }
    }
    return List.copyOf(out);
  }

  /**
   * How many modules changed between {@code before} and {@code after}: opened, closed, or kept with
   * another activation (each counts once).
   */
  public static int flips(List<String> before, List<String> after) {
    Map<String, String> a = byModule(before);
    Map<String, String> b = byModule(after);
    Set<String> modules = new HashSet<>(a.keySet());
    modules.addAll(b.keySet());
    int n = 0;
    for (String m : modules) {
      if (!java.util.Objects.equals(a.get(m), b.get(m))) {
        n++;
      }
    }
    return n;
  }

  /**
   * Jaccard similarity {@code |A ∩ B| / |A ∪ B|} of the kept module sets (activations ignored);
   * 1 when both are empty.
   */
  public static double jaccard(List<String> a, List<String> b) {
    Set<String> x = byModule(a).keySet();
    Set<String> y = byModule(b).keySet();
    Set<String> union = new HashSet<>(x);
    union.addAll(y);
    if (union.isEmpty()) {
      return 1.0;
    }
    Set<String> both = new HashSet<>(x);
    both.retainAll(y);
    return both.size() / (double) union.size();
  }

  /** Module id → activation ("" for modules without one). */
  private static Map<String, String> byModule(List<String> kept) {
    Map<String, String> m = new HashMap<>();
    for (String k : kept) {
      int i = k.indexOf(':');
      m.put(i < 0 ? k : k.substring(0, i), i < 0 ? "" : k.substring(i + 1));
    }
    return m;
  }
}
