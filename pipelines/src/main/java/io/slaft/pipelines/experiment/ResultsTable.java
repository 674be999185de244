package io.slaft.pipelines.experiment;

import io.slaft.report.MarkdownTable;
import java.util.List;
import java.util.Map;

/**
 * The results table printed after a run: one row per task and point. {@code dev} is the official
 * dev set's value of the primary metric; {@code validation} is the held-out validation split's that
 * chose the step ({@code data.validation}), or {@code –} when the step was chosen on dev; {@code
 * trivial} is the dev value of the trivial predictor (majority class, or a constant), the floor. A point
 * that a sweep's early stopping ended says so after its id ({@code (stopped at 20, rung 20)}).
 */
public final class ResultsTable {
  private ResultsTable() {}

  @SuppressWarnings("unchecked")
  public static MarkdownTable of(List<Map<String, Object>> records) {
    MarkdownTable.Builder b = MarkdownTable.builder("point", "task", "method", "seed", "metric", "validation", "dev", "trivial",
        "active modules", "trainable %", "compression %", "train tok/s")
        .decimals(4).decimals("trainable %", 3).decimals("compression %", 3).decimals("train tok/s", 0);
    for (Map<String, Object> r : records) {
      Map<String, Double> metrics = (Map<String, Double>) r.get("metrics");
      String primary = (String) r.get("primary_metric");
      Object validation = r.get("validation_metrics") instanceof Map<?, ?> v ? v.get(primary) : "–";
      Object trivial = r.get("trivial_metrics") instanceof Map<?, ?> t ? t.get(primary) : "–";
      Object point = Boolean.TRUE.equals(r.get("stopped_early"))
          ? r.get("point_id") + " (stopped at " + r.get("steps") + ", rung " + r.get("stop_rung") + ")" : r.get("point_id");
      b.row(point, r.get("task"), r.get("method"), r.get("seed"), primary, validation, metrics.get(primary), trivial,
          r.get("active_modules") + "/" + r.get("total_modules"), ((Number) r.get("trainable_pct")).doubleValue(),
          100 * ((Number) r.get("compression")).doubleValue(), ((Number) r.get("train_tokens_per_s")).doubleValue());
    }
    return b.build();
  }
}
