package io.slaft.model.bench;

import io.slaft.model.adapters.GateFamily;
import io.slaft.model.adapters.Method;
import io.slaft.model.adapters.SearchSpace;
import io.slaft.model.adapters.SparsityControl;
import io.slaft.model.backbone.Backbone;
import io.slaft.model.backbone.Precision;
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
 * Training throughput of one method at a fixed batch × length: padded tokens per second of complete
 * training steps (forward, backward, AdamW in Java), next to the frozen backbone's forward pass in
 * the same precision, measured in the same process as the reference. SLA trains the full search
 * space (every site in every layer, all activations, hard-concrete gates); a baseline trains its
 * preset of that space ({@link Method#space}). With several precisions, each has its own trainer
 * and every repetition runs all of them (order reversed every other repetition), so their ratio is
 * measured side by side. Medians of {@code runs} timed runs of {@code stepsPerRun} steps each,
 * after warm-up.
 */
public final class TrainBenchmark {
  /** One precision's results. */
  public record Arm(Precision precision, double trainTokensPerSec, double forwardTokensPerSec) {
    /** Training step cost relative to one forward pass. */
    public double ratio() {
      return trainTokensPerSec / forwardTokensPerSec;
    }
  }

  /** Results: one arm per precision, in the order asked for. */
  public record Result(String backbone, String method, int batch, int length, int modules, long trainableParams,
      List<Arm> arms, double peakRssMiB, int threads, int runs) {
    /** The arm of {@code p}. */
    public Arm arm(Precision p) {
      return arms.stream().filter(a -> a.precision() == p).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no " + p.id() + " arm"));
    }
  }

  private TrainBenchmark() {}

  /** The training spec of {@code method} in the benchmark: its preset of the full search space (bottleneck 64, rank 8). */
  static TrainSpec spec(Method method, int batch) {
    return new TrainSpec(method.id(), method.space(SearchSpace.full(64, 8)),
        method.sparsity(SparsityControl.defaults(GateFamily.HARD_CONCRETE)), OptimizerConfig.defaults(), 1_000_000, batch, 0,
        batch, 0, 0, 1, 1f, 1, 1_000_000, NoiseSite.NONE, 0f);
  }

  public static Result run(Backbone backbone, Method method, List<Precision> precisions, int batch, int length, int warmup,
      int runs, int stepsPerRun, Consumer<String> progress) {
    if (precisions.isEmpty() || precisions.stream().distinct().count() != precisions.size()) {
      throw new IllegalArgumentException("precisions must be distinct and at least one: " + precisions);
    }
    if (method == Method.FULL_FT && precisions.contains(Precision.BF16)) {
      throw new IllegalArgumentException("full-ft trains every backbone weight: it has no frozen matmul to run in bf16");
    }
    SplittableRandom rnd = new SplittableRandom(7);
    List<LabeledExample> train = new ArrayList<>();
    for (int i = 0; i < batch * 8; i++) {
      train.add(new LabeledExample(i, randomEncoded(backbone, length, rnd), rnd.nextInt(2), 0f));
    }
    TrainTask task = new TrainTask("bench", 2, MetricKind.ACCURACY, train, train.subList(0, batch));
    TrainSpec spec = spec(method, batch);
    int n = precisions.size();
    double[][] trainRates = new double[n][runs];
    double[][] fwdRates = new double[n][runs];
    List<Trainer> trainers = new ArrayList<>();
    List<FrozenEncoder> encoders = new ArrayList<>();
    int modules;
    long trainable;
    try {
      for (Precision p : precisions) {
        Backbone b = backbone.withPrecision(p);
        trainers.add(Trainer.create(b, spec, List.of(task)));
        encoders.add(new FrozenEncoder(b));
      }
      modules = trainers.get(0).layout().size();
      trainable = trainers.get(0).params().count();
      int[] step = new int[n];
      for (int i = -warmup; i < runs; i++) {
        for (int k = 0; k < n; k++) {
          int a = Math.floorMod(i, 2) == 0 ? k : n - 1 - k;
          long t0 = System.nanoTime();
          long tokens = trainers.get(a).trainSteps(step[a], stepsPerRun);
          long t1 = System.nanoTime();
          step[a] += stepsPerRun;
          long fwdTokens = 0;
          for (int s = 0; s < stepsPerRun; s++) {
            List<Encoded> rows = new ArrayList<>();
            for (int r = 0; r < batch; r++) {
              rows.add(randomEncoded(backbone, length, rnd));
            }
            TokenBatch b = TokenBatch.pad(rows, backbone.padId());
            encoders.get(a).pooled(b);
            fwdTokens += b.paddedTokens();
          }
          long t2 = System.nanoTime();
          if (i >= 0) {
            trainRates[a][i] = tokens / ((t1 - t0) / 1e9);
            fwdRates[a][i] = fwdTokens / ((t2 - t1) / 1e9);
            progress.accept(String.format(java.util.Locale.ROOT, "%s %s run %d/%d: train %.0f tok/s, forward %.0f tok/s",
                method.id(), precisions.get(a).id(), i + 1, runs, trainRates[a][i], fwdRates[a][i]));
          }
        }
      }
    } finally {
      trainers.forEach(Trainer::close);
      encoders.forEach(FrozenEncoder::close);
    }
    List<Arm> arms = new ArrayList<>();
    for (int a = 0; a < n; a++) {
      arms.add(new Arm(precisions.get(a), BenchStats.median(trainRates[a]), BenchStats.median(fwdRates[a])));
    }
    return new Result(backbone.name(), method.id(), batch, length, modules, trainable, arms, BenchStats.peakRssMiB(),
        TfRuntime.intraOpThreads(), runs);
  }

  static Encoded randomEncoded(Backbone b, int len, SplittableRandom rnd) {
    int[] ids = new int[len];
    for (int t = 0; t < len; t++) {
      ids[t] = t == 0 ? b.tokenizer().clsId() : t == len - 1 ? b.tokenizer().sepId() : 1000 + rnd.nextInt(b.config().vocabSize() - 1000);
    }
    return new Encoded(ids, new int[len]);
  }
}
