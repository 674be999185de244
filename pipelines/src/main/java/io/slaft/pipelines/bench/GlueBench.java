package io.slaft.pipelines.bench;

import io.slaft.model.backbone.Backbone;
import io.slaft.model.bench.BenchStats;
import io.slaft.model.export.CompactModel;
import io.slaft.model.inference.FrozenEncoder;
import io.slaft.model.tokenize.Encoded;
import io.slaft.model.tokenize.TokenBatch;
import io.slaft.model.train.LabeledExample;
import io.slaft.model.train.TrainListener;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.ExperimentRunner;
import io.slaft.pipelines.experiment.Specs;
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
 * Writes {@code out/glue-bench.json} and {@code out/glue-bench.md}. Methods marked {@code *} in the
 * table have no compact export (UniPELT's per-example gates, full fine-tuning); their inference
 * figure is the training graph's dev-evaluation throughput.
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
              long t0 = System.nanoTime();
              ExperimentRunner.PointResult r = ExperimentRunner.train(c, out.resolve("runs").resolve(cell), "main", o,
                  TrainListener.NONE);
              rec = new LinkedHashMap<>(r.records().get(0));
              rec.putAll(inference(c, r));
              log.accept(String.format(java.util.Locale.ROOT, "cell %s: %s = %.4f, %.0f s", cell, rec.get("primary_metric"),
                  ((Map<String, Number>) rec.get("metrics")).get((String) rec.get("primary_metric")).doubleValue(),
                  (System.nanoTime() - t0) / 1e9));
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
      header.addAll(List.of("mean", "trainable %", "active %", "compression", "train tok/s", "inference tok/s",
          "inference / frozen"));
      MarkdownTable.Builder t = MarkdownTable.builder(header).decimals(4).decimals("trainable %", 3).decimals("active %", 3)
          .decimals("compression", 5).decimals("train tok/s", 0).decimals("inference tok/s", 0)
          .decimals("inference / frozen", 2);
      List<Map<String, Object>> rows = new ArrayList<>();
      for (String method : methods) {
        List<Object> row = new ArrayList<>(List.of(method));
        double sum = 0;
        double trainable = 0;
        double active = 0;
        double tps = 0;
        double inf = 0;
        double infRatio = 0;
        boolean compactAll = true;
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
            inf += ((Number) r.get("inference_tokens_per_s")).doubleValue();
            infRatio += ((Number) r.get("inference_vs_frozen")).doubleValue();
            compactAll &= "compact".equals(r.get("inference_model"));
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
        row.add(active / n / 100);
        row.add(tps / n);
        row.add(inf / n);
        row.add(infRatio / n);
        if (!compactAll) {
          row.set(0, method + " *");
        }
        json.put("mean", sum / tasks.size());
        json.put("trainable_pct", trainable / n);
        json.put("active_pct", active / n);
        json.put("compression", active / n / 100);
        json.put("train_tokens_per_s", tps / n);
        json.put("inference_tokens_per_s", inf / n);
        json.put("inference_vs_frozen", infRatio / n);
        json.put("inference_model", compactAll ? "compact" : "training-graph");
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

  /** Dev rows timed per inference measurement (sorted by length, batches of {@link #INFER_BATCH}). */
  static final int INFER_ROWS = 512;
  static final int INFER_BATCH = 32;
  static final int INFER_RUNS = 3;

  /**
   * Inference throughput of a trained cell on its dev rows: the compact export (closed modules
   * removed, LoRA merged) when the method has one, else the training graph's final evaluation
   * throughput; and the frozen backbone on the same rows in the same process, as the reference.
   * Medians of {@link #INFER_RUNS} passes after one warm-up pass.
   */
  static Map<String, Object> inference(ExperimentConfig c, ExperimentRunner.PointResult r) {
    Backbone backbone = Backbone.shared(Specs.backbone(c), c.integer("backbone.max_length"));
    var task = r.data().tasks().get(0);
    List<Encoded> rows = new ArrayList<>(task.dev().stream().map(LabeledExample::tokens)
        .limit(INFER_ROWS).toList());
    rows.sort(java.util.Comparator.comparingInt(Encoded::length));
    List<List<Encoded>> batches = new ArrayList<>();
    for (int i = 0; i < rows.size(); i += INFER_BATCH) {
      batches.add(rows.subList(i, Math.min(rows.size(), i + INFER_BATCH)));
    }
    long tokens = 0;
    for (List<Encoded> b : batches) {
      tokens += TokenBatch.pad(b, backbone.padId()).paddedTokens();
    }
    double[] frozen = new double[INFER_RUNS];
    double[] model = new double[INFER_RUNS];
    try (FrozenEncoder fe = new FrozenEncoder(backbone.weights(), backbone.pooling());
         CompactModel cm = r.exportDir() == null ? null : CompactModel.load(r.exportDir(), task.name(), backbone)) {
      for (int run = -1; run < INFER_RUNS; run++) {
        long t0 = System.nanoTime();
        for (List<Encoded> b : batches) {
          fe.pooled(TokenBatch.pad(b, backbone.padId()));
        }
        long t1 = System.nanoTime();
        if (cm != null) {
          for (List<Encoded> b : batches) {
            cm.outputs(b);
          }
        }
        long t2 = System.nanoTime();
        if (run >= 0) {
          frozen[run] = tokens / ((t1 - t0) / 1e9);
          model[run] = tokens / ((t2 - t1) / 1e9);
        }
      }
    }
    double f = BenchStats.median(frozen);
    double m = r.exportDir() == null ? r.result().evalTokensPerSec() : BenchStats.median(model);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("inference_model", r.exportDir() == null ? "training-graph" : "compact");
    out.put("inference_tokens_per_s", m);
    out.put("frozen_tokens_per_s", f);
    out.put("inference_vs_frozen", m / f);
    return out;
  }
}
