package io.slaft.pipelines.run;

import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.ExperimentRunner;
import io.slaft.pipelines.experiment.Provenance;
import io.slaft.pipelines.experiment.ResultsTable;
import io.slaft.report.MarkdownTable;
import io.slaft.report.Stats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code summary.json} of a pipeline run (same {@code runs[]} format as {@code slaft train}) plus
 * {@code aggregate[]}: per task and sweep setting (seeds pooled), mean and std of the primary
 * metric and of compression; and {@code results.md} with both tables.
 */
public final class RunSummary {
  private RunSummary() {}

  @SuppressWarnings("unchecked")
  public static Path write(ExperimentConfig c, Path out, List<Map<String, Object>> records) {
    Map<String, List<Map<String, Object>>> groups = new TreeMap<>();
    for (Map<String, Object> r : records) {
      Map<String, String> o = new TreeMap<>((Map<String, String>) r.get("overrides"));
      o.remove("seed");
      groups.computeIfAbsent(r.get("task") + " " + o, k -> new ArrayList<>()).add(r);
    }
    List<Map<String, Object>> aggregate = new ArrayList<>();
    MarkdownTable.Builder table = MarkdownTable.builder("task", "setting", "seeds", "metric", "mean", "std",
        "compression % mean", "compression % std").decimals(4).decimals("compression % mean", 3).decimals("compression % std", 3);
    for (List<Map<String, Object>> g : groups.values()) {
      Map<String, Object> first = g.get(0);
      String primary = (String) first.get("primary_metric");
      double[] m = g.stream().mapToDouble(r -> ((Map<String, Number>) r.get("metrics")).get(primary).doubleValue()).toArray();
      double[] comp = g.stream().mapToDouble(r -> 100 * ((Number) r.get("compression")).doubleValue()).toArray();
      Map<String, String> setting = new TreeMap<>((Map<String, String>) first.get("overrides"));
      setting.remove("seed");
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("task", first.get("task"));
      a.put("setting", setting);
      a.put("seeds", g.size());
      a.put("metric", primary);
      a.put("mean", Stats.mean(m));
      a.put("std", Stats.std(m));
      a.put("compression_pct_mean", Stats.mean(comp));
      a.put("compression_pct_std", Stats.std(comp));
      aggregate.add(a);
      table.row(first.get("task"), setting.isEmpty() ? "-" : setting.toString(), g.size(), primary, Stats.mean(m), Stats.std(m),
          Stats.mean(comp), Stats.std(comp));
    }
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("experiment", c.get("name"));
    s.put("config_hash", c.hash());
    s.put("git_commit", Provenance.currentCommit());
    s.put("slaft_version", Provenance.VERSION);
    s.put("created", Instant.now().toString());
    s.put("runs", records);
    s.put("aggregate", aggregate);
    s.put("dead_letter_file", out.resolve("dead_letters.tsv").toString());
    try {
      Files.createDirectories(out);
      Files.writeString(out.resolve("config.resolved.yaml"), c.toYaml());
      String md = "# " + c.get("name") + "\n\n## Runs\n\n" + ResultsTable.of(records).toMarkdown()
          + "\n\n## Aggregate (mean ± std over seeds)\n\n" + table.build().toMarkdown() + "\n";
      Files.writeString(out.resolve("results.md"), md);
      Path summary = out.resolve("summary.json");
      Files.writeString(summary, ExperimentRunner.json().writeValueAsString(s));
      return summary;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write results into " + out, e);
    }
  }
}
