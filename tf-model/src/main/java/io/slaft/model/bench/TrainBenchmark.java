package io.slaft.model.bench;

import io.slaft.model.adapters.GateFamily;
import io.slaft.model.adapters.SearchSpace;
import io.slaft.model.adapters.SparsityControl;
import io.slaft.model.backbone.Backbone;
import io.slaft.model.eval.MetricKind;
import io.slaft.model.inference.FrozenEncoder;
import io.slaft.model.runtime.TfRuntime;
import io.slaft.model.tokenize.Encoded;
import io.slaft.model.tokenize.TokenBatch;
import io.slaft.model.train.LabeledExample;
import io.slaft.model.train.NoiseSite;
import io.slaft.model.train.OptimizerConfig;
import io.slaft.model.train.TrainSpec;
import io.slaft.model.train.TrainTask;
import io.slaft.model.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Training throughput with the full search space (every site in every layer, all activations,
 * hard-concrete gates): padded tokens per second of complete training steps (forward, backward,
 * AdamW in Java) at a fixed batch × length, next to the frozen backbone's forward pass measured in
 * the same process as the reference. Medians of {@code runs} timed runs of {@code stepsPerRun}
 * steps each, after warm-up.
 */
public final class TrainBenchmark {
  /** Results. */
  public record Result(String backbone, int batch, int length, int modules, long trainableParams, double trainTokensPerSec,
      double forwardTokensPerSec, double peakRssMiB, int threads, int runs) {
    /** Training step cost relative to one forward pass. */
    public double ratio() {
      return trainTokensPerSec / forwardTokensPerSec;
    }
  }

  private TrainBenchmark() {}

  public static Result run(Backbone backbone, int batch, int length, int warmup, int runs, int stepsPerRun,
      Consumer<String> progress) {
    SplittableRandom rnd = new SplittableRandom(7);
    List<LabeledExample> train = new ArrayList<>();
    for (int i = 0; i < batch * 8; i++) {
      train.add(new LabeledExample(i, randomEncoded(backbone, length, rnd), rnd.nextInt(2), 0f));
    }
    TrainTask task = new TrainTask("bench", 2, MetricKind.ACCURACY, train, train.subList(0, batch));
    TrainSpec spec = new TrainSpec("sla", SearchSpace.full(64, 8), SparsityControl.defaults(GateFamily.HARD_CONCRETE),
        OptimizerConfig.defaults(), 1_000_000, batch, 0, batch, 0, 0, 1, 1f, 1, 1_000_000, NoiseSite.NONE, 0f);
    double[] trainRates = new double[runs];
    double[] fwdRates = new double[runs];
    int modules;
    long trainable;
    try (Trainer t = Trainer.create(backbone, spec, List.of(task));
         FrozenEncoder fe = new FrozenEncoder(backbone.weights(), backbone.pooling())) {
      modules = t.layout().size();
      trainable = t.params().count();
      int step = 0;
      for (int i = -warmup; i < runs; i++) {
        long t0 = System.nanoTime();
        long tokens = t.trainSteps(step, stepsPerRun);
        long t1 = System.nanoTime();
        step += stepsPerRun;
        long fwdTokens = 0;
        for (int k = 0; k < stepsPerRun; k++) {
          List<Encoded> rows = new ArrayList<>();
          for (int r = 0; r < batch; r++) {
            rows.add(randomEncoded(backbone, length, rnd));
          }
          TokenBatch b = TokenBatch.pad(rows, backbone.padId());
          fe.pooled(b);
          fwdTokens += b.paddedTokens();
        }
        long t2 = System.nanoTime();
        if (i >= 0) {
          trainRates[i] = tokens / ((t1 - t0) / 1e9);
          fwdRates[i] = fwdTokens / ((t2 - t1) / 1e9);
          progress.accept(String.format(java.util.Locale.ROOT, "run %d/%d: train %.0f tok/s, forward %.0f tok/s",
              i + 1, runs, trainRates[i], fwdRates[i]));
        }
      }
    }
    return new Result(backbone.name(), batch, length, modules, trainable, BenchStats.median(trainRates),
        BenchStats.median(fwdRates), BenchStats.peakRssMiB(), TfRuntime.intraOpThreads(), runs);
  }

  static Encoded randomEncoded(Backbone b, int len, SplittableRandom rnd) {
    int[] ids = new int[len];
    for (int t = 0; t < len; t++) {
      ids[t] = t == 0 ? b.tokenizer().clsId() : t == len - 1 ? b.tokenizer().sepId() : 1000 + rnd.nextInt(b.config().vocabSize() - 1000);
    }
    return new Encoded(ids, new int[len]);
  }
}
