package io.slaft.pipelines.bench;

import io.slaft.report.MarkdownTable;
import io.slaft.report.Stats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seed-paired differences of the GLUE bench: for every row that learns structure (its cells'
 * {@code method} is {@code sla}) against every row that does not, per task, the difference of the
 * primary metric on the same seed — on dev (what the table reports) and on the validation split
 * (what choices are made on) — as mean ± sample std over the seeds both rows have. A difference is
 * <em>beyond its spread</em> when there are at least two seeds and |mean| exceeds the std: the
 * protocol's test of whether SLA's margin over a baseline is more than seed noise.
 */
final class PairedDifferences {
  /** The method id of the rows whose structure is searched. */
  static final String SEARCHED = "sla";

  /** One pair on one task. */
  record Pair(String row, String baseline, String task, List<Long> seeds, double devMean, double devStd,
      double validationMean, double validationStd, double activePct, double baselineActivePct, boolean withinSize) {
    /** Whether the dev difference exceeds its own spread (at least two seeds, |mean| > std). */
    boolean beyondSpread() {
      return PairedDifferences.beyondSpread(seeds.size(), devMean, devStd);
    }

    /**
     * The protocol's target for this pair: the searched row ahead on dev by more than its spread,
     * at no more active parameters than the baseline on every paired seed.
     */
    boolean meetsTarget() {
      return withinSize && devMean > 0 && beyondSpread();
    }

    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("row", row);
      m.put("baseline", baseline);
      m.put("task", task);
      m.put("seeds", seeds);
      m.put("dev_mean", devMean);
      m.put("dev_std", devStd);
      m.put("validation_mean", validationMean);
      m.put("validation_std", validationStd);
      m.put("active_pct", activePct);
      m.put("baseline_active_pct", baselineActivePct);
      m.put("beyond_spread", beyondSpread());
      m.put("within_baseline_size", withinSize);
      m.put("meets_target", meetsTarget());
      return m;
    }
  }

  private PairedDifferences() {}

  /** The protocol's rule: a seed-paired difference is beyond its spread with at least two seeds and |mean| > std. */
  static boolean beyondSpread(int seeds, double mean, double std) {
    return seeds >= 2 && Math.abs(mean) > std;
  }

  /** The table cell of {@link #beyondSpread}: yes, no, or that one seed cannot say. */
  static String beyondSpreadCell(int seeds, double mean, double std) {
    return seeds < 2 ? "— (one seed)" : beyondSpread(seeds, mean, std) ? "yes" : "no";
  }

  /**
   * Every searched row against every other row on each of {@code tasks}, from the cells' records
   * ({@code byRow → task → records}, each with {@code method}, {@code seed}, {@code primary_metric},
   * {@code metrics}, {@code validation_metrics}, {@code compression}, {@code active_params}); pairs with no
   * common seed are left out.
   */
  static List<Pair> of(List<String> rows, List<String> tasks, Map<String, Map<String, List<Map<String, Object>>>> byRow) {
    List<Pair> out = new ArrayList<>();
    for (String row : rows) {
      if (!searched(byRow.get(row))) {
        continue;
      }
      for (String baseline : rows) {
        if (byRow.get(baseline) == null || searched(byRow.get(baseline))) {
          continue;
        }
        for (String task : tasks) {
          Map<Long, Map<String, Object>> a = bySeed(byRow.get(row).get(task));
          Map<Long, Map<String, Object>> b = bySeed(byRow.get(baseline).get(task));
          List<Long> seeds = a.keySet().stream().filter(b::containsKey).sorted().toList();
          if (seeds.isEmpty()) {
            continue;
          }
          double[] dev = new double[seeds.size()];
          double[] val = new double[seeds.size()];
          double[] activeA = new double[seeds.size()];
          double[] activeB = new double[seeds.size()];
          boolean withinSize = true;
          for (int i = 0; i < dev.length; i++) {
            Map<String, Object> ra = a.get(seeds.get(i));
            Map<String, Object> rb = b.get(seeds.get(i));
            dev[i] = GlueBench.metric(ra, "metrics") - GlueBench.metric(rb, "metrics");
            val[i] = GlueBench.metric(ra, "validation_metrics") - GlueBench.metric(rb, "validation_metrics");
            activeA[i] = 100 * ((Number) ra.get("compression")).doubleValue();
            activeB[i] = 100 * ((Number) rb.get("compression")).doubleValue();
            withinSize &= ((Number) ra.get("active_params")).longValue() <= ((Number) rb.get("active_params")).longValue();
          }
          out.add(new Pair(row, baseline, task, seeds, Stats.mean(dev), Stats.std(dev), Stats.mean(val), Stats.std(val),
              Stats.mean(activeA), Stats.mean(activeB), withinSize));
        }
      }
    }
    return out;
  }

  /** The pairs as a Markdown table (empty string when there are none). */
  static String markdown(List<Pair> pairs) {
    if (pairs.isEmpty()) {
      return "";
    }
    MarkdownTable.Builder t = MarkdownTable.builder("searched − baseline", "task", "seeds", "dev Δ (mean ± std)",
        "validation Δ (mean ± std)", "active % (searched / baseline)", "beyond spread", "at ≤ baseline size",
        "target met");
    for (Pair p : pairs) {
      t.row(p.row() + " − " + p.baseline(), p.task(), p.seeds().size(), pm(p.devMean(), p.devStd()),
          pm(p.validationMean(), p.validationStd()),
          String.format(java.util.Locale.ROOT, "%.3f / %.3f", p.activePct(), p.baselineActivePct()),
          beyondSpreadCell(p.seeds().size(), p.devMean(), p.devStd()), p.withinSize() ? "yes" : "no",
          p.meetsTarget() ? "yes" : "no");
    }
    return "Seed-paired differences of the primary metric (same seed, same rows; beyond spread: |mean| > std over"
        + " at least two seeds; at ≤ baseline size: no more active parameters on any paired seed; target met: ahead,"
        + " beyond spread, at ≤ baseline size):\n\n" + t.build().toMarkdown();
  }

  private static String pm(double mean, double std) {
    return Double.isNaN(mean) ? "—" : String.format(java.util.Locale.ROOT, "%+.4f ± %.4f", mean, std);
  }

  private static boolean searched(Map<String, List<Map<String, Object>>> byTask) {
    return byTask != null && byTask.values().stream().flatMap(List::stream)
        .anyMatch(r -> SEARCHED.equals(r.get("method")));
  }

  private static Map<Long, Map<String, Object>> bySeed(List<Map<String, Object>> records) {
    Map<Long, Map<String, Object>> m = new LinkedHashMap<>();
    if (records != null) {
      for (Map<String, Object> r : records) {
        m.put(((Number) r.get("seed")).longValue(), r);
      }
    }
    return m;
  }
}
