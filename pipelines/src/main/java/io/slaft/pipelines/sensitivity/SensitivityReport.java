package io.slaft.pipelines.sensitivity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slaft.files.AtomicFiles;
import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.report.LinePlot;
import io.slaft.report.MarkdownTable;
import io.slaft.report.Stats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The sensitivity report of a sweep: for every swept key (every override key except {@code seed})
 * and task, the primary metric and the compression rate against the swept value, mean ± sample
 * std over seeds, as a PNG (compression on the right-hand axis) and as tables in
 * {@code report.md} and {@code report.html}.
 *
 * <p>Reads the {@code summary.json} that {@code slaft run} writes ({@code runs[]} with
 * {@code task}, {@code overrides}, {@code metrics}, {@code primary_metric}, {@code compression},
 * {@code seed}). When a sweep has several axes, the other axes' values split a key's points into
 * one curve each. Numeric values are plotted at their value; non-numeric ones (a gate family) at
 * their index in order of appearance. Output files are replaced; the input is not modified.
 */
public final class SensitivityReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SensitivityReport() {}

  /**
   * One aggregated point.
   *
   * @param task task name
   * @param metric primary metric name
   * @param key the swept key
   * @param value the swept value as written in the config
   * @param x the plotted position of {@code value}
   * @param others the other swept keys' values of this curve ("" with one axis)
   * @param seeds runs pooled
   * @param mean mean of the metric
   * @param std sample std of the metric (0 with one seed)
   * @param compressionMean mean compression in percent of backbone parameters
   * @param compressionStd its sample std
   */
  public record Point(String task, String metric, String key, String value, double x, String others, int seeds,
      double mean, double std, double compressionMean, double compressionStd) {}

  /** What was written. */
  public record Result(List<Point> points, Path markdown, Path html, List<Path> plots) {}

  /**
   * Writes the report of {@code outDir/summary.json} into {@code outDir} when {@code config} has
   * sweep axes (grid or random) other than seeds; call it after {@code slaft run} has written the
   * summary.
   *
   * @return the result, or empty when there is no swept key
   */
  public static Optional<Result> writeIfSweep(ExperimentConfig config, Path outDir) {
    if (config.withPrefix("sweep.grid.").isEmpty() && config.withPrefix("sweep.random.").isEmpty()) {
      return Optional.empty();
    }
    Path summary = outDir.resolve("summary.json");
    if (!Files.isRegularFile(summary)) {
      return Optional.empty();
    }
    Result r = write(summary, outDir, config.get(ConfigKeys.NAME));
    return r.points().isEmpty() ? Optional.empty() : Optional.of(r);
  }

  /**
   * Writes {@code report.md}, {@code report.html} and {@code plots/sensitivity-<key>-<task>.png}
   * into {@code outDir} from {@code summary}.
   *
   * @throws UncheckedIOException if the summary cannot be read or the report written
   * @throws IllegalArgumentException if the summary has no {@code runs[]}
   */
  public static Result write(Path summary, Path outDir, String title) {
    List<Point> points = aggregate(readRuns(summary));
    try {
      Files.createDirectories(outDir.resolve("plots"));
      List<Path> plots = new ArrayList<>();
      StringBuilder md = new StringBuilder("# Sensitivity — ").append(title).append("\n\n")
          .append("From `").append(summary.getFileName()).append("`: the primary dev metric and the compression rate ")
          .append("(active trainable parameters as % of the backbone) against each swept value, mean ± std over seeds.\n\n");
      StringBuilder html = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Sensitivity — ")
          .append(esc(title)).append("</title><style>body{font-family:sans-serif;max-width:1100px;margin:auto}")
          .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}")
          .append("img{max-width:100%}</style></head><body><h1>Sensitivity — ").append(esc(title)).append("</h1>\n");
      for (String key : keys(points)) {
        for (String task : tasks(points, key)) {
          List<Point> ps = points.stream().filter(p -> p.key().equals(key) && p.task().equals(task)).toList();
          String file = "sensitivity-" + key.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + task + ".png";
          Path png = outDir.resolve("plots").resolve(file);
          plot(key, task, ps).writePng(png);
          plots.add(png);
          MarkdownTable.Builder t = MarkdownTable.builder(columns(ps)).decimals(4).decimals("compression % mean", 3)
              .decimals("compression % std", 3);
          for (Point p : ps) {
            t.row(cells(p, ps));
          }
          MarkdownTable table = t.build();
          md.append("## ").append(key).append(" — ").append(task).append(" (").append(ps.get(0).metric()).append(")\n\n")
              .append(table.toMarkdown()).append("\n\n![").append(key).append(" — ").append(task).append("](plots/")
              .append(file).append(")\n\n");
          html.append("<h2>").append(esc(key)).append(" — ").append(esc(task)).append(" (").append(esc(ps.get(0).metric()))
              .append(")</h2>\n<table><tr>");
          table.header().forEach(h -> html.append("<th>").append(esc(h)).append("</th>"));
          html.append("</tr>\n");
          for (List<String> row : table.rows()) {
            html.append("<tr>");
            row.forEach(c -> html.append("<td>").append(esc(c)).append("</td>"));
            html.append("</tr>\n");
          }
          html.append("</table>\n<p><img src=\"plots/").append(file).append("\" alt=\"").append(esc(key)).append("\"></p>\n");
        }
      }
      html.append("</body></html>\n");
      Path mdFile = outDir.resolve("report.md");
      Path htmlFile = outDir.resolve("report.html");
      AtomicFiles.writeString(mdFile, md.toString());
      AtomicFiles.writeString(htmlFile, html.toString());
      return new Result(points, mdFile, htmlFile, plots);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the sensitivity report into " + outDir, e);
    }
  }

  private static List<String> columns(List<Point> ps) {
    List<String> c = new ArrayList<>(List.of(ps.get(0).key()));
    if (ps.stream().anyMatch(p -> !p.others().isEmpty())) {
      c.add("other axes");
    }
    c.addAll(List.of("seeds", "mean", "std", "compression % mean", "compression % std"));
    return c;
  }

  private static List<Object> cells(Point p, List<Point> ps) {
    List<Object> c = new ArrayList<>(List.of(p.value()));
    if (ps.stream().anyMatch(q -> !q.others().isEmpty())) {
      c.add(p.others());
    }
    c.addAll(List.of(p.seeds(), p.mean(), p.std(), p.compressionMean(), p.compressionStd()));
    return c;
  }

  static List<String> keys(List<Point> points) {
    return points.stream().map(Point::key).distinct().toList();
  }

  static List<String> tasks(List<Point> points, String key) {
    return points.stream().filter(p -> p.key().equals(key)).map(Point::task).distinct().toList();
  }

  static LinePlot plot(String key, String task, List<Point> ps) {
    String metric = ps.get(0).metric();
    LinePlot.Builder b = LinePlot.builder().title("Sensitivity to " + key + " — " + task)
        .xLabel(key + (numeric(ps) ? "" : " (index: " + String.join(", ", ps.stream().map(Point::value).distinct().toList()) + ")"))
        .yLabel(metric).secondaryYLabel("compression (% of backbone params)").size(1000, 650);
    for (String others : ps.stream().map(Point::others).distinct().toList()) {
      List<Point> curve = ps.stream().filter(p -> p.others().equals(others)).toList();
      String suffix = others.isEmpty() ? "" : " [" + others + "]";
      double[] x = curve.stream().mapToDouble(Point::x).toArray();
      b.series(LinePlot.Series.of(metric + suffix, x, curve.stream().mapToDouble(Point::mean).toArray(),
          curve.stream().mapToDouble(Point::std).toArray()));
      b.series(LinePlot.Series.of("compression %" + suffix, x, curve.stream().mapToDouble(Point::compressionMean).toArray(),
          curve.stream().mapToDouble(Point::compressionStd).toArray()).onSecondaryAxis());
    }
    return b.build();
  }

  private static boolean numeric(List<Point> ps) {
    return ps.stream().allMatch(p -> parse(p.value()) != null);
  }

  /** The runs of a summary.json as (task, metric, overrides, metric value, compression). */
  static List<Run> readRuns(Path summary) {
    JsonNode root;
    try {
      root = JSON.readTree(summary.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + summary, e);
    }
    JsonNode runs = root.path("runs");
    if (!runs.isArray()) {
      throw new IllegalArgumentException(summary + " has no runs[] (is it a summary.json written by slaft run?)");
    }
    List<Run> out = new ArrayList<>();
    for (JsonNode r : runs) {
      Map<String, String> overrides = new TreeMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = r.path("overrides").fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        overrides.put(e.getKey(), e.getValue().asText());
      }
      String metric = r.path("primary_metric").asText(null);
      if (metric == null) {
        metric = r.path("metrics").fieldNames().hasNext() ? r.path("metrics").fieldNames().next() : "metric";
      }
      out.add(new Run(r.path("task").asText(), metric, overrides, r.path("metrics").path(metric).asDouble(Double.NaN),
          100 * r.path("compression").asDouble(Double.NaN)));
    }
    return out;
  }

  /** One run of the summary; compression in percent. */
  record Run(String task, String metric, Map<String, String> overrides, double value, double compressionPct) {}

  /** Groups runs by swept key, task, other axes and value; seeds pooled. */
  static List<Point> aggregate(List<Run> runs) {
    Set<String> keys = new LinkedHashSet<>();
    runs.forEach(r -> r.overrides().keySet().stream().filter(k -> !k.equals("seed")).forEach(keys::add));
    List<Point> out = new ArrayList<>();
    for (String key : keys) {
      Map<String, List<Run>> groups = new LinkedHashMap<>();
      List<String> order = new ArrayList<>();
      for (Run r : runs) {
        String v = r.overrides().get(key);
        if (v == null) {
          continue;
        }
        if (!order.contains(v)) {
          order.add(v);
        }
        Map<String, String> others = new TreeMap<>(r.overrides());
        others.remove(key);
        others.remove("seed");
        groups.computeIfAbsent(r.task() + "\u0000" + label(others) + "\u0000" + v, k -> new ArrayList<>()).add(r);
      }
      boolean numeric = order.stream().allMatch(v -> parse(v) != null);
      List<Point> pts = new ArrayList<>();
      for (Map.Entry<String, List<Run>> g : groups.entrySet()) {
        String[] parts = g.getKey().split("\u0000", -1);
        List<Run> rs = g.getValue();
        double[] m = rs.stream().mapToDouble(Run::value).toArray();
        double[] c = rs.stream().mapToDouble(Run::compressionPct).toArray();
        String v = parts[2];
        double x = numeric ? parse(v) : order.indexOf(v);
        pts.add(new Point(parts[0], rs.get(0).metric(), key, v, x, parts[1], rs.size(), Stats.mean(m), Stats.std(m), Stats.mean(c), Stats.std(c)));
      }
      pts.sort(java.util.Comparator.comparing(Point::task).thenComparing(Point::others).thenComparingDouble(Point::x));
      out.addAll(pts);
    }
    return out;
  }

  private static String label(Map<String, String> others) {
    List<String> parts = new ArrayList<>();
    others.forEach((k, v) -> parts.add(k + "=" + v));
    return String.join(", ", parts);
  }

  private static Double parse(String v) {
    try {
      double d = Double.parseDouble(v.trim());
      return Double.isFinite(d) ? d : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  static String format(double d) {
    return String.format(Locale.ROOT, "%.4f", d);
  }
}
