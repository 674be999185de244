package io.slaft.model.bench;

import io.slaft.model.adapters.GateFamily;
import io.slaft.model.adapters.SearchSpace;
import io.slaft.model.adapters.SparsityControl;
import io.slaft.model.backbone.Backbone;
import io.slaft.model.eval.MetricKind;
import io.slaft.model.export.CompactModel;
import io.slaft.model.inference.FrozenEncoder;
import io.slaft.model.tokenize.Encoded;
import io.slaft.model.tokenize.TokenBatch;
import io.slaft.model.train.LabeledExample;
import io.slaft.model.train.NoiseSite;
import io.slaft.model.train.OptimizerConfig;
import io.slaft.model.train.TrainSpec;
import io.slaft.model.train.TrainTask;
import io.slaft.model.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Inference throughput of three engines on the same batches, in one process, runs interleaved:
 * the frozen backbone alone (reference), the pruned and merged export of a task, and the unpruned
 * gated model (every module of the full search space evaluated, gates soft). Medians of
 * {@code runs} timed runs of {@code batchesPerRun} batches each, after warm-up.
 */
public final class InferenceBenchmark {
  /** Results. */
  public record Result(String task, int activeModules, int gatedModules, int batch, int length, double frozenTokensPerSec,
      double compactTokensPerSec, double gatedTokensPerSec, int runs) {
    public double compactVsFrozen() {
      return compactTokensPerSec / frozenTokensPerSec;
    }

    public double compactVsGated() {
      return compactTokensPerSec / gatedTokensPerSec;
    }
  }

  private InferenceBenchmark() {}

  public static Result run(Backbone backbone, Path export, String task, SearchSpace gatedSpace, int batch, int length,
      int warmup, int runs, int batchesPerRun, Consumer<String> progress) {
    SplittableRandom rnd = new SplittableRandom(11);
    double[] frozen = new double[runs];
    double[] compact = new double[runs];
    double[] gated = new double[runs];
    List<LabeledExample> dummy = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      dummy.add(new LabeledExample(i, TrainBenchmark.randomEncoded(backbone, length, rnd), 0, 0f));
    }
    TrainTask gatedTask = new TrainTask("bench", 2, MetricKind.ACCURACY, dummy, dummy);
    TrainSpec spec = new TrainSpec("sla", gatedSpace, SparsityControl.defaults(GateFamily.HARD_CONCRETE),
        OptimizerConfig.defaults(), 1, batch, 0, batch, 0, 0, 1, 1f, 1, 1, NoiseSite.NONE, 0f);
    int active;
    int modules;
    try (FrozenEncoder fe = new FrozenEncoder(backbone);
         CompactModel cm = CompactModel.load(export, task, backbone);
         Trainer gm = Trainer.create(backbone, spec, List.of(gatedTask))) {
      active = cm.task().modules().size();
      modules = gm.layout().size();
      for (int i = -warmup; i < runs; i++) {
        long tf = 0;
        long tc = 0;
        long tg = 0;
        long tokens = 0;
        for (int k = 0; k < batchesPerRun; k++) {
          List<Encoded> rows = new ArrayList<>();
          List<LabeledExample> ex = new ArrayList<>();
          for (int r = 0; r < batch; r++) {
            Encoded e = TrainBenchmark.randomEncoded(backbone, length, rnd);
            rows.add(e);
            ex.add(new LabeledExample(r, e, 0, 0f));
          }
          TokenBatch tb = TokenBatch.pad(rows, backbone.padId());
          long t0 = System.nanoTime();
          fe.pooled(tb);
          long t1 = System.nanoTime();
          cm.outputs(rows);
          long t2 = System.nanoTime();
          gm.outputs(gatedTask, ex, Trainer.EvalControls.search());
          long t3 = System.nanoTime();
          tf += t1 - t0;
          tc += t2 - t1;
          tg += t3 - t2;
          tokens += tb.paddedTokens();
        }
        if (i >= 0) {
          frozen[i] = tokens / (tf / 1e9);
          compact[i] = tokens / (tc / 1e9);
          gated[i] = tokens / (tg / 1e9);
          progress.accept(String.format(java.util.Locale.ROOT, "run %d/%d: frozen %.0f, compact %.0f, gated %.0f tok/s",
              i + 1, runs, frozen[i], compact[i], gated[i]));
        }
      }
    }
    return new Result(task, active, modules, batch, length, BenchStats.median(frozen), BenchStats.median(compact),
        BenchStats.median(gated), runs);
  }
}
