package io.slaft.pipelines.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A compact text map of the learned structure of each run record: one row per layer, one column
 * per site, a kept bottleneck module shown by its activation, a kept LoRA or bias module as
 * {@code on}, a closed one as {@code ·}. Printed next to the results table ({@code results.md},
 * {@code slaft train}, {@code slaft run}, the quickstart).
 *
 * <pre>
 * SST-2 (point main, seed 42): 9 of 24 modules kept
 *       attn  ffn   parallel  lora
 *   l0  gelu  ·     ·         on
 *   l1  ·     relu  ·         ·
 * </pre>
 */
public final class StructureMap {
  private StructureMap() {}

  /** The maps of every record that has modules, separated by blank lines; empty when none has. */
  public static String of(List<Map<String, Object>> records) {
    List<String> maps = new ArrayList<>();
    for (Map<String, Object> r : records) {
      String m = of(r);
      if (!m.isEmpty()) {
        maps.add(m);
      }
    }
    return String.join("\n", maps);
  }

  /** The map of one record, or empty when it has no modules. */
  @SuppressWarnings("unchecked")
  public static String of(Map<String, Object> record) {
    List<Map<String, Object>> modules = (List<Map<String, Object>>) record.get("structure");
    if (modules == null || modules.isEmpty()) {
      return "";
    }
    Set<String> sites = new LinkedHashSet<>();
    TreeMap<Integer, Map<String, String>> rows = new TreeMap<>();
    int kept = 0;
    for (Map<String, Object> m : modules) {
      String site = site(m);
      sites.add(site);
      String shown = shown(m);
      kept += shown != null ? 1 : 0;
      rows.computeIfAbsent(layer(m), l -> new LinkedHashMap<>()).put(site, shown != null ? shown : "·");
    }
    return String.format(Locale.ROOT, "%s (point %s%s): %d of %d modules kept%n", record.get("task"),
        record.get("point_id"), record.get("seed") == null ? "" : ", seed " + record.get("seed"), kept, modules.size())
        + grid(sites, rows);
  }

  /** The layers × sites grid of {@code rows} (layer → site → cell text), one line per layer. */
  private static String grid(Set<String> sites, TreeMap<Integer, Map<String, String>> rows) {
    Map<String, Integer> width = new LinkedHashMap<>();
    for (String s : sites) {
      int w = s.length();
      for (Map<String, String> row : rows.values()) {
        w = Math.max(w, row.getOrDefault(s, "").length());
      }
      width.put(s, w);
    }
    int layerWidth = 1 + Integer.toString(rows.lastKey()).length();
    StringBuilder b = new StringBuilder();
    b.append(pad("", layerWidth + 2));
    for (String s : sites) {
      b.append("  ").append(pad(s, width.get(s)));
    }
    b.append(System.lineSeparator());
    for (Map.Entry<Integer, Map<String, String>> row : rows.entrySet()) {
      b.append("  ").append(pad("l" + row.getKey(), layerWidth));
      for (String s : sites) {
        b.append("  ").append(pad(row.getValue().getOrDefault(s, ""), width.get(s)));
      }
      b.append(System.lineSeparator());
    }
    return b.toString();
  }

  /**
   * The consensus of several records' structures over the same pool (e.g. one task's seeds): each module shown by
   * the number of records that keep it and, for a bottleneck, the activation they keep it with most often
   * ({@code 3 silu}, {@code 2 on}; {@code ·} when none keeps it). Empty when the records have no modules.
   *
   * @param title the first line's subject, e.g. {@code "sla-bL-b8 on mrpc"}
   */
  @SuppressWarnings("unchecked")
  public static String consensus(String title, List<Map<String, Object>> records) {
    Set<String> sites = new LinkedHashSet<>();
    TreeMap<Integer, Map<String, List<String>>> kept = new TreeMap<>();
    int modules = 0;
    double keptTotal = 0;
    for (Map<String, Object> r : records) {
      List<Map<String, Object>> structure = (List<Map<String, Object>>) r.get("structure");
      if (structure == null || structure.isEmpty()) {
        continue;
      }
      modules = structure.size();
      for (Map<String, Object> m : structure) {
        String site = site(m);
        sites.add(site);
        List<String> cell = kept.computeIfAbsent(layer(m), l -> new LinkedHashMap<>())
            .computeIfAbsent(site, x -> new ArrayList<>());
        String shown = shown(m);
        if (shown != null) {
          cell.add(shown);
          keptTotal++;
        }
      }
    }
    if (kept.isEmpty()) {
      return "";
    }
    TreeMap<Integer, Map<String, String>> rows = new TreeMap<>();
    kept.forEach((layer, bySite) -> bySite.forEach((site, acts) -> rows.computeIfAbsent(layer, l -> new LinkedHashMap<>())
        .put(site, acts.isEmpty() ? "·" : acts.size() + " " + mostCommon(acts))));
    int n = (int) records.stream().filter(r -> r.get("structure") instanceof List<?> l && !l.isEmpty()).count();
    String head = String.format(Locale.ROOT, "%s: each module kept by how many of %d runs (with the activation most"
        + " often kept); %.1f of %d kept on average%n", title, n, keptTotal / n, modules);
    return head + grid(sites, rows);
  }

  /** The layer of a structure entry ({@code module} is {@code l<layer>.<site>}). */
  private static int layer(Map<String, Object> module) {
    String id = (String) module.get("module");
    return Integer.parseInt(id.substring(1, id.indexOf('.')));
  }

  /** The site of a structure entry. */
  private static String site(Map<String, Object> module) {
    String id = (String) module.get("module");
    return id.substring(id.indexOf('.') + 1);
  }

  /** How a kept module is shown (its activation, or {@code on} when it has none); null when it is closed. */
  private static String shown(Map<String, Object> module) {
    return !Boolean.TRUE.equals(module.get("active")) ? null
        : module.get("activation") != null ? (String) module.get("activation") : "on";
  }

  private static String mostCommon(List<String> values) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    values.forEach(v -> counts.merge(v, 1, Integer::sum));
    return counts.entrySet().stream().max(Map.Entry.comparingByValue()).get().getKey();
  }

  private static String pad(String s, int w) {
    return s + " ".repeat(Math.max(0, w - s.length()));
  }
}
