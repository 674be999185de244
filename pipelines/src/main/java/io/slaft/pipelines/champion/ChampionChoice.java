package io.slaft.pipelines.champion;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One task's champion: the Pareto front of its points over (validation metric ↑, active parameters ↓), each front
 * point's robustness when it was measured, and the front point the {@link ChampionRule} picks. Points early
 * stopping ended take part only when every point of the task was stopped. When no front point meets the rule, the
 * best metric on the front is kept and {@link #ruleMet()} says so.
 *
 * @param task the task as summary.json names it
 * @param metric the primary metric compared
 * @param considered how many points competed
 * @param front the front, by active parameters ascending
 * @param champion the chosen point's id
 */
public record ChampionChoice(String task, String metric, int considered, List<FrontPoint> front, String champion,
    boolean ruleMet, String note) {

  /** A sweep point as the champion rule sees it: its validation metric (dev without a validation split) and size. */
  public record Candidate(String pointId, String label, double metric, long activeParams, double compression, boolean stopped) {
    /** The candidate of one summary.json run record, or null when its primary metric is missing. */
    public static Candidate of(JsonNode run) {
      String metricName = run.path("primary_metric").asText();
      JsonNode v = run.path(run.has("validation_metrics") ? "validation_metrics" : "metrics").path(metricName);
      if (!v.isNumber()) {
        return null;
      }
      List<String> overrides = new ArrayList<>();
      run.path("overrides").fields().forEachRemaining(e -> overrides.add(e.getKey() + "=" + e.getValue().asText()));
      return new Candidate(run.path("point_id").asText(), String.join(" ", overrides), v.asDouble(),
          run.path("active_params").asLong(), run.path("compression").asDouble(), run.path("stopped_early").asBoolean(false));
    }
  }

  /** A point's robustness on the validation split: mean normalised AUC over the input families, largest drop at the rule's severity. */
  public record Robustness(double auc, double drop) {}

  /** A front point, with its robustness when measured (else null). */
  public record FrontPoint(Candidate point, Robustness robustness) {}

  /**
   * The choice among {@code points} (in sweep order) of one task.
   *
   * @param robustness each measured front point's robustness, by point id (empty when not measured)
   */
  public static ChampionChoice choose(String task, String metric, List<Candidate> points, ChampionRule rule,
      Map<String, Robustness> robustness) {
    if (points.isEmpty()) {
      throw new IllegalArgumentException("task " + task + " has no point with a " + metric);
    }
    List<Candidate> pool = points.stream().filter(p -> !p.stopped()).toList();
    if (pool.isEmpty()) {
      pool = points;
    }
    List<double[]> objectives = pool.stream().map(p -> new double[] {p.metric(), -p.activeParams()}).toList();
    List<FrontPoint> front = new ArrayList<>();
    for (int i : ParetoFront.of(objectives)) {
      front.add(new FrontPoint(pool.get(i), robustness.get(pool.get(i).pointId())));
    }
    front.sort(java.util.Comparator.comparingLong(f -> f.point().activeParams()));
    FrontPoint best = null;
    FrontPoint admitted = null;
    for (FrontPoint f : front) {
      best = better(best, f);
      double drop = f.robustness() == null ? Double.NaN : f.robustness().drop();
      if (rule.admits(f.point().compression(), drop)) {
        admitted = better(admitted, f);
      }
    }
    String note = admitted != null ? "" : "no point on the front meets the rule (" + rule.describe()
        + "); kept the best validation metric";
    FrontPoint chosen = admitted != null ? admitted : best;
    return new ChampionChoice(task, metric, pool.size(), front, chosen.point().pointId(), admitted != null, note);
  }

  /** The higher metric; equal metrics: the smaller, then the earlier in the front's order ({@code a}). */
  private static FrontPoint better(FrontPoint a, FrontPoint b) {
    if (a == null) {
      return b;
    }
    if (b.point().metric() != a.point().metric()) {
      return b.point().metric() > a.point().metric() ? b : a;
    }
    return b.point().activeParams() < a.point().activeParams() ? b : a;
  }

  /** The chosen front point. */
  public FrontPoint championPoint() {
    return front.stream().filter(f -> f.point().pointId().equals(champion)).findFirst().orElseThrow();
  }

  /** This choice as summary.json's {@code champion.tasks[]} entry. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task", task);
    m.put("metric", metric);
    m.put("champion", champion);
    m.put("rule_met", ruleMet);
    if (!note.isEmpty()) {
      m.put("note", note);
    }
    m.put("points_considered", considered);
    List<Map<String, Object>> points = new ArrayList<>();
    for (FrontPoint f : front) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("point_id", f.point().pointId());
      p.put("label", f.point().label());
      p.put("validation", f.point().metric());
      p.put("active_params", f.point().activeParams());
      p.put("compression", f.point().compression());
      if (f.robustness() != null) {
        p.put("robustness_auc", Double.isNaN(f.robustness().auc()) ? null : f.robustness().auc());
        p.put("drop", Double.isNaN(f.robustness().drop()) ? null : f.robustness().drop());
      }
      p.put("champion", f.point().pointId().equals(champion));
      points.add(p);
    }
    m.put("front", points);
    return m;
  }
}
