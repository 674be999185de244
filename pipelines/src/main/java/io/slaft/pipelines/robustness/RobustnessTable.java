package io.slaft.pipelines.robustness;

import io.slaft.report.LinePlot;
import io.slaft.report.MarkdownTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of a robustness evaluation: one {@link Row} per task × family × severity and one
 * {@link Curve} per task × family. Immutable.
 *
 * @param severities the severities visited
 * @param rows every measurement, grouped by task, then family, then severity
 * @param curves per task and family: clean metric and area under the severity curve
 */
public record RobustnessTable(List<Double> severities, List<Row> rows, List<Curve> curves) {

  public RobustnessTable {
    severities = List.copyOf(severities);
    rows = List.copyOf(rows);
    curves = List.copyOf(curves);
  }

  /**
   * One measurement.
   *
   * @param task task name
   * @param metric primary metric name
   * @param family perturbation family
   * @param severity ratio of perturbed units, or σ relative to the std for noise families
   * @param value primary metric under the perturbation
   * @param drop clean − value
   * @param flipRate fraction of examples whose prediction differs from the clean prediction (for
   *     regression: moved by more than a tenth of the gold score range)
   */
  public record Row(String task, String metric, String family, double severity, double value, double drop,
      double flipRate) {}

  /**
   * One metric-versus-severity curve.
   *
   * @param task task name
   * @param metric primary metric name
   * @param family perturbation family
   * @param clean the clean primary metric
   * @param auc trapezoidal area under the curve divided by the severity range (NaN with one severity)
   */
  public record Curve(String task, String metric, String family, double clean, double auc) {}

  /** Task names in order. */
  public List<String> tasks() {
    return curves.stream().map(Curve::task).distinct().toList();
  }

  /** The row of {@code task}, {@code family} at {@code severity}, or null. */
  public Row row(String task, String family, double severity) {
    for (Row r : rows) {
      if (r.task().equals(task) && r.family().equals(family) && r.severity() == severity) {
        return r;
      }
    }
    return null;
  }

  /** The curve of {@code task} and {@code family}, or null. */
  public Curve curve(String task, String family) {
    for (Curve c : curves) {
      if (c.task().equals(task) && c.family().equals(family)) {
        return c;
      }
    }
    return null;
  }

  /** The rows of one task and family, in severity order. */
  public List<Row> rows(String task, String family) {
    return rows.stream().filter(r -> r.task().equals(task) && r.family().equals(family)).toList();
  }

  /**
   * A wide Markdown table per task: one line per family with the metric at every severity, the
   * drop and flip rate at every non-zero severity, and the AUC.
   */
  public String toMarkdown() {
    StringBuilder b = new StringBuilder();
    for (String task : tasks()) {
      List<String> header = new ArrayList<>(List.of("family"));
      for (double s : severities) {
        header.add(label(s));
      }
      for (double s : severities) {
        if (s > 0) {
          header.add("drop@" + label(s));
        }
      }
      for (double s : severities) {
        if (s > 0) {
          header.add("flip@" + label(s));
        }
      }
      header.add("AUC");
      MarkdownTable.Builder t = MarkdownTable.builder(header).decimals(4);
      String metric = null;
      for (Curve c : curves) {
        if (!c.task().equals(task)) {
          continue;
        }
        metric = c.metric();
        List<Object> cells = new ArrayList<>(List.of(c.family()));
        List<Row> rs = rows(task, c.family());
        rs.forEach(r -> cells.add(r.value()));
        rs.stream().filter(r -> r.severity() > 0).forEach(r -> cells.add(r.drop()));
        rs.stream().filter(r -> r.severity() > 0).forEach(r -> cells.add(r.flipRate()));
        cells.add(c.auc());
        t.row(cells);
      }
      b.append("### ").append(task).append(" (").append(metric).append(")\n\n").append(t.build().toMarkdown())
          .append("\n\n");
    }
    return b.toString();
  }

  /** Severity as a percentage label, e.g. {@code 10%}. */
  public static String label(double severity) {
    double pct = severity * 100;
    return (Math.abs(pct - Math.rint(pct)) < 1e-9 ? String.valueOf((long) Math.rint(pct)) : String.valueOf(pct)) + "%";
  }

  /** A JSON-ready map: severities, rows and curves. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("severities", severities);
    List<Map<String, Object>> rs = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("task", r.task());
      x.put("metric", r.metric());
      x.put("family", r.family());
      x.put("severity", r.severity());
      x.put("value", r.value());
      x.put("drop", r.drop());
      x.put("flip_rate", r.flipRate());
      rs.add(x);
    }
    m.put("rows", rs);
    List<Map<String, Object>> cs = new ArrayList<>();
    for (Curve c : curves) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("task", c.task());
      x.put("metric", c.metric());
      x.put("family", c.family());
      x.put("clean", c.clean());
      x.put("auc", Double.isNaN(c.auc()) ? null : c.auc());
      cs.add(x);
    }
    m.put("curves", cs);
    return m;
  }

  /** The metric-versus-severity chart of {@code task}: one series per family, severity in %. */
  public LinePlot plot(String task) {
    LinePlot.Builder b = LinePlot.builder().title("Robustness — " + task).xLabel("severity (%)");
    String metric = null;
    for (Curve c : curves) {
      if (!c.task().equals(task)) {
        continue;
      }
      metric = c.metric();
      List<Row> rs = rows(task, c.family());
      double[] x = rs.stream().mapToDouble(r -> 100 * r.severity()).toArray();
      double[] y = rs.stream().mapToDouble(Row::value).toArray();
      b.series(LinePlot.Series.of(c.family(), x, y));
    }
    return b.yLabel(Objects.requireNonNullElse(metric, "metric")).size(1000, 650).build();
  }

  /** Writes {@code robustness-<task>.png} per task into {@code dir}; returns the files. */
  public List<Path> writePngs(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    for (String task : tasks()) {
      Path f = dir.resolve("robustness-" + task + ".png");
      plot(task).writePng(f);
      out.add(f);
    }
    return out;
  }
}
