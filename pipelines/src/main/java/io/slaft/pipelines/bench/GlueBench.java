package io.slaft.pipelines.bench;

import io.slaft.model.train.TrainListener;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.ExperimentRunner;
import io.slaft.report.MarkdownTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * SLA and every baseline preset on GLUE tasks, several seeds, one cell (method × task × seed) at a
 * time through the same trainer. Resumable: each finished cell is stored under
 * {@code out/cells/} with the hash of its resolved config and skipped when the hash matches.
 * Writes {@code out/glue-bench.json} and {@code out/glue-bench.md}.
 */
public final class GlueBench {
  private GlueBench() {}

  /** Runs every cell and returns the Markdown table. */
  @SuppressWarnings("unchecked")
  public static String run(ExperimentConfig base, List<String> methods, List<String> tasks, Map<String, List<Long>> seeds,
      Path out, Consumer<String> log) {
    Map<String, Map<String, List<Map<String, Object>>>> byMethod = new LinkedHashMap<>();
    try {
      Files.createDirectories(out.resolve("cells"));
      for (String method : methods) {
        for (String task : tasks) {
          for (long seed : seeds.get(task)) {
            Map<String, String> o = new LinkedHashMap<>();
            o.put("method", method);
            o.put("tasks", task);
            o.put("seed", Long.toString(seed));
            ExperimentConfig c = base.with(o);
            String cell = method + "-" + task + "-" + seed;
            Path file = out.resolve("cells").resolve(cell + ".json");
            Map<String, Object> rec = null;
            if (Files.isRegularFile(file)) {
              Map<String, Object> cached = ExperimentRunner.json().readValue(file.toFile(), Map.class);
              if (c.hash().equals(cached.get("config_hash"))) {
                rec = (Map<String, Object>) cached.get("record");
                log.accept("cell " + cell + ": cached, skipped");
              }
            }
            if (rec == null) {
              log.accept("cell " + cell + ": training");
              ExperimentRunner.PointResult r = ExperimentRunner.train(c, out.resolve("runs").resolve(cell), "main", o,
                  TrainListener.NONE);
              rec = r.records().get(0);
              Map<String, Object> stored = new LinkedHashMap<>();
              stored.put("config_hash", c.hash());
              stored.put("record", rec);
              Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
              ExperimentRunner.json().writeValue(tmp.toFile(), stored);
              Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            byMethod.computeIfAbsent(method, k -> new LinkedHashMap<>()).computeIfAbsent(task, k -> new ArrayList<>()).add(rec);
          }
        }
      }
      List<String> header = new ArrayList<>(List.of("method"));
      header.addAll(tasks);
      header.addAll(List.of("mean", "trainable %", "active %", "train tok/s"));
      MarkdownTable.Builder t = MarkdownTable.builder(header).decimals(4).decimals("trainable %", 3).decimals("active %", 3)
          .decimals("train tok/s", 0);
      List<Map<String, Object>> rows = new ArrayList<>();
      for (String method : methods) {
        List<Object> row = new ArrayList<>(List.of(method));
        double sum = 0;
        double trainable = 0;
        double active = 0;
        double tps = 0;
        int n = 0;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("method", method);
        for (String task : tasks) {
          List<Map<String, Object>> recs = byMethod.get(method).get(task);
          double m = 0;
          for (Map<String, Object> r : recs) {
            String primary = (String) r.get("primary_metric");
            m += ((Map<String, Number>) r.get("metrics")).get(primary).doubleValue();
            trainable += ((Number) r.get("trainable_pct")).doubleValue();
            active += 100 * ((Number) r.get("compression")).doubleValue();
            tps += ((Number) r.get("train_tokens_per_s")).doubleValue();
            n++;
          }
          m /= recs.size();
          row.add(m);
          json.put(task, m);
          sum += m;
        }
        row.add(sum / tasks.size());
        row.add(trainable / n);
        row.add(active / n);
        row.add(tps / n);
        json.put("mean", sum / tasks.size());
        json.put("trainable_pct", trainable / n);
        json.put("active_pct", active / n);
        json.put("train_tokens_per_s", tps / n);
        rows.add(json);
        t.row(row);
      }
      String md = t.build().toMarkdown();
      Map<String, Object> all = new LinkedHashMap<>();
      all.put("base_config_hash", base.hash());
      all.put("seeds", seeds);
      all.put("train_limit", base.get("data.train_limit"));
      all.put("steps", base.get("train.steps"));
      all.put("rows", rows);
      ExperimentRunner.json().writeValue(out.resolve("glue-bench.json").toFile(), all);
      Files.writeString(out.resolve("glue-bench.md"), md + "\n");
      return md;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
