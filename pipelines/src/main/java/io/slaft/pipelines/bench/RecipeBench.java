package io.slaft.pipelines.bench;

import io.slaft.model.bench.BenchStats;
import io.slaft.model.train.NoiseSite;
import io.slaft.model.train.TaskResult;
import io.slaft.model.train.TrainListener;
import io.slaft.model.train.TrainResult;
import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.ExperimentSession;
import io.slaft.pipelines.experiment.ExperimentSpec;
import io.slaft.pipelines.experiment.TrainedPoint;
import io.slaft.report.MarkdownTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Trains one config's exact rows and steps with several methods in one process and times each the
 * way a user experiences it: wall seconds of {@code slaft train}'s training path (graph build,
 * search, discrete re-training and the evaluations it runs), the time of the training steps alone,
 * padded and real tokens per second, and the served dev metric. Runs interleave the methods (run
 * {@code r} starts at method {@code r mod n}) so drift on a shared machine hits every method alike;
 * medians over runs, and every method's median wall time as a ratio of the reference method's.
 */
public final class RecipeBench {
  private RecipeBench() {}

  /** One timed training of one method. */
  public record Run(String method, double wallSeconds, double trainSeconds, double paddedTokensPerSec,
      double realTokensPerSec, String metric, double value, double activePct) {}

  /** The medians of a method's runs, and its wall time against the reference method's. */
  public record Row(String method, int runs, double wallSeconds, double wallRatio, double trainSeconds,
      double paddedTokensPerSec, double realTokensPerSec, String metric, double value, double activePct) {}

  /**
   * Trains {@code base} with each of {@code methods} (the config's other keys unchanged) {@code runs}
   * times; every method is bound before anything trains.
   */
  public static List<Run> run(ExperimentConfig base, List<String> methods, int runs, Consumer<String> log) {
    List<ExperimentConfig> configs = new ArrayList<>();
    for (String m : methods) {
      ExperimentConfig c = base.with(Map.of(ConfigKeys.METHOD.key(), m));
      ExperimentSpec.bind(c);
      configs.add(c);
    }
    List<Run> out = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      for (int k = 0; k < configs.size(); k++) {
        ExperimentConfig c = configs.get((r + k) % configs.size());
        Run one = once(c);
        log.accept(String.format(Locale.ROOT, "run %d/%d %s: wall %.1f s, train %.1f s, %s %.4f", r + 1, runs, one.method(),
            one.wallSeconds(), one.trainSeconds(), one.metric(), one.value()));
        out.add(one);
      }
    }
    return out;
  }

  private static Run once(ExperimentConfig c) {
    ExperimentSession session = ExperimentSession.open(c);
    Path dir;
    try {
      dir = Files.createTempDirectory("slaft-bench-recipe");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      long t0 = System.nanoTime();
      try (TrainedPoint p = session.train(dir, "bench", TrainListener.NONE, NoiseSite.NONE)) {
        double wall = (System.nanoTime() - t0) / 1e9;
        TrainResult res = p.result();
        TaskResult first = res.tasks().get(0);
        String metric = first.metrics().keySet().iterator().next();
        double active = 0;
        for (TaskResult t : res.tasks()) {
          active += 100.0 * res.compression(t) / res.tasks().size();
        }
        return new Run(c.get(ConfigKeys.METHOD), wall, res.trainSeconds(), res.trainTokensPerSec(),
            res.trainRealTokensPerSec(), metric, first.metrics().get(metric), active);
      }
    } finally {
      delete(dir);
    }
  }

  /** Per method (in {@code methods} order): medians, and the wall ratio to {@code reference}'s median. */
  public static List<Row> rows(List<Run> runs, List<String> methods, String reference) {
    Map<String, List<Run>> by = new LinkedHashMap<>();
    for (String m : methods) {
      by.put(m, new ArrayList<>());
    }
    runs.forEach(r -> by.get(r.method()).add(r));
    double ref = BenchStats.median(by.get(reference).stream().mapToDouble(Run::wallSeconds).toArray());
    List<Row> rows = new ArrayList<>();
    by.forEach((m, rs) -> {
      double wall = BenchStats.median(rs.stream().mapToDouble(Run::wallSeconds).toArray());
      rows.add(new Row(m, rs.size(), wall, wall / ref, BenchStats.median(rs.stream().mapToDouble(Run::trainSeconds).toArray()),
          BenchStats.median(rs.stream().mapToDouble(Run::paddedTokensPerSec).toArray()),
          BenchStats.median(rs.stream().mapToDouble(Run::realTokensPerSec).toArray()), rs.get(0).metric(),
          BenchStats.median(rs.stream().mapToDouble(Run::value).toArray()), BenchStats.median(rs.stream().mapToDouble(Run::activePct).toArray())));
    });
    return rows;
  }

  /** The table of {@link #rows}. */
  public static MarkdownTable table(List<Row> rows, String reference) {
    MarkdownTable.Builder t = MarkdownTable.builder("method", "runs", "wall s (median)", "wall / " + reference,
        "train-step s", "padded tok/s", "real tok/s", "dev metric", "value", "active %")
        .decimals(1).decimals("wall / " + reference, 2).decimals("value", 4).decimals("active %", 3);
    for (Row r : rows) {
      t.row(r.method(), r.runs(), r.wallSeconds(), r.wallRatio(), r.trainSeconds(), r.paddedTokensPerSec(),
          r.realTokensPerSec(), r.metric(), r.value(), r.activePct());
    }
    return t.build();
  }

  private static void delete(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp dir is harmless
    }
  }
}
