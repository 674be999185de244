package io.slaft.model.bench;

import io.slaft.model.backbone.Backbone;
import io.slaft.model.inference.FrozenEncoder;
import io.slaft.model.runtime.TfRuntime;
import io.slaft.model.tokenize.TokenBatch;
import io.slaft.model.verify.OnnxReference;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Forward throughput of slaft's TensorFlow encoder against ONNX Runtime in the same process, on
 * full batches of random token ids (distinct per run, so no engine can reuse a previous result).
 * Each figure is the median of {@code runs} timed runs after {@code warmup} untimed ones; TF and
 * ONNX Runtime runs alternate so drift on a shared machine hits both alike.
 */
public final class BackboneBenchmark {
  /** One measured shape. */
  public record Row(int batch, int length, double tfTokensPerSec, double ortTokensPerSec) {
    public double ratio() {
      return tfTokensPerSec / ortTokensPerSec;
    }
  }

  /** All rows plus memory. */
  public record Result(String backbone, int threads, int runs, List<Row> rows, double peakRssMiB) {}

  private BackboneBenchmark() {}

  public static Result run(Backbone backbone, int batch, int[] lengths, int warmup, int runs, long seed,
      Consumer<String> progress) {
    List<Row> rows = new ArrayList<>();
    SplittableRandom rnd = new SplittableRandom(seed);
    try (FrozenEncoder tf = new FrozenEncoder(backbone.weights(), backbone.pooling());
         OnnxReference ort = new OnnxReference(backbone.onnxFile(), TfRuntime.intraOpThreads())) {
      for (int len : lengths) {
        double[] tfRate = new double[runs];
        double[] ortRate = new double[runs];
        for (int i = -warmup; i < runs; i++) {
          TokenBatch b = randomBatch(backbone, batch, len, rnd);
          long t0 = System.nanoTime();
          tf.hidden(b);
          long t1 = System.nanoTime();
          ort.hidden(b);
          long t2 = System.nanoTime();
          if (i >= 0) {
            tfRate[i] = b.paddedTokens() / ((t1 - t0) / 1e9);
            ortRate[i] = b.paddedTokens() / ((t2 - t1) / 1e9);
            progress.accept(String.format(java.util.Locale.ROOT, "length %d run %d/%d: tf %.0f tok/s, ort %.0f tok/s",
                len, i + 1, runs, tfRate[i], ortRate[i]));
          }
        }
        rows.add(new Row(batch, len, BenchStats.median(tfRate), BenchStats.median(ortRate)));
      }
    }
    return new Result(backbone.name(), TfRuntime.intraOpThreads(), runs, rows, BenchStats.peakRssMiB());
  }

  /** A full batch of random ids (no padding) with [CLS] first and [SEP] last. */
  static TokenBatch randomBatch(Backbone backbone, int batch, int len, SplittableRandom rnd) {
    int vocab = backbone.config().vocabSize();
    int[] ids = new int[batch * len];
    int[] types = new int[batch * len];
    int[] mask = new int[batch * len];
    for (int r = 0; r < batch; r++) {
      for (int t = 0; t < len; t++) {
        ids[r * len + t] = t == 0 ? backbone.tokenizer().clsId()
            : t == len - 1 ? backbone.tokenizer().sepId() : 1000 + rnd.nextInt(vocab - 1000);
        mask[r * len + t] = 1;
      }
    }
    return new TokenBatch(batch, len, ids, types, mask);
  }
}
