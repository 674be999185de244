package io.slaft.pipelines.predict;

import io.slaft.model.export.CompactModel;
import io.slaft.model.tokenize.Encoded;
import io.slaft.transforms.data.Example;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;

/**
 * Batch inference with an exported model (RunInference-style): examples in, one {@link
 * PredictedRow} per example out, with label, score, class probabilities, model reference and
 * version. The model is loaded once per worker JVM and shared by every DoFn instance ({@link
 * SharedModels}); each bundle's rows are tokenized, sorted by length and predicted in batches of
 * {@link #withBatchSize} rows (at most {@link #BUFFER} rows are held before a flush). A row's
 * prediction does not depend on which runner, bundle or worker it lands on beyond float rounding
 * of different padding (scores agree to 1e-4; the label is the same). Counter {@code
 * slaft.predict/predictions}.
 */
public final class Predict extends PTransform<PCollection<Example>, PCollection<PredictedRow>> {
  private static final long serialVersionUID = 1L;
  /** Rows held per DoFn before they are predicted (sorted by length, so batches pad little). */
  static final int BUFFER = 512;
  /** Metrics namespace of {@code predictions}. */
  public static final String METRICS_NAMESPACE = "slaft.predict";

  private final ModelSpec model;
  private final int batchSize;

  private Predict(ModelSpec model, int batchSize) {
    this.model = model;
    if (batchSize < 1) {
      throw new IllegalArgumentException("the batch size must be >= 1, got " + batchSize);
    }
    this.batchSize = batchSize;
  }

  /** Predictions of {@code model}, 32 rows per batch. */
  public static Predict with(ModelSpec model) {
    return new Predict(model, 32);
  }

  /** A copy predicting {@code rows} rows per batch. */
  public Predict withBatchSize(int rows) {
    return new Predict(model, rows);
  }

  @Override
  public PCollection<PredictedRow> expand(PCollection<Example> input) {
    return input.apply("PredictBatches", ParDo.of(new PredictFn(model, batchSize)))
        .setCoder(SerializableCoder.of(PredictedRow.class));
  }

  private static final class PredictFn extends DoFn<Example, PredictedRow> {
    private static final long serialVersionUID = 1L;
    private final ModelSpec spec;
    private final int batchSize;
    private final Counter predictions = Metrics.counter(METRICS_NAMESPACE, "predictions");
    private transient CompactModel model;
    private transient List<Pending> pending;

    private record Pending(Example example, Encoded tokens, Instant timestamp, BoundedWindow window) {}

    PredictFn(ModelSpec spec, int batchSize) {
      this.spec = spec;
      this.batchSize = batchSize;
    }

    @Setup
    public void setup() {
      model = SharedModels.get(spec);
      pending = new ArrayList<>();
    }

    @StartBundle
    public void startBundle() {
      pending.clear();
    }

    @ProcessElement
    public void process(@Element Example e, @Timestamp Instant ts, BoundedWindow window, OutputReceiver<PredictedRow> out) {
      pending.add(new Pending(e, model.encode(e.text(), e.textPair().orElse(null)), ts, window));
      if (pending.size() >= BUFFER) {
        flush((row, p) -> out.output(row));
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      flush((row, p) -> c.output(row, p.timestamp(), p.window()));
    }

    private interface Sink {
      void accept(PredictedRow row, Pending from);
    }

    private void flush(Sink sink) {
      // sorted by length, then file and line, so a bundle's batches are the same whatever the arrival order
      pending.sort(Comparator.comparingInt((Pending p) -> p.tokens().length())
          .thenComparing(p -> p.example().sourceFile()).thenComparingLong(p -> p.example().line()));
      List<String> labels = model.task().labels();
      for (int i = 0; i < pending.size(); i += batchSize) {
        List<Pending> batch = pending.subList(i, Math.min(pending.size(), i + batchSize));
        List<CompactModel.Prediction> ps = model.predictEncoded(batch.stream().map(Pending::tokens).toList());
        for (int k = 0; k < batch.size(); k++) {
          Pending p = batch.get(k);
          CompactModel.Prediction pr = ps.get(k);
          Map<String, Double> probs = new LinkedHashMap<>();
          for (int c = 0; c < pr.probabilities().length; c++) {
            probs.put(c < labels.size() ? labels.get(c) : Integer.toString(c), pr.probabilities()[c]);
          }
          Example e = p.example();
          sink.accept(new PredictedRow(e.task(), e.id(), e.sourceFile(), e.line(), pr.label(), pr.score(), probs,
              spec.reference(), spec.version()), p);
          predictions.inc();
        }
      }
      pending.clear();
    }
  }
}
