package io.slaft.model.bench;

import io.slaft.model.backbone.Backbone;
import io.slaft.model.backbone.Precision;
import io.slaft.model.inference.FrozenEncoder;
import io.slaft.model.runtime.TfRuntime;
import io.slaft.model.tokenize.TokenBatch;
import io.slaft.model.verify.OnnxReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Forward throughput of slaft's TensorFlow encoder, in each precision asked for, against ONNX
 * Runtime (fp32) in the same process, on full batches of random token ids (distinct per run, so no
 * engine can reuse a previous result). Each figure is the median of {@code runs} timed runs after
 * {@code warmup} untimed ones; the engines alternate within every run so drift on a shared machine
 * hits all alike.
 */
public final class BackboneBenchmark {
  /** One measured shape: TF tokens/s per precision, and ONNX Runtime's. */
  public record Row(int batch, int length, Map<Precision, Double> tfTokensPerSec, double ortTokensPerSec) {
    public Row {
      tfTokensPerSec = Map.copyOf(tfTokensPerSec);
    }

    /** TF in {@code p} relative to ONNX Runtime fp32. */
    public double ratio(Precision p) {
      return tfTokensPerSec.get(p) / ortTokensPerSec;
    }
  }

  /** All rows plus memory. */
  public record Result(String backbone, List<Precision> precisions, int threads, int runs, List<Row> rows,
      double peakRssMiB) {}

  private BackboneBenchmark() {}

  public static Result run(Backbone backbone, List<Precision> precisions, int batch, int[] lengths, int warmup, int runs,
      long seed, Consumer<String> progress) {
    List<Row> rows = new ArrayList<>();
    SplittableRandom rnd = new SplittableRandom(seed);
    Map<Precision, FrozenEncoder> tf = new LinkedHashMap<>();
    try (OnnxReference ort = new OnnxReference(backbone.onnxFile(), TfRuntime.intraOpThreads())) {
      for (Precision p : precisions) {
        tf.put(p, new FrozenEncoder(backbone.withPrecision(p)));
      }
      for (int len : lengths) {
        Map<Precision, double[]> tfRate = new LinkedHashMap<>();
        precisions.forEach(p -> tfRate.put(p, new double[runs]));
        double[] ortRate = new double[runs];
        for (int i = -warmup; i < runs; i++) {
          TokenBatch b = randomBatch(backbone, batch, len, rnd);
          StringBuilder line = new StringBuilder();
          for (Precision p : precisions) {
            long t0 = System.nanoTime();
            tf.get(p).hidden(b);
            long t1 = System.nanoTime();
            if (i >= 0) {
              tfRate.get(p)[i] = b.paddedTokens() / ((t1 - t0) / 1e9);
              line.append(String.format(java.util.Locale.ROOT, "tf %s %.0f tok/s, ", p.id(), tfRate.get(p)[i]));
            }
          }
          long t1 = System.nanoTime();
          ort.hidden(b);
          long t2 = System.nanoTime();
          if (i >= 0) {
            ortRate[i] = b.paddedTokens() / ((t2 - t1) / 1e9);
            progress.accept(String.format(java.util.Locale.ROOT, "length %d run %d/%d: %sort %.0f tok/s",
                len, i + 1, runs, line, ortRate[i]));
          }
        }
        Map<Precision, Double> medians = new LinkedHashMap<>();
        tfRate.forEach((p, r) -> medians.put(p, BenchStats.median(r)));
        rows.add(new Row(batch, len, medians, BenchStats.median(ortRate)));
      }
    } finally {
      tf.values().forEach(FrozenEncoder::close);
    }
    return new Result(backbone.name(), List.copyOf(precisions), TfRuntime.intraOpThreads(), runs, rows,
        BenchStats.peakRssMiB());
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
